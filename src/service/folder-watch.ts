/**
 * `serve --watch DIR`: a folder a collection job drops EVTX/XML/JSON files into (any format `hunt` reads,
 * archives included). Polled, not fs.watch'ed (fs.watch misses events on network and container mounts).
 *
 * Design notes:
 * - A file is read once its size and mtime were the same on two polls in a row (a file still being written
 *   is left alone), with the same readers as `hunt` (ingest/read-inputs).
 * - Its events go to the intake in batches whose ids derive from the file's path, size and mtime and the
 *   batch number, so event uids are stable: reading the same file again (after a restart, which re-scans the
 *   folder) stores nothing twice — the store keeps batches and records unique by id. A file that changes
 *   (new size or mtime) is read again as new content, as Splunk's monitor input would re-index a rewritten file.
 * - One file never holds up the others: an event too large for a bus message is reported and left out, and a
 *   file whose events cannot be stored now is tried again at the next poll while the next files are read.
 */
import { createHash } from "node:crypto";
import { stat } from "node:fs/promises";
import type { Diagnostic } from "../diag/diagnostic.js";
import { readInputs } from "../ingest/read-inputs.js";
import { walkInputs } from "../ingest/walk-inputs.js";
import type { WinEvent } from "../model/event.js";
import { EventTooLarge, type Intake } from "./intake.js";

export interface FolderWatchOptions {
  dir: string;
  intake: Intake;
  intervalMs?: number;
  batchSize?: number;
  report?(d: Diagnostic): void;
}

export class FolderWatch {
  private readonly o: FolderWatchOptions;
  /** path → "size:mtime" last seen, and whether that version was read. */
  private readonly seen = new Map<string, { version: string; read: boolean }>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  filesRead = 0;

  constructor(o: FolderWatchOptions) {
    this.o = o;
  }

  /** One poll: reads the files that have been stable since the previous poll. Returns how many were read. */
  async scanOnce(): Promise<number> {
    let read = 0;
    for (const entry of await walkInputs([this.o.dir])) {
      if (entry.kind !== "file") continue;
      let version: string;
      try {
        const st = await stat(entry.path);
        version = `${st.size}:${st.mtimeMs}`;
      } catch {
        continue; // gone between the listing and the stat
      }
      const prev = this.seen.get(entry.path);
      if (prev === undefined || prev.version !== version) {
        this.seen.set(entry.path, { version, read: false });
        continue;
      }
      if (prev.read) continue;
      // A file whose events cannot be stored now (the store or the bus is down) is tried again at the next poll;
      // the files after it are read meanwhile.
      try {
        await this.readFile(entry.path, version);
      } catch (e) {
        this.o.report?.({
          code: "file-unreadable",
          severity: "error",
          message: `watch: cannot store the events of ${entry.path} (tried again at the next poll): ${e instanceof Error ? e.message : String(e)}`,
          file: entry.path,
        });
        continue;
      }
      prev.read = true;
      read++;
    }
    this.filesRead += read;
    return read;
  }

  private async readFile(path: string, version: string): Promise<void> {
    const base = `file:${createHash("sha1").update(`${path}\u0000${version}`).digest("hex").slice(0, 20)}`;
    const size = this.o.batchSize ?? 5000;
    let n = 0;
    let pending: WinEvent[] = [];
    const flush = async () => {
      if (pending.length === 0) return;
      const id = `${base}:${n++}`;
      try {
        await this.o.intake.accept({ id, events: pending });
      } catch (e) {
        if (!(e instanceof EventTooLarge)) throw e;
        // An event too large for a bus message refuses its whole batch before anything is stored: the batch's
        // events go one by one (ids as stable as the batch's), and the ones that cannot fit are reported.
        for (let i = 0; i < pending.length; i++) {
          try {
            await this.o.intake.accept({ id: `${id}:${i}`, events: [pending[i]] });
          } catch (one) {
            if (!(one instanceof EventTooLarge)) throw one;
            const at = pending[i].origin;
            this.o.report?.({
              code: "event-too-large",
              severity: "warning",
              message: `watch: left out: ${one.message}`,
              file: at.file,
              ...(at.line !== undefined ? { line: at.line } : {}),
            });
          }
        }
      }
      pending = [];
    };
    const it = readInputs([path], { report: (d) => this.o.report?.(d) });
    for (let r = await it.next(); r.done !== true; r = await it.next()) {
      for (const e of r.value) {
        pending.push(e);
        if (pending.length >= size) await flush();
      }
    }
    await flush();
  }

  start(): void {
    const tick = () => {
      this.running = this.scanOnce().catch((e: unknown) => {
        this.o.report?.({
          code: "file-unreadable",
          severity: "error",
          message: `watch ${this.o.dir}: ${e instanceof Error ? e.message : String(e)}`,
        });
        return 0;
      });
      this.running.finally(() => {
        this.running = undefined;
        if (this.timer !== undefined) this.timer = setTimeout(tick, this.o.intervalMs ?? 2000);
      });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}

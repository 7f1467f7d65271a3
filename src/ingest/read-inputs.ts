/**
 * The input walker: command-line paths → batches of events, and one FileReport per file or archive member.
 *
 * Design notes:
 * - Paths are expanded by walk-inputs.ts (folders recursively, sorted). Each file is opened as a byte stream;
 *   its format is detected from content (detect-format.ts); gzip is undone transparently; zip and tar
 *   members are read one by one as `archive!member` (a member may itself be gzip, a tar, a zip, EVTX or text);
 *   then the reader for the format runs: EVTX (./evtx/index.js), XML/classic lines, JSON.
 * - Memory is bounded: text is streamed line by line. Only an EVTX file or a zip that comes out of another
 *   container is buffered whole (zip needs random access, our EVTX contract takes a Buffer), up to a cap.
 * - Bad input never stops the run: a missing path, an unreadable file, a damaged archive or a damaged record
 *   becomes a Diagnostic plus a FileReport; the next file is read. Our own bugs (TypeError, invariant) throw.
 * - Files that are not logs (README, YAML, expected-results JSON, 7z) are FileReports with `skipped`.
 * - Per-file watchdog (see "watchdog and --strict" below): a file that gives no batch and reads no byte
 *   for `stallMs` is abandoned and reported (`file-stalled`); the other files are still read. It catches
 *   a reader that waits forever (a stream that never ends, a hung mount). A synchronous endless loop in
 *   a parser would block the timer too; our readers' loops each consume input, and the fuzz tests check
 *   that they end. `strict` stops the run at the first input problem (`input-strict-stop`).
 */
import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import type { Diagnostic, DiagnosticCode } from "../diag/diagnostic.js";
import { ByteSource } from "./byte-source.js";
import { gunzip } from "./containers/gunzip.js";
import { TarDamaged, tarMembers } from "./containers/tar-entries.js";
import { zipMembers } from "./containers/zip-entries.js";
import { DETECT_BYTES, detectFormat } from "./detect-format.js";
import { EventSink } from "./event-sink.js";
import { readEvtx } from "./evtx/index.js";
import { readJsonEvents } from "./json/json-events.js";
import { decodeLines } from "./text/decode-lines.js";
import { readTextEvents } from "./text/text-events.js";
import type { EventBatch, EventFilter, FileReport, ReadCounts, ReaderContext } from "./types.js";
import { walkInputs } from "./walk-inputs.js";

export interface ReadInputsOptions {
  filter?: EventFilter;
  report(d: Diagnostic): void;
  onFile?(r: FileReport): void;
  onProgress?(bytesDone: number): void;
  /** Per-file watchdog: abandon a file after this many ms without a batch or a byte read (default 60 000; 0: off). */
  stallMs?: number;
  /** `--strict`: stop reading at the first input problem (see `isInputProblem`). */
  strict?: boolean;
  /** Opens a file on disk as a byte stream (default `createReadStream`; tests inject a stalling stream). */
  openFile?(path: string): Readable;
}

export const DEFAULT_STALL_MS = 60_000;

/** What `--strict` stops at: damage or loss (errors, and warnings other than the UTC-assumption note). */
export function isInputProblem(d: Diagnostic): boolean {
  if (d.severity === "info") return false;
  return d.code !== "time-local-as-utc" && d.code !== "file-not-a-log";
}

/** A file that came out of a container is buffered for zip/EVTX readers only up to this size. */
const MAX_BUFFERED_MEMBER = 1024 * 1024 * 1024;

/** Expands folders recursively (sorted) and sums file sizes, for progress bars. */
export async function statInputs(
  paths: string[],
): Promise<{ files: string[]; totalBytes: number; missing: string[] }> {
  const files: string[] = [];
  const missing: string[] = [];
  let totalBytes = 0;
  for (const e of await walkInputs(paths)) {
    if ("missing" in e) missing.push(e.path);
    else {
      files.push(e.path);
      totalBytes += e.size;
    }
  }
  return { files, totalBytes, missing };
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Errors that describe bad input (I/O, zlib, zip, tar) rather than a bug of ours. */
function isInputError(e: unknown): boolean {
  if (e instanceof TarDamaged) return true;
  if (!(e instanceof Error)) return false;
  if (e instanceof TypeError || e instanceof ReferenceError) return false;
  return !e.message.startsWith("internal error");
}

class TooLarge extends Error {}

async function readAllCapped(src: ByteSource): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const b of src.rest()) {
    n += b.length;
    if (n > MAX_BUFFERED_MEMBER)
      throw new TooLarge(`larger than ${MAX_BUFFERED_MEMBER} bytes; extract it first`);
    parts.push(b);
  }
  return Buffer.concat(parts, n);
}

/** State of one readInputs run. */
class Run {
  readonly reports: FileReport[] = [];
  doneBytes = 0;
  current: ByteSource | undefined;

  readonly opts: ReadInputsOptions;
  /** `strict`: the first input problem, once reported. */
  stoppedBy: Diagnostic | undefined;
  /** The `input-strict-stop` diagnostic, once reported. */
  stopReported = false;
  /** Files the watchdog gave up on: a reader left behind may still wake up; what it says is dropped. */
  readonly abandoned = new Set<string>();

  isAbandoned(file: string): boolean {
    if (this.abandoned.size === 0) return false;
    const bang = file.indexOf("!");
    return this.abandoned.has(bang < 0 ? file : file.slice(0, bang));
  }
  /** The text input being read, so a file abandoned mid-way still gives its events and counts. */
  openText: { name: string; sink: EventSink; problems: Record<string, number> } | undefined;

  constructor(opts: ReadInputsOptions) {
    const report = opts.report;
    this.opts = {
      ...opts,
      report: (d) => {
        report(d);
        if (opts.strict === true && this.stoppedBy === undefined && isInputProblem(d)) this.stoppedBy = d;
      },
    };
  }

  progress(): void {
    this.opts.onProgress?.(this.doneBytes + (this.current?.bytesRead ?? 0));
  }

  push(r: FileReport): void {
    if (this.isAbandoned(r.file)) return;
    this.reports.push(r);
    this.opts.onFile?.(r);
  }

  /** A reader context for one input that counts its diagnostics by code. */
  context(file: string): { ctx: ReaderContext; problems: Record<string, number>; fatal: string[] } {
    const problems: Record<string, number> = {};
    const fatal: string[] = [];
    const ctx: ReaderContext = {
      file,
      filter: this.opts.filter,
      report: (d) => {
        if (this.isAbandoned(file)) return;
        if (d.severity !== "info") problems[d.code] = (problems[d.code] ?? 0) + 1;
        if (d.code === "file-unsupported-format" || d.code === "file-unreadable") fatal.push(d.message);
        this.opts.report(d);
      },
    };
    return { ctx, problems, fatal };
  }

  /** The input was read as far as it goes, then turned out damaged: the report it just got says so. */
  damagedAfterRead(file: string, code: DiagnosticCode, why: string): void {
    if (this.isAbandoned(file)) return;
    this.opts.report({ code, severity: "error", message: `reading stopped: ${why}`, file });
    const last = this.reports.at(-1);
    if (last === undefined || (last.file !== file && !last.file.startsWith(`${file}!`))) return;
    if (last.skipped !== undefined) {
      delete last.skipped;
      last.unreadable = why;
    }
    last.unreadable ??= why;
    last.problems = { ...last.problems, [code]: (last.problems?.[code] ?? 0) + 1 };
  }

  /** The input could not be read at all (or stopped being readable). */
  unreadable(
    file: string,
    containers: string[],
    code: DiagnosticCode,
    why: string,
    partial?: Partial<FileReport>,
  ): void {
    if (this.isAbandoned(file)) return;
    this.opts.report({ code, severity: "error", message: why, file });
    this.push({
      file,
      ...(containers.length > 0 ? { containers } : {}),
      events: 0,
      malformed: 0,
      ...partial,
      unreadable: why,
      problems: { ...partial?.problems, [code]: (partial?.problems?.[code] ?? 0) + 1 },
    });
  }
}

export async function* readInputs(
  paths: string[],
  opts: ReadInputsOptions,
): AsyncGenerator<EventBatch, FileReport[]> {
  const run = new Run(opts);
  for (const entry of await walkInputs(paths)) {
    if ("missing" in entry) {
      run.unreadable(entry.path, [], "file-unreadable", entry.missing);
      continue;
    }
    if (run.stoppedBy !== undefined) break;
    const stream =
      opts.openFile?.(entry.path) ?? createReadStream(entry.path, { highWaterMark: 1024 * 1024 });
    const src = new ByteSource(stream);
    run.current = src;
    try {
      yield* watchFile(readSource(src, entry.path, [], entry.path, run), entry.path, run);
    } finally {
      stream.destroy();
      run.current = undefined;
      run.doneBytes += entry.size;
      run.progress();
    }
  }
  if (run.stoppedBy !== undefined && !run.stopReported)
    run.opts.report(strictStop(run, run.stoppedBy.file ?? ""));
  return run.reports;
}

function withContainers(containers: string[]): Pick<FileReport, "containers"> {
  return containers.length > 0 ? { containers } : {};
}

async function* readSource(
  src: ByteSource,
  name: string,
  containers: string[],
  diskPath: string | undefined,
  run: Run,
  seen?: Buffer[],
): AsyncGenerator<EventBatch, void> {
  const damagedCode: DiagnosticCode = containers.length > 0 ? "archive-damaged" : "file-unreadable";
  let head: Buffer;
  try {
    head = await src.peek(DETECT_BYTES);
  } catch (e) {
    if (!isInputError(e)) throw e;
    if (seen !== undefined && seen.length > 0) {
      // A gzip cut inside its first 64 KiB: read what did decompress, then report the cut.
      const rescued = new ByteSource(
        (async function* () {
          yield* seen;
        })(),
      );
      yield* readSource(rescued, name, containers, undefined, run);
      run.damagedAfterRead(name, damagedCode, message(e));
      return;
    }
    run.unreadable(name, containers, damagedCode, message(e));
    return;
  }
  const d = detectFormat(head);
  switch (d.kind) {
    case "skip": {
      await src.close();
      run.push({ file: name, ...withContainers(containers), events: 0, malformed: 0, skipped: d.reason });
      return;
    }
    case "gzip": {
      const seen: Buffer[] = [];
      const inner = new ByteSource(keepHead(gunzip(src.rest()), seen));
      yield* readSource(inner, name, [...containers, "gzip"], undefined, run, seen);
      return;
    }
    case "tar": {
      const layers = [...containers, "tar"];
      try {
        for await (const m of tarMembers(src)) {
          yield* readSource(new ByteSource(m.body), `${name}!${m.name}`, layers, undefined, run);
        }
      } catch (e) {
        if (!isInputError(e)) throw e;
        run.unreadable(name, layers, "archive-damaged", `tar archive is damaged: ${message(e)}`);
      }
      return;
    }
    case "zip": {
      const layers = [...containers, "zip"];
      try {
        let source: string | Buffer;
        if (diskPath !== undefined) {
          await src.close();
          source = diskPath;
        } else source = await readAllCapped(src);
        for await (const m of zipMembers(source)) {
          const member = `${name}!${m.name}`;
          if (m.unreadable !== undefined) {
            run.unreadable(member, layers, "file-unreadable", m.unreadable);
            continue;
          }
          const stream = await m.open();
          try {
            yield* readSource(new ByteSource(stream), member, layers, undefined, run);
          } finally {
            stream.destroy();
          }
          run.progress();
        }
      } catch (e) {
        if (!isInputError(e)) throw e;
        run.unreadable(name, layers, "archive-damaged", `zip archive is damaged: ${message(e)}`);
      }
      return;
    }
    case "evtx": {
      const { ctx, problems, fatal } = run.context(name);
      let counts: ReadCounts = { events: 0, malformed: 0 };
      try {
        let source: string | Buffer;
        if (diskPath !== undefined) {
          await src.close();
          source = diskPath;
        } else source = await readAllCapped(src);
        const reader = readEvtx(source, ctx);
        while (true) {
          const r = await reader.next();
          if (r.done) {
            counts = r.value;
            break;
          }
          if (r.value.length > 0) yield r.value;
          run.progress();
        }
      } catch (e) {
        if (!isInputError(e)) throw e;
        run.unreadable(name, containers, damagedCode, message(e), { format: "evtx", ...counts, problems });
        return;
      }
      run.push({
        file: name,
        format: "evtx",
        ...withContainers(containers),
        events: counts.events,
        malformed: counts.malformed,
        ...(counts.recovered !== undefined ? { recovered: counts.recovered } : {}),
        ...(fatal.length > 0 ? { unreadable: fatal[0] } : {}),
        ...(Object.keys(problems).length > 0 ? { problems } : {}),
      });
      return;
    }
    case "text": {
      const { ctx, problems } = run.context(name);
      const sink = new EventSink(ctx);
      run.openText = { name, sink, problems };
      let failure: string | undefined;
      try {
        if (d.encoding.bomLength > 0) await src.readExact(d.encoding.bomLength);
        const lines = decodeLines(src.rest(), d.encoding.encoding, { pieces: d.format === "json" });
        const reader =
          d.format === "json" ? readJsonEvents(lines, sink, name) : readTextEvents(lines, sink, name);
        for await (const batch of reader) {
          yield batch;
          run.progress();
        }
      } catch (e) {
        if (!isInputError(e)) throw e;
        failure = message(e);
        ctx.report({
          code: damagedCode,
          severity: "error",
          message: `reading stopped: ${failure}`,
          file: name,
        });
      }
      run.openText = undefined;
      if (sink.notALog && failure === undefined) {
        const what = d.format === "json" ? "JSON" : "text";
        const n = sink.foreignOnly;
        const extra = n > 0 ? ` (${n} ${n === 1 ? "record" : "records"} of no known event layout)` : "";
        run.push({
          file: name,
          ...withContainers(containers),
          events: 0,
          malformed: 0,
          skipped: `${what} without Windows events${extra}`,
        });
        return;
      }
      run.push({
        file: name,
        format: d.format,
        ...withContainers(containers),
        events: sink.events,
        malformed: sink.malformed,
        ...(failure !== undefined ? { unreadable: failure } : {}),
        ...(Object.keys(problems).length > 0 ? { problems } : {}),
      });
      return;
    }
  }
}

/** Passes chunks through, keeping those of the first DETECT_BYTES (to read them if the probe fails). */
async function* keepHead(source: AsyncIterable<Buffer>, seen: Buffer[]): AsyncGenerator<Buffer> {
  let kept = 0;
  for await (const b of source) {
    if (kept < DETECT_BYTES) {
      seen.push(b);
      kept += b.length;
    }
    yield b;
  }
}

// ---- watchdog and --strict -------------------------------------------------------------------------

const STALLED = Symbol("stalled");

/**
 * Runs one top-level file's reader under the watchdog and `strict`. Progress is a batch or a byte read
 * from the file; when neither happens for `stallMs`, the pending read is left behind (the stream is
 * destroyed by the caller), the events already decoded are flushed, and the file is reported.
 */
async function* watchFile(
  reader: AsyncGenerator<EventBatch, void>,
  file: string,
  run: Run,
): AsyncGenerator<EventBatch, void> {
  const stallMs = run.opts.stallMs ?? DEFAULT_STALL_MS;
  let produced = 0;
  let bytes = run.current?.bytesRead ?? 0;
  for (;;) {
    const pending = reader.next();
    let r: IteratorResult<EventBatch, void> | typeof STALLED;
    for (;;) {
      r = stallMs > 0 ? await raceTimer(pending, stallMs) : await pending;
      if (r !== STALLED) break;
      const now = run.current?.bytesRead ?? 0;
      if (now === bytes) break;
      bytes = now;
    }
    if (r === STALLED) {
      pending.catch(() => undefined);
      const seconds = stallMs / 1000;
      const n = run.openText?.sink.events ?? produced;
      const d: Diagnostic = {
        code: "file-stalled",
        severity: "error",
        message: `no progress for ${seconds} s: the file was abandoned after ${n} events (the other files are read)`,
        file: run.openText?.name ?? file,
      };
      yield* abandon(run, file, d, produced);
      return;
    }
    if (r.done === true) return;
    produced += r.value.length;
    yield r.value;
    if (run.stoppedBy !== undefined) {
      await reader.return(undefined);
      yield* abandon(run, file, strictStop(run, run.openText?.name ?? file), produced);
      return;
    }
  }
}

function strictStop(run: Run, file: string): Diagnostic {
  run.stopReported = true;
  const first = run.stoppedBy;
  return {
    code: "input-strict-stop",
    severity: "error",
    message: `--strict: reading stopped at the first input problem${first !== undefined ? ` ([${first.code}] ${first.message})` : ""}`,
    file,
  };
}

/** Reports a file left unfinished, with what its text reader had already decoded (flushed first). */
async function* abandon(
  run: Run,
  file: string,
  d: Diagnostic,
  produced: number,
): AsyncGenerator<EventBatch, void> {
  run.opts.report(d);
  const open = run.openText;
  run.openText = undefined;
  const rest = open?.sink.take(true);
  if (rest !== undefined) yield rest;
  const problems = { ...open?.problems, [d.code]: (open?.problems[d.code] ?? 0) + 1 };
  const report: FileReport = {
    file: open?.name ?? file,
    events: open?.sink.events ?? produced,
    malformed: open?.sink.malformed ?? 0,
    unreadable: d.message,
    problems,
  };
  run.push(report);
  run.abandoned.add(file);
}

function raceTimer<T>(p: Promise<T>, ms: number): Promise<T | typeof STALLED> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<typeof STALLED>((resolve) => {
    timer = setTimeout(() => resolve(STALLED), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

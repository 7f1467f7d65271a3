/**
 * Splitting the inputs into units of work that threads can read independently, and reading one unit.
 *
 * Design notes:
 * - The units, read one after the other and their results taken in order, give exactly what `readInputs`
 *   gives for the same paths: the same events in the same order, the same diagnostics, the same FileReports.
 * - An EVTX file on disk is split into ranges of whole 64 KiB chunks (`decodeChunk` needs nothing but a
 *   chunk's bytes); the first range also reads the file header. Every other file — text, JSON, archives — is
 *   one unit read by `readInputs` itself. What the walk found that is not read (a missing path, a dangling link,
 *   a FIFO, an empty folder, a file named twice) is an `entry` unit the caller reports (`inputOutcome`).
 * - The caller adds up the ranges of one EVTX file into its FileReport (`EvtxFileTally`).
 */
import { closeSync, openSync, readSync } from "node:fs";
import type { Diagnostic } from "../diag/diagnostic.js";
import { DETECT_BYTES, detectFormat } from "./detect-format.js";
import { CHUNK_SIZE } from "./evtx/chunk.js";
import { FILE_HEADER_SIZE } from "./evtx/file-header.js";
import { evtxChecksums, readEvtx } from "./evtx/index.js";
import { readInputs, settleReport } from "./read-inputs.js";
import type { EventBatch, EventFilter, FileReport, ReadCounts } from "./types.js";
import { type InputEntry, walkInputs } from "./walk-inputs.js";

export type ReadUnit =
  /** What the walk found that is not read (missing path, FIFO, duplicate, …); the caller reports it. */
  | { kind: "entry"; entry: Exclude<InputEntry, { kind: "file" | "stdin" }> }
  /** A whole file, read by readInputs (any format, archives included). */
  | { kind: "file"; path: string; size: number }
  /** Chunks [from, to) of an EVTX file (`from` 0 includes the header); `last` closes the file's report. */
  | { kind: "evtx"; path: string; from: number; to: number; checksums: boolean; last: boolean };

export interface PlanOptions {
  /** EVTX chunks per unit (default 128, 8 MiB). */
  chunksPerUnit?: number;
}

/** Bytes a unit covers (for progress). */
export function unitBytes(u: ReadUnit): number {
  if (u.kind === "entry") return 0;
  if (u.kind === "file") return u.size;
  return u.to - u.from;
}

function readHead(path: string, n: number): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return undefined;
  }
  try {
    const b = Buffer.alloc(n);
    const got = readSync(fd, b, 0, n, 0);
    return b.subarray(0, got);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** The units for these paths, in reading order. */
export async function planUnits(paths: readonly string[], opts: PlanOptions = {}): Promise<ReadUnit[]> {
  const per = (opts.chunksPerUnit ?? 128) * CHUNK_SIZE;
  const units: ReadUnit[] = [];
  for (const e of await walkInputs(paths)) {
    if (e.kind === "stdin") {
      // Standard input is read by readInputs on the thread that owns it (hunt reads `-` on one thread).
      units.push({ kind: "file", path: "-", size: 0 });
      continue;
    }
    if (e.kind !== "file") {
      units.push({ kind: "entry", entry: e });
      continue;
    }
    const head = e.size > FILE_HEADER_SIZE + per ? readHead(e.path, DETECT_BYTES) : undefined;
    if (head === undefined || detectFormat(head).kind !== "evtx") {
      // Small files, unreadable ones and non-EVTX formats are read whole, errors included, by readInputs.
      units.push({ kind: "file", path: e.path, size: e.size });
      continue;
    }
    const checksums = evtxChecksums(head.subarray(0, FILE_HEADER_SIZE));
    let from = 0;
    while (from < e.size) {
      const to = Math.min(e.size, (from === 0 ? FILE_HEADER_SIZE : from) + per);
      units.push({ kind: "evtx", path: e.path, from, to, checksums, last: to >= e.size });
      from = to;
    }
  }
  return units;
}

export interface UnitContext {
  filter?: EventFilter;
  report(d: Diagnostic): void;
}

/** What a unit gave besides its events: FileReports (file units) or counts (EVTX ranges). */
export type UnitEnd = { reports: FileReport[] } | { counts: ReadCounts };

/** Reads one unit; an `entry` unit is the caller's to report. */
export async function* readUnit(u: ReadUnit, ctx: UnitContext): AsyncGenerator<EventBatch, UnitEnd> {
  if (u.kind === "entry") return { reports: [] };
  if (u.kind === "file") {
    const reports: FileReport[] = [];
    const input = readInputs([u.path], {
      filter: ctx.filter,
      report: ctx.report,
      onFile: (r) => reports.push(r),
    });
    let next = await input.next();
    while (next.done !== true) {
      yield next.value;
      next = await input.next();
    }
    return { reports };
  }
  const reader = readEvtx(
    u.path,
    { file: u.path, report: ctx.report, filter: ctx.filter },
    { from: u.from, to: u.to, checksums: u.checksums },
  );
  let next = await reader.next();
  while (next.done !== true) {
    yield next.value;
    next = await reader.next();
  }
  return { counts: next.value };
}

/** Adds up the ranges of one EVTX file into the FileReport readInputs would have made. */
export class EvtxFileTally {
  private events = 0;
  private malformed = 0;
  private recovered = 0;
  private readonly problems: Record<string, number> = {};
  private readonly fatal: string[] = [];

  /** Every diagnostic of the file's ranges, in order (counted as readInputs counts them). */
  diagnostic(d: Diagnostic): void {
    if (d.severity !== "info") this.problems[d.code] = (this.problems[d.code] ?? 0) + 1;
    if (d.code === "file-unsupported-format" || d.code === "file-unreadable") this.fatal.push(d.message);
  }

  add(c: ReadCounts): void {
    this.events += c.events;
    this.malformed += c.malformed;
    this.recovered += c.recovered ?? 0;
  }

  report(file: string): FileReport {
    return settleReport({
      file,
      format: "evtx",
      events: this.events,
      malformed: this.malformed,
      recovered: this.recovered,
      ...(this.fatal.length > 0 ? { unreadable: this.fatal[0] } : {}),
      ...(Object.keys(this.problems).length > 0 ? { problems: this.problems } : {}),
    });
  }
}

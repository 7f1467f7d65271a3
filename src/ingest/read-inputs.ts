/**
 * The input walker: command-line paths → batches of events, and one FileReport per file or archive member.
 *
 * Design notes:
 * - Paths are expanded by walk-inputs.ts (folders recursively, sorted; each file once, by its real path; `-` is
 *   standard input). Each file is opened as a byte stream; its format is detected from content
 *   (detect-format.ts); gzip is undone transparently; zip and tar members are read one by one as
 *   `archive!member` (a member may itself be gzip, a tar, a zip, EVTX or text); then the reader for the
 *   format runs: EVTX (./evtx/index.js), XML/classic lines, JSON.
 * - Memory is bounded: text is streamed line by line. Only an EVTX file or a zip that comes out of another
 *   container (or standard input) is buffered whole (zip needs random access, our EVTX contract takes a
 *   Buffer), up to a cap.
 * - Bad input never stops the run: a missing path, a dangling link, an unreadable file, a damaged archive or a
 *   damaged record becomes a Diagnostic plus a FileReport; the next file is read. Our own bugs (TypeError,
 *   invariant) throw.
 * - A compressed stream cut short (gzip, a zip member) is not an error for the reader behind it: the reader
 *   gets the bytes that did decompress as if the input ended there (EVTX, text, JSON, tar alike), then the cut
 *   is reported once, on the input it cut (`archive-damaged`). The damage a cut causes in a tar inside it
 *   (a member cut short) is that same cut, not a second problem.
 * - Each input ends in one of four states (FileReport): read (`damaged` when events were read but not all of
 *   the input could be: a cut, an I/O error or stall part-way, `--strict` stopping in it), skipped (not a log,
 *   not a regular file), `unreadable` (nothing could be read), or `notRead` (`--strict` had already stopped).
 *   `settleReport` draws the line between damaged and unreadable the same way for every reader.
 * - Files that are not logs (README, YAML, expected-results JSON, 7z) are FileReports with `skipped`.
 * - Per-file watchdog (see "watchdog and --strict" below): a file that gives no batch and reads no byte
 *   for `stallMs` is abandoned and reported (`file-stalled`); the other files are still read. It catches
 *   a reader that waits forever (a stream that never ends, a hung mount). A synchronous endless loop in
 *   a parser would block the timer too; our readers' loops each consume input, and the fuzz tests check
 *   that they end. Standard input is not watched: a pipe may pause as long as its writer likes.
 * - `strict` stops the run at the first input problem: readers ask `ctx.stopped()` between batches and end
 *   there; the input they were reading is `damaged` (or `unreadable`), one `input-strict-stop` names the
 *   diagnostic that stopped it, and every later input is listed as `notRead`.
 */
import { createReadStream } from "node:fs";
import type { Readable } from "node:stream";
import { type Diagnostic, type DiagnosticCode, formatDiagnostic } from "../diag/diagnostic.js";
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
import { inputOutcome, walkInputs } from "./walk-inputs.js";
import { skipsEventLine } from "./xml/event-peek.js";

export interface ReadInputsOptions {
  filter?: EventFilter;
  report(d: Diagnostic): void;
  onFile?(r: FileReport): void;
  onProgress?(bytesDone: number): void;
  /** Per-file watchdog: abandon a file after this many ms without a batch or a byte read (default 60 000; 0: off). */
  stallMs?: number;
  /** `--strict`: stop reading at the first input problem (see `isInputProblem`). */
  strict?: boolean;
  /** `--carve-slack`: decode the records in EVTX chunk slack (marked `recovered`) instead of only counting them. */
  carveSlack?: boolean;
  /** Opens a file on disk as a byte stream (default `createReadStream`; tests inject a stalling stream). */
  openFile?(path: string): Readable;
  /** Standard input, for the path `-` (default `process.stdin`; tests inject a stream). */
  openStdin?(): Readable;
}

export const DEFAULT_STALL_MS = 60_000;

/** What `--strict` stops at: damage or loss (errors, and warnings other than notes about the input). */
export function isInputProblem(d: Diagnostic): boolean {
  if (d.severity === "info") return false;
  return d.code !== "time-local-as-utc" && d.code !== "file-not-a-log" && d.code !== "input-empty-folder";
}

/** A file that came out of a container is buffered for zip/EVTX readers only up to this size. */
const MAX_BUFFERED_MEMBER = 1024 * 1024 * 1024;

/**
 * Expands folders recursively (sorted) and sums file sizes, for progress bars. `missing` lists the given
 * paths when none of them exists (nothing at all to read: a usage error); otherwise it is empty, and a
 * missing path among others is reported by `readInputs` (`file-unreadable`, counted) while the rest is read.
 * `identities` are the regular files the walk found, so that the CLI can refuse an output that is one of them.
 */
export async function statInputs(
  paths: string[],
): Promise<{ files: string[]; totalBytes: number; missing: string[]; identities: InputIdentity[] }> {
  const files: string[] = [];
  const identities: InputIdentity[] = [];
  const absent: string[] = [];
  let totalBytes = 0;
  for (const e of await walkInputs(paths)) {
    if (e.kind === "file" || e.kind === "stdin") {
      files.push(e.path);
      totalBytes += e.size;
      if (e.kind === "file") identities.push({ path: e.path, real: e.real, dev: e.dev, ino: e.ino });
    } else if (e.kind === "unreadable" && e.given && e.absent) absent.push(e.path);
  }
  const none = paths.length > 0 && absent.length === paths.length;
  return { files, totalBytes, missing: none ? [...new Set(absent)] : [], identities };
}

/** A regular file the walk would read: its name as walked, real path and device/inode. */
export interface InputIdentity {
  path: string;
  real: string;
  dev: number;
  ino: number;
}

/**
 * The one rule for every reader: an input that stopped being readable after events were read from it is
 * read and `damaged`; one that gave no event is `unreadable`.
 */
export function settleReport(r: FileReport): FileReport {
  if (r.unreadable !== undefined && r.events > 0) {
    r.damaged ??= r.unreadable;
    delete r.unreadable;
  }
  return r;
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

/**
 * A compressed stream cut short: `error` is what the decompressor said; `target` is the input the cut hit when
 * a reader inside could tell (a tar member cut short), else the last input read from the stream.
 */
interface Cut {
  error?: unknown;
  target?: string;
}

/** Passes a stream through; bad input ends it early (recorded in `cut`) instead of failing the reader. */
async function* untilCut(source: AsyncIterable<Buffer>, cut: Cut): AsyncGenerator<Buffer> {
  try {
    for await (const b of source) yield b;
  } catch (e) {
    if (!isInputError(e)) throw e;
    cut.error = e;
  }
}

const STRICT_HERE = "--strict: reading stopped here, at the first input problem; the rest of it was not read";
const STRICT_BEFORE = "--strict: reading had stopped before this input";

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
    this.reports.push(settleReport(r));
    this.opts.onFile?.(r);
  }

  /**
   * A reader context for one input that counts its diagnostics by code. `stop.here` turns true when the
   * reader was told to stop (`--strict`) before the end of its input.
   */
  context(file: string): {
    ctx: ReaderContext;
    problems: Record<string, number>;
    fatal: string[];
    stop: { here: boolean };
  } {
    const problems: Record<string, number> = {};
    const fatal: string[] = [];
    const stop = { here: false };
    const ctx: ReaderContext = {
      file,
      filter: this.opts.filter,
      ...(this.opts.carveSlack === true ? { carveSlack: true } : {}),
      report: (d) => {
        if (this.isAbandoned(file)) return;
        if (d.severity !== "info") problems[d.code] = (problems[d.code] ?? 0) + 1;
        if (d.code === "file-unsupported-format" || d.code === "file-unreadable") fatal.push(d.message);
        this.opts.report(d);
      },
      stopped: () => {
        if (this.stoppedBy === undefined) return false;
        stop.here = true;
        return true;
      },
    };
    return { ctx, problems, fatal, stop };
  }

  /** The `input-strict-stop` diagnostic (once per run), naming the diagnostic that stopped reading. */
  strictStop(file: string): Diagnostic {
    this.stopReported = true;
    const first = this.stoppedBy;
    return {
      code: "input-strict-stop",
      severity: "error",
      message: `--strict: reading stopped at the first input problem${first !== undefined ? `: ${formatDiagnostic(first)}` : ""}`,
      file,
    };
  }

  /** A reader stopped by `--strict` part-way: says so once (counted for its input); the reason for its report. */
  stoppedIn(ctx: ReaderContext): string {
    if (!this.stopReported) ctx.report(this.strictStop(ctx.file));
    return STRICT_HERE;
  }

  /**
   * A compressed stream was cut short after its readers had what did decompress: the input it cut (the
   * last report for `target` since report `since`) is damaged — or unreadable if it gave no event; when
   * there is no report for it yet (a zip whose directory was cut off), it gets one.
   */
  cutShort(target: string, containers: string[], why: string, since: number): void {
    if (this.isAbandoned(target)) return;
    this.opts.report({
      code: "archive-damaged",
      severity: "error",
      message: `reading stopped: ${why}`,
      file: target,
    });
    let r: FileReport | undefined;
    for (let i = this.reports.length - 1; i >= since && r === undefined; i--)
      if (this.reports[i].file === target) r = this.reports[i];
    if (r === undefined) {
      this.push({
        file: target,
        ...withContainers(containers),
        events: 0,
        malformed: 0,
        unreadable: why,
        problems: { "archive-damaged": 1 },
      });
      return;
    }
    delete r.skipped; // what was left of it did not look like a log: it is not known to be something else
    r.problems = { ...r.problems, "archive-damaged": (r.problems?.["archive-damaged"] ?? 0) + 1 };
    if (r.damaged === undefined && r.unreadable === undefined) r.unreadable = why;
    settleReport(r);
  }

  /** The last report since `since` for `name` or one of its members. */
  lastOf(name: string, since: number): string | undefined {
    for (let i = this.reports.length - 1; i >= since; i--) {
      const f = this.reports[i].file;
      if (f === name || f.startsWith(`${name}!`)) return f;
    }
    return undefined;
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
    if (run.stoppedBy !== undefined) {
      if (!run.stopReported) run.opts.report(run.strictStop(run.stoppedBy.file ?? entry.path));
      if (entry.kind !== "duplicate" && entry.kind !== "empty-folder")
        run.push({ file: entry.path, events: 0, malformed: 0, notRead: STRICT_BEFORE });
      continue;
    }
    if (entry.kind !== "file" && entry.kind !== "stdin") {
      const o = inputOutcome(entry);
      if (o.diagnostic !== undefined) run.opts.report(o.diagnostic);
      if (o.report !== undefined) run.push(o.report);
      continue;
    }
    const stdin = entry.kind === "stdin";
    const stream = stdin
      ? (opts.openStdin?.() ?? process.stdin)
      : (opts.openFile?.(entry.path) ?? createReadStream(entry.path, { highWaterMark: 256 * 1024 }));
    const src = new ByteSource(stream);
    run.current = src;
    try {
      const reader = readSource(src, entry.path, [], stdin ? undefined : entry.path, run);
      yield* watchFile(reader, entry.path, run, stdin ? 0 : (opts.stallMs ?? DEFAULT_STALL_MS));
    } finally {
      stream.destroy();
      run.current = undefined;
      run.doneBytes += entry.size;
      run.progress();
    }
  }
  if (run.stoppedBy !== undefined && !run.stopReported)
    run.opts.report(run.strictStop(run.stoppedBy.file ?? ""));
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
  cut?: Cut,
): AsyncGenerator<EventBatch, void> {
  const damagedCode: DiagnosticCode = containers.length > 0 ? "archive-damaged" : "file-unreadable";
  let head: Buffer;
  try {
    head = await src.peek(DETECT_BYTES);
  } catch (e) {
    if (!isInputError(e)) throw e;
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
      const layers = [...containers, "gzip"];
      const inner: Cut = {};
      const since = run.reports.length;
      yield* readSource(
        new ByteSource(untilCut(gunzip(src.rest()), inner)),
        name,
        layers,
        undefined,
        run,
        inner,
      );
      if (inner.error !== undefined) {
        const target = inner.target ?? run.lastOf(name, since) ?? name;
        run.cutShort(target, layers, message(inner.error), since);
      }
      return;
    }
    case "tar": {
      const layers = [...containers, "tar"];
      try {
        for await (const m of tarMembers(src)) {
          yield* readSource(new ByteSource(m.body), `${name}!${m.name}`, layers, undefined, run);
          if (run.stoppedBy !== undefined) return; // --strict: the members after this one are not read
        }
      } catch (e) {
        if (!isInputError(e)) throw e;
        const member = e instanceof TarDamaged && e.member !== undefined ? `${name}!${e.member}` : undefined;
        if (cut?.error !== undefined) {
          // The compressed stream around the tar was cut: that one cut is reported by that layer.
          cut.target = member ?? name;
          return;
        }
        const why = `tar archive is damaged: ${message(e)}`;
        // A member cut short was read as far as it goes; damage between members leaves the rest unread.
        if (member !== undefined) run.cutShort(member, layers, why, 0);
        else run.unreadable(name, layers, "archive-damaged", why);
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
          const inner: Cut = {};
          const since = run.reports.length;
          try {
            yield* readSource(new ByteSource(untilCut(stream, inner)), member, layers, undefined, run, inner);
          } finally {
            stream.destroy();
          }
          if (inner.error !== undefined)
            run.cutShort(
              inner.target ?? run.lastOf(member, since) ?? member,
              layers,
              message(inner.error),
              since,
            );
          run.progress();
          if (run.stoppedBy !== undefined) return; // --strict: the members after this one are not read
        }
      } catch (e) {
        if (!isInputError(e)) throw e;
        if (cut?.error !== undefined) {
          cut.target = name; // a zip cut short has lost its directory: reported as that cut
          return;
        }
        run.unreadable(name, layers, "archive-damaged", `zip archive is damaged: ${message(e)}`);
      }
      return;
    }
    case "evtx": {
      const { ctx, problems, fatal, stop } = run.context(name);
      const counts: ReadCounts = { events: 0, malformed: 0, recovered: 0 };
      try {
        let source: string | Buffer;
        if (diskPath !== undefined) {
          await src.close();
          source = diskPath;
        } else source = await readAllCapped(src);
        const reader = readEvtx(source, ctx, undefined, counts);
        while (true) {
          const r = await reader.next();
          if (r.done) break;
          if (r.value.length > 0) yield r.value;
          run.progress();
        }
      } catch (e) {
        if (!isInputError(e)) throw e;
        run.unreadable(name, containers, damagedCode, message(e), { format: "evtx", ...counts, problems });
        return;
      }
      const stopped = stop.here ? run.stoppedIn(ctx) : undefined;
      const failure = fatal[0] ?? stopped;
      run.push({
        file: name,
        format: "evtx",
        ...withContainers(containers),
        events: counts.events,
        malformed: counts.malformed,
        ...(counts.recovered !== undefined ? { recovered: counts.recovered } : {}),
        ...(failure !== undefined ? { unreadable: failure } : {}),
        ...(Object.keys(problems).length > 0 ? { problems } : {}),
      });
      return;
    }
    case "text": {
      const { ctx, problems, stop } = run.context(name);
      const sink = new EventSink(ctx);
      run.openText = { name, sink, problems };
      let failure: string | undefined;
      try {
        if (d.encoding.bomLength > 0) await src.readExact(d.encoding.bomLength);
        // Lines of XML events the filter rejects are counted from their bytes, never decoded (event-peek.ts).
        const filter = sink.filter;
        const lines = decodeLines(src.rest(), d.encoding.encoding, {
          pieces: d.format === "json",
          ...(d.format !== "json" && filter !== undefined
            ? {
                skipLine: (latin: string, start: number, end: number) =>
                  skipsEventLine(latin, start, end, filter),
              }
            : {}),
        });
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
        const rest = sink.take(true); // the events decoded before the error are kept
        if (rest !== undefined) yield rest;
      }
      run.openText = undefined;
      if (stop.here) failure ??= run.stoppedIn(ctx);
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

// ---- watchdog ----------------------------------------------------------------------------------------

const STALLED = Symbol("stalled");

/**
 * Runs one top-level file's reader under the watchdog. Progress is a batch or a byte read from the file;
 * when neither happens for `stallMs` (0: never), the pending read is left behind (the stream is destroyed by
 * the caller), the events already decoded are flushed, and the file is reported.
 */
async function* watchFile(
  reader: AsyncGenerator<EventBatch, void>,
  file: string,
  run: Run,
  stallMs: number,
): AsyncGenerator<EventBatch, void> {
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
  }
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

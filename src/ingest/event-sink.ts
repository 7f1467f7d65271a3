/**
 * Where a text reader puts what it found in one input: events (batched, filtered), broken records
 * (reported and counted as malformed at once) and foreign content (held back until the input proves to be a log).
 *
 * Design notes:
 * - "Broken" means an event of a recognised kind that cannot be read (a truncated `<Event>`, an invalid JSON
 *   line, …). "Foreign" means content that is not an event at all (a stray text line, a JSON object of no known
 *   layout). In a file that holds events or broken records, foreign content is damage and is reported and
 *   counted; in a file that holds neither, it means the file is not a log at all (an expected-results JSON, an
 *   XML that is not an event export) and the file is skipped without error diagnostics.
 * - The filter is applied here: an event it rejects is counted in `events` but not produced. A reader that can
 *   tell from an event's header that the filter rejects it, and that the event is well formed, calls `skip()`
 *   instead of building it (the XML reader does; see xml/parse-event-xml.ts).
 */
import type { Diagnostic, DiagnosticCode } from "../diag/diagnostic.js";
import type { WinEvent } from "../model/event.js";
import type { ReaderContext } from "./types.js";

/** Foreign-content diagnostics held back at most (more are counted, not kept). */
const MAX_PENDING = 1000;

export const DEFAULT_BATCH_SIZE = 100;

export class EventSink {
  events = 0;
  malformed = 0;
  problems: Record<string, number> = {};
  private batch: WinEvent[] = [];
  private pending: Diagnostic[] = [];
  private pendingOverflow = 0;
  private proven = false;
  private localTimeReported = false;
  /** Foreign records seen while the input was not yet proven to be a log (dropped if it never is). */
  foreignOnly = 0;

  private readonly ctx: ReaderContext;
  readonly batchSize: number;

  constructor(ctx: ReaderContext, batchSize: number = DEFAULT_BATCH_SIZE) {
    this.ctx = ctx;
    this.batchSize = batchSize;
  }

  add(e: WinEvent): void {
    this.events++;
    if (!this.proven) this.prove();
    if (e.timeSource === "local-as-utc" && !this.localTimeReported) {
      this.localTimeReported = true;
      this.ctx.report({
        code: "time-local-as-utc",
        severity: "info",
        message: "event times in this file are local time without a zone; they are read as UTC",
        file: this.ctx.file,
        line: e.origin.line,
      });
    }
    const f = this.ctx.filter;
    if (f === undefined || f(e.provider, e.channel, e.eventId)) this.batch.push(e);
  }

  /** The loaded detections' filter, for a reader that applies it before building an event. */
  get filter(): ReaderContext["filter"] {
    return this.ctx.filter;
  }

  /**
   * One well-formed event that the filter rejects, counted as `add` counts it without being built. Only for
   * events that carry no zone-less local time (`add` reports that once per file): XML events never do.
   */
  skip(): void {
    this.events++;
    if (!this.proven) this.prove();
  }

  broken(code: DiagnosticCode, message: string, line?: number, offset?: number, column?: number): void {
    if (!this.proven) this.prove();
    this.count(code);
    const d: Diagnostic = { code, severity: "warning", message, file: this.ctx.file, line, offset };
    if (column !== undefined) d.column = column;
    this.ctx.report(d);
  }

  foreign(code: DiagnosticCode, message: string, line?: number): void {
    const d: Diagnostic = { code, severity: "warning", message, file: this.ctx.file, line };
    if (this.proven) {
      this.count(code);
      this.ctx.report(d);
      return;
    }
    this.foreignOnly++;
    if (this.pending.length < MAX_PENDING) this.pending.push(d);
    else this.pendingOverflow++;
  }

  private count(code: DiagnosticCode): void {
    this.malformed++;
    this.problems[code] = (this.problems[code] ?? 0) + 1;
  }

  private prove(): void {
    this.proven = true;
    for (const d of this.pending) {
      this.count(d.code);
      this.ctx.report(d);
    }
    if (this.pendingOverflow > 0) {
      for (let i = 0; i < this.pendingOverflow; i++) this.count(this.pending[0].code);
      this.ctx.report({
        ...this.pending[0],
        message: `${this.pendingOverflow} more records like the above were skipped`,
        line: undefined,
      });
    }
    this.pending = [];
    this.pendingOverflow = 0;
    this.foreignOnly = 0;
  }

  /** True once the reader must stop (`--strict`): it yields what it has (`take(true)`) and ends. */
  get stopped(): boolean {
    return this.ctx.stopped?.() === true;
  }

  /** True when the input held neither events nor broken records: it is not a log. */
  get notALog(): boolean {
    return !this.proven;
  }

  /** The current batch if it is full (or `force`), else undefined. */
  take(force = false): WinEvent[] | undefined {
    if (this.batch.length === 0) return undefined;
    if (!force && this.batch.length < this.batchSize) return undefined;
    const b = this.batch;
    this.batch = [];
    return b;
  }
}

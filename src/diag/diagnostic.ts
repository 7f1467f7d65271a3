/**
 * Diagnostics: bad input is collected and counted, never thrown past the stage that found it.
 * Bugs in our own code are thrown (see `invariant`).
 *
 * Codes are stable strings (scripts and `--stats-json` consumers read them); messages may change.
 */

export type Severity = "error" | "warning" | "info";

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  /** File the problem is in (a log file, a detection YAML, a macro file). */
  file?: string;
  line?: number;
  column?: number;
  /** Byte offset in `file` (an EVTX record, a damaged archive member). */
  offset?: number;
  /** For `spl-*` codes: the offset in the search after macro expansion (the message gives its line and column). */
  searchOffset?: number;
  chunk?: number;
  recordId?: number;
  /** How many records the diagnostic is about, where it is about several (`evtx-slack-*`). */
  count?: number;
  /** Detection name, for content problems. */
  detection?: string;
}

/** Every diagnostic code Winnow emits. Each one is documented in docs/errors.md (a test checks both ways). */
export type DiagnosticCode =
  // ingest: files
  | "file-unreadable"
  | "file-not-a-log"
  | "file-unsupported-format"
  | "archive-damaged"
  // ingest: records
  | "xml-malformed"
  | "json-malformed"
  | "classic-malformed"
  | "event-missing-system"
  | "evtx-header-damaged"
  | "evtx-chunk-damaged"
  | "evtx-record-damaged"
  | "evtx-truncated"
  | "evtx-slack-records"
  | "evtx-slack-carved"
  | "time-local-as-utc"
  | "file-stalled"
  | "event-too-large"
  | "input-strict-stop"
  | "input-duplicate"
  | "input-empty-folder"
  // content
  | "content-yaml"
  | "content-schema"
  | "content-duplicate"
  | "spl-syntax"
  | "spl-unsupported"
  | "spl-unknown-macro"
  | "spl-runtime"
  | "datamodel-unsupported"
  // engine: risk
  | "risk-object-missing";

export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`internal error: ${message}`);
}

/** One line for a terminal: `file:line:column: severity [code] message`. */
export function formatDiagnostic(d: Diagnostic): string {
  const where: string[] = [];
  if (d.file !== undefined) {
    let loc = d.file;
    if (d.line !== undefined) loc += `:${d.line}`;
    if (d.column !== undefined) loc += `:${d.column}`;
    where.push(loc);
  }
  if (d.chunk !== undefined) where.push(`chunk ${d.chunk}`);
  if (d.recordId !== undefined) where.push(`record ${d.recordId}`);
  if (d.offset !== undefined) where.push(`offset ${d.offset}`);
  if (d.detection !== undefined) where.push(`detection "${d.detection}"`);
  const prefix = where.length > 0 ? `${where.join(", ")}: ` : "";
  return `${prefix}${d.severity} [${d.code}] ${d.message}`;
}

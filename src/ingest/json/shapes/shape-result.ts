/**
 * What a JSON layout parser makes of one JSON object: an event, a broken record (it is an event of this
 * layout but cannot be read: counted as malformed), or something foreign (not an event at all, e.g. the
 * summary object of an expected-results file).
 */
import type { DiagnosticCode } from "../../../diag/diagnostic.js";
import type { ParsedEvent } from "../../parsed-event.js";

export type ShapeResult =
  | { kind: "event"; event: ParsedEvent }
  | { kind: "broken"; code: DiagnosticCode; message: string }
  | { kind: "foreign"; message: string };

export function broken(message: string, code: DiagnosticCode = "json-malformed"): ShapeResult {
  return { kind: "broken", code, message };
}

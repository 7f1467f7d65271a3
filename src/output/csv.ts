/**
 * `--format csv` (RFC 4180): `detection,detection_id` then the union of all detections' columns in first-seen
 * order; a field is quoted when it holds a comma, quote, CR or LF; multivalue fields are joined with newlines.
 */
import type { DetectionResult } from "../engine/hunt.js";
import { fieldValue } from "../spl/index.js";
import { toText } from "./row-values.js";

export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function* csvLines(results: readonly DetectionResult[]): Generator<string> {
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const r of results) {
    for (const c of r.columns) {
      if (!seen.has(c)) {
        seen.add(c);
        columns.push(c);
      }
    }
  }
  yield ["detection", "detection_id", ...columns].map(csvField).join(",");
  for (const r of results) {
    for (const row of r.rows) {
      const cells = [r.detection.name, r.detection.id, ...columns.map((c) => toText(fieldValue(row, c)))];
      yield cells.map(csvField).join(",");
    }
  }
}

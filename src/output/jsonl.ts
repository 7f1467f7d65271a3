/** `--format jsonl`: one JSON object per result row: the row's output columns, then `detection` and `detection_id`. */
import type { DetectionResult } from "../engine/hunt.js";
import { toJsonValue } from "./row-values.js";

export function* jsonlLines(results: readonly DetectionResult[]): Generator<string> {
  for (const r of results) {
    for (const row of r.rows) {
      const obj: Record<string, unknown> = {};
      for (const c of r.columns) obj[c] = toJsonValue(row[c]);
      obj.detection = r.detection.name;
      obj.detection_id = r.detection.id;
      yield JSON.stringify(obj);
    }
  }
}

/** `--format jsonl`: one JSON object per result row: the row's output columns, then `detection` and `detection_id`. */
import type { DetectionResult } from "../engine/hunt.js";
import { fieldValue } from "../spl/index.js";
import { toJsonValue } from "./row-values.js";

export function* jsonlLines(results: readonly DetectionResult[]): Generator<string> {
  for (const r of results) {
    for (const row of r.rows) {
      // The row's own fields, as own keys (a column `__proto__` too, which an assignment would drop).
      const obj: Record<string, unknown> = Object.fromEntries(
        r.columns.map((c) => [c, toJsonValue(fieldValue(row, c))]),
      );
      obj.detection = r.detection.name;
      obj.detection_id = r.detection.id;
      yield JSON.stringify(obj);
    }
  }
}

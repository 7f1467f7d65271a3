/**
 * Result columns named like Object.prototype members (`toString`, `constructor`, `__proto__`, …): a row without
 * the column has no value in it (not the inherited member), and a `__proto__` column is written like any other.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadContent } from "../../src/content/index.js";
import type { DetectionResult } from "../../src/engine/hunt.js";
import { csvLines } from "../../src/output/csv.js";
import { jsonlLines } from "../../src/output/jsonl.js";
import { renderTables } from "../../src/output/table.js";

const detection = loadContent([]).detections[0]!;

function result(columns: string[], rows: DetectionResult["rows"]): DetectionResult {
  return { detection, columns, rows, risk: [], notables: [], diagnostics: [] };
}

/** A row with a `__proto__` field of its own (an object literal would make it the prototype). */
const withProto = Object.fromEntries([
  ["a", "2"],
  ["__proto__", "p"],
]);

describe("output of columns that Object.prototype has", () => {
  const r = result(["a", "toString", "__proto__"], [{ a: "1" }, withProto]);

  it("jsonl", () => {
    assert.deepEqual(
      [...jsonlLines([r])],
      [
        `{"a":"1","toString":null,"__proto__":null,"detection":"${detection.name}","detection_id":"${detection.id}"}`,
        `{"a":"2","toString":null,"__proto__":"p","detection":"${detection.name}","detection_id":"${detection.id}"}`,
      ],
    );
  });

  it("csv: a column of another detection is empty in this one's rows", () => {
    const other = result(["constructor"], [{ constructor: "c" }]);
    assert.deepEqual(
      [...csvLines([r, other])],
      [
        "detection,detection_id,a,toString,__proto__,constructor",
        `${detection.name},${detection.id},1,,,`,
        `${detection.name},${detection.id},2,,p,`,
        `${detection.name},${detection.id},,,,c`,
      ],
    );
  });

  it("table", () => {
    assert.equal(
      renderTables([result(["a", "valueOf"], [{ a: "1" }])], 80),
      [
        `${detection.name} (1 row)`,
        "┌───┬─────────┐",
        "│ a │ valueOf │",
        "├───┼─────────┤",
        "│ 1 │         │",
        "└───┴─────────┘",
      ].join("\n"),
    );
  });
});

/**
 * Field names from content (risk objects, threat objects, message tokens, expected rows) and from the search
 * (by-fields, fields used) that are also members of Object.prototype (`toString`, `constructor`, `valueOf`,
 * `__proto__`, …) are field names like any other: a row or record without the field has no value there.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Detection } from "../../src/content/index.js";
import { loadContent } from "../../src/content/index.js";
import { riskEventsFor, riskMessageFor } from "../../src/engine/risk.js";

const flagship = loadContent([]).detections[0]!;

/** A flagship output row, ctime already applied. */
const row = {
  dest: "WS-12.corp.example",
  user: "alice",
  process_name: "winrs.exe",
  count: 1,
  lastTime: "2023-11-14T22:13:20",
};

/** The flagship with other risk declarations. */
function withRisk(risk: Partial<Detection["risk"]>): Detection {
  return { ...flagship, risk: { ...flagship.risk, ...risk } };
}

describe("risk events: a risk, threat or message field that Object.prototype has", () => {
  it("is missing from a row that lacks it", () => {
    const d = withRisk({
      message: "on $toString$ from $dest$ by $constructor",
      objects: [
        { field: "valueOf", type: "user", score: 5 },
        { field: "dest", type: "system", score: 54 },
      ],
      threats: [{ field: "hasOwnProperty", type: "process" }],
    });
    const r = riskEventsFor(d, row, 1700000000);
    assert.deepEqual(
      r.diagnostics.map((x) => [x.code, x.message]),
      [
        [
          "risk-object-missing",
          'risk object field "valueOf" is missing in a result row; no risk event for it',
        ],
      ],
    );
    assert.deepEqual(
      r.events.map((e) => [e.risk_object, e.risk_message, e.threat_object]),
      [["WS-12.corp.example", "on  from WS-12.corp.example by ", undefined]],
    );
    assert.equal(riskMessageFor("$toString.x", row), riskMessageFor("$nosuch.x", row));
    assert.equal(riskMessageFor("$toString.x", row), ".x");
  });
});

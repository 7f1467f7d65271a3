/**
 * The derived positives in ../shared/data/derived-positives: exactly their expected rows, and their event and
 * process-creation counts. (EVTX ones run once the EVTX reader reads them.)
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { loadContent } from "../../src/content/index.js";
import { hunt } from "../../src/engine/hunt.js";
import { assertRowsEqual, type ExpectedRow } from "../support/expected-rows.js";
import { sharedPath } from "../support/shared.js";

interface Expected {
  events_total: number;
  process_creation_events: number;
  expect: { row_count: number; rows: ExpectedRow[] };
}

const content = loadContent([]);
const dir = sharedPath("data/derived-positives/");

describe("derived positives", () => {
  for (const name of readdirSync(dir).filter((n) => !n.endsWith(".expected.json"))) {
    it(name, async () => {
      const x = JSON.parse(readFileSync(`${dir}${name}.expected.json`, "utf8")) as Expected;
      const h = await hunt({ paths: [dir + name], content });
      const r = h.results.find((d) => d.detection.id === "0dd296a2-4338-11ec-ba02-3e22fbd008af");
      assert.ok(r);
      assert.equal(h.stats.events, x.events_total, "events_total");
      assert.equal(
        h.stats.mappedByFile[dir + name] ?? 0,
        x.process_creation_events,
        "process_creation_events",
      );
      assert.equal(r.rows.length, x.expect.row_count);
      assertRowsEqual(r, x.expect.rows);
    });
  }
});

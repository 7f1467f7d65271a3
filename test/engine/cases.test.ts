/**
 * Every case in ../shared/cases: the built-in flagship over its inputs gives exactly the expected rows, risk
 * scores and messages, and the ingest counts the case states.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { loadContent } from "../../src/content/index.js";
import { hunt } from "../../src/engine/hunt.js";
import { assertRowsEqual, type ExpectedRow } from "../support/expected-rows.js";
import { sharedPath } from "../support/shared.js";

const FLAGSHIP = "0dd296a2-4338-11ec-ba02-3e22fbd008af";

interface CaseFile {
  inputs: { path: string }[];
  expect: {
    fires: boolean;
    row_count: number;
    rows: ExpectedRow[];
    ingest: { events_total: number; malformed_records: number; blank_lines_ignored?: number };
  };
}

const content = loadContent([]);

describe("shared cases", () => {
  for (const name of readdirSync(sharedPath("cases")).filter((n) => /^\d/.test(n))) {
    it(name, async () => {
      const dir = sharedPath(`cases/${name}/`);
      const c = JSON.parse(readFileSync(`${dir}expected.json`, "utf8")) as CaseFile;
      const h = await hunt({ paths: c.inputs.map((i) => dir + i.path), content });
      const r = h.results.find((x) => x.detection.id === FLAGSHIP);
      assert.ok(r, "the flagship ran");
      assert.equal(r.rows.length, c.expect.row_count);
      assertRowsEqual(r, c.expect.rows);
      const events = h.stats.files.reduce((n, f) => n + f.events, 0);
      const malformed = h.stats.files.reduce((n, f) => n + f.malformed, 0);
      assert.equal(events, c.expect.ingest.events_total, "events_total");
      assert.equal(malformed, c.expect.ingest.malformed_records, "malformed_records");
    });
  }
});

/** Compares result rows with an expected.json's rows as an unordered set, every value exactly. */
import assert from "node:assert/strict";
import type { DetectionResult } from "../../src/engine/hunt.js";

export const BY_FIELDS = [
  "dest",
  "user",
  "parent_process_name",
  "process_name",
  "process",
  "process_id",
  "parent_process_id",
] as const;

export interface ExpectedRow {
  [k: string]: unknown;
}

const key = (r: Record<string, unknown>) => JSON.stringify(BY_FIELDS.map((f) => r[f]));

/** The flagship's output columns, in its order (SEMANTICS.md §1): its by-fields, then the tstats aggregates. */
const COLUMNS = [...BY_FIELDS, "count", "firstTime", "lastTime"];

export function assertRowsEqual(result: DetectionResult, expected: readonly ExpectedRow[]): void {
  assert.deepEqual(result.columns, COLUMNS, "columns and their order");
  for (const row of result.rows)
    assert.deepEqual(Object.keys(row).sort(), [...COLUMNS].sort(), "no other field");
  assert.equal(result.risk.length, result.rows.length, "one risk event per row (one risk object: dest)");
  const actual = result.rows.map((row) => {
    const risk = result.risk.find((e) => e.risk_object === row.dest);
    const obj: Record<string, unknown> = {};
    for (const c of [...BY_FIELDS, "count", "firstTime", "lastTime"]) obj[c] = row[c];
    obj.risk_score = risk?.risk_score;
    obj.risk_message = risk?.risk_message;
    return obj;
  });
  const want = expected.map((e) => {
    const obj: Record<string, unknown> = {};
    for (const c of [...BY_FIELDS, "count", "firstTime", "lastTime"]) obj[c] = e[c];
    obj.risk_score = e.risk_score ?? 54;
    obj.risk_message = e.risk_message ?? `A process was started on a remote endpoint from ${e.dest}`;
    return obj;
  });
  const sort = (rows: Record<string, unknown>[]) => [...rows].sort((a, b) => key(a).localeCompare(key(b)));
  assert.deepEqual(sort(actual), sort(want));
}

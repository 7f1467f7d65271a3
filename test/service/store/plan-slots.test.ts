/**
 * The results store's write planner (results-store.ts `planSlots`): applying its deletes then writes to the
 * stored rows gives exactly the new list, in ordinal order; an unchanged row is never written; one insert,
 * change or removal is one write or delete; and inserting again and again at one spot rewrites a few rows
 * now and then (a gap re-spread), not the whole table.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { planSlots, type Slot } from "../../../src/service/store/results-store.js";

/** A table as ordinal → key, after applying a plan (deletes first, then writes, as both stores do). */
function apply(table: Map<number, string>, keys: readonly string[], old: readonly Slot[]) {
  const plan = planSlots(old, keys);
  for (const o of plan.deletes) table.delete(o);
  for (const w of plan.writes) table.set(w.ord, keys[w.index]);
  const stored = [...table].sort((a, b) => a[0] - b[0]);
  assert.deepEqual(
    stored.map(([, k]) => k),
    [...keys],
  );
  assert.deepEqual(
    plan.slots.map((s) => [s.ord, s.key]),
    stored,
  );
  return plan;
}

/** A deterministic pseudo-random sequence (xorshift), so a failure can be replayed. */
function rng(seed: number) {
  let x = seed;
  return (n: number) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}

describe("planSlots", () => {
  it("writes nothing for an unchanged list, one row for one insert, change or removal", () => {
    const table = new Map<number, string>();
    const keys = Array.from({ length: 1000 }, (_, i) => `row ${String(i).padStart(4, "0")}`);
    let plan = apply(table, keys, []);
    assert.equal(plan.writes.length, 1000);
    assert.equal(plan.fresh.length, 1000);
    plan = apply(table, keys, plan.slots);
    assert.deepEqual([plan.writes.length, plan.deletes.length, plan.fresh.length], [0, 0, 0]);
    // A new row in the middle: one insert between its neighbours.
    const inserted = [...keys.slice(0, 500), "row 0499.5", ...keys.slice(500)];
    plan = apply(table, inserted, plan.slots);
    assert.deepEqual([plan.writes.length, plan.deletes.length], [1, 0]);
    assert.deepEqual(plan.fresh, [500]);
    // A row whose line changed (its count grew): one overwrite at its own ordinal, no delete.
    const changed = inserted.map((k) => (k === "row 0123" ? "row 0123 count=2" : k));
    const ord = plan.slots[123].ord;
    plan = apply(table, changed, plan.slots);
    assert.deepEqual(plan.writes, [{ ord, index: 123 }]);
    assert.deepEqual(plan.deletes, []);
    assert.deepEqual(
      plan.gone.map((s) => s.key),
      ["row 0123"],
    );
    // A row gone: one delete.
    const removed = changed.filter((k) => k !== "row 0777");
    plan = apply(table, removed, plan.slots);
    assert.deepEqual([plan.writes.length, plan.deletes.length, plan.fresh.length], [0, 1, 0]);
    // Two rows swapped: only one of them moves.
    const swapped = [...removed];
    [swapped[10], swapped[11]] = [swapped[11], swapped[10]];
    plan = apply(table, swapped, plan.slots);
    assert.equal(plan.writes.length + plan.deletes.length, 2); // the moved row: written at a new ordinal, old one deleted
    assert.deepEqual(plan.fresh, []);
  });

  it("keeps duplicate lines as many rows as the list has", () => {
    const table = new Map<number, string>();
    let plan = apply(table, ["a", "a", "b"], []);
    plan = apply(table, ["a", "b", "a", "a"], plan.slots);
    assert.equal(plan.fresh.length, 1);
    plan = apply(table, ["a"], plan.slots);
    assert.equal(plan.deletes.length, 3);
  });

  it("inserting 2,000 times at one spot rewrites a few neighbours now and then, not the table", () => {
    const table = new Map<number, string>();
    let keys = Array.from({ length: 5000 }, (_, i) => `k${String(i).padStart(5, "0")}`);
    let plan = apply(table, keys, []);
    let written = 0;
    for (let i = 0; i < 2000; i++) {
      // Always just before the last row: the same gap is halved each time until it is used up.
      keys = [...keys.slice(0, keys.length - 1), `new ${i}`, keys[keys.length - 1]];
      plan = apply(table, keys, plan.slots);
      written += plan.writes.length + plan.deletes.length;
    }
    // The 2,000 inserts plus 380 rows moved by the re-spreads of widened gaps (rewriting the table each time
    // the gap ran out would have been about 2,000 / 20 × 5,000 = 500,000).
    assert.equal(written, 2380);
  });

  it("gives the new list exactly after random inserts, changes, removals and moves", () => {
    const next = rng(12345);
    const table = new Map<number, string>();
    let keys = Array.from({ length: 300 }, (_, i) => `r${i}`);
    let plan = apply(table, keys, []);
    for (let step = 0; step < 400; step++) {
      keys = [...keys];
      for (let k = next(4); k >= 0; k--) {
        const op = next(4);
        const at = next(keys.length + 1);
        if (op === 0) keys.splice(at, 0, `n${step}.${k}`);
        else if (op === 1 && keys.length > 0) keys[at % keys.length] = `c${step}.${k}`;
        else if (op === 2 && keys.length > 0) keys.splice(at % keys.length, 1);
        else if (keys.length > 1) keys.splice(next(keys.length), 0, ...keys.splice(at % keys.length, 1));
      }
      plan = apply(table, keys, plan.slots);
    }
  });
});

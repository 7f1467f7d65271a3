/**
 * Grouping for stats and eventstats: rows → groups keyed by the by-field values (a null by-field
 * leaves the row out; a multivalue by-field puts the row in one group per distinct value), each with
 * its aggregators. Groups come back sorted by their key values (lexicographic, `compareKeys`), as
 * tstats output is.
 */
import type { FieldValue, Row, Scalar } from "../types.js";
import type { Aggregator, AggregatorFactory } from "./aggregate.js";
import { fieldValue } from "./row-field.js";
import { compareKeys, valuesOf } from "./values.js";

export interface AggPlan {
  readonly field: string | undefined;
  /** For `fn(eval(...))`: the value per row (replaces `field`). */
  readonly get?: (row: Row) => FieldValue;
  readonly factory: AggregatorFactory;
  readonly name: string;
}

export interface Group {
  readonly keys: Scalar[];
  readonly aggs: Aggregator[];
  /** Indexes of the rows that fell in this group (for eventstats). */
  readonly members: number[];
}

export function groupRows(rows: readonly Row[], by: readonly string[], aggs: readonly AggPlan[]): Group[] {
  const groups = new Map<string, Group>();
  rows.forEach((row, index) => {
    const lists: (readonly Scalar[])[] = [];
    for (const f of by) {
      const l = valuesOf(fieldValue(row, f));
      if (l.length === 0) return;
      lists.push(l.length > 1 ? [...new Set(l)] : l);
    }
    const time = typeof row._time === "number" ? row._time : undefined;
    for (const keys of combinations(lists)) {
      const key = keys.map(String).join("\u0000");
      let g = groups.get(key);
      if (!g) {
        g = { keys, aggs: aggs.map((a) => a.factory()), members: [] };
        groups.set(key, g);
      }
      g.members.push(index);
      for (let i = 0; i < aggs.length; i++) {
        const a = aggs[i];
        g.aggs[i].add(a.get ? a.get(row) : a.field === undefined ? 1 : fieldValue(row, a.field), time);
      }
    }
  });
  const out = [...groups.values()];
  out.sort((a, b) => {
    for (let i = 0; i < a.keys.length; i++) {
      const c = compareKeys(a.keys[i], b.keys[i]);
      if (c !== 0) return c;
    }
    return 0;
  });
  return out;
}

export function combinations(lists: readonly (readonly Scalar[])[]): Scalar[][] {
  let acc: Scalar[][] = [[]];
  for (const l of lists) {
    const next: Scalar[][] = [];
    for (const prefix of acc) for (const v of l) next.push([...prefix, v]);
    acc = next;
  }
  return acc;
}

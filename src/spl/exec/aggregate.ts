/**
 * Aggregate functions shared by tstats and stats (SEMANTICS §4).
 *
 * - `count`: events in the group; `count(f)`: values of `f` (a multivalue counts each value).
 * - `min`/`max`: numeric when every value is numeric, else lexicographic on the text; the winning
 *   value is returned as it was (a number stays a number, "4120" stays text).
 * - `values(f)`: distinct values sorted lexicographically (as text); one value is returned as a
 *   single value, several as a multivalue.
 * - `dc`/`distinct_count`: number of distinct values (as text).
 * - `earliest(f)`/`latest(f)`: the value of `f` in the event with the smallest/largest `_time`;
 *   on a tie `earliest` keeps the first event seen and `latest` the last.
 * - `first(f)`/`last(f)` (stats): first/last value in input order.
 * - `sum`, `avg`: over the numeric values; null when there are none.
 * - `stdev`/`var` (sample), `stdevp`/`varp` (population), `range` (max − min), `median` (for an even
 *   count the higher middle value: Splunk documents the median as approximated to the higher of the two), over the numeric values.
 * - `mode`: the most frequent value (as text); on a tie the one seen first.
 * Every aggregate is null when it saw no value, except `count`/`dc` (0).
 */
import type { FieldValue, Scalar } from "../types.js";
import { asNumber, compareText, fromList, isNull, scalarToString, valuesOf } from "./values.js";

export interface Aggregator {
  add(value: FieldValue, time: number | undefined): void;
  result(): FieldValue;
}

export type AggregatorFactory = () => Aggregator;

export const AGGREGATE_FUNCTIONS = [
  "count",
  "dc",
  "distinct_count",
  "values",
  "list",
  "min",
  "max",
  "earliest",
  "latest",
  "first",
  "last",
  "sum",
  "avg",
  "mean",
  "stdev",
  "stdevp",
  "var",
  "varp",
  "range",
  "median",
  "mode",
] as const;

export type AggregateFunction = (typeof AGGREGATE_FUNCTIONS)[number];

export function isAggregateFunction(name: string): name is AggregateFunction {
  return (AGGREGATE_FUNCTIONS as readonly string[]).includes(name);
}

/** `hasField` false means bare `count` (counts events). */
export function aggregatorFactory(fn: AggregateFunction, hasField: boolean): AggregatorFactory {
  switch (fn) {
    case "count":
      return hasField ? () => new CountValues() : () => new CountEvents();
    case "dc":
    case "distinct_count":
      return () => new DistinctCount();
    case "values":
      return () => new Values();
    case "list":
      return () => new List();
    case "min":
      return () => new MinMax(-1);
    case "max":
      return () => new MinMax(1);
    case "earliest":
      return () => new ByTime(false);
    case "latest":
      return () => new ByTime(true);
    case "first":
      return () => new FirstLast(false);
    case "last":
      return () => new FirstLast(true);
    case "sum":
      return () => new SumAvg(false);
    case "avg":
    case "mean":
      return () => new SumAvg(true);
    case "stdev":
    case "stdevp":
    case "var":
    case "varp":
      return () => new Spread(fn);
    case "range":
      return () => new Range();
    case "median":
      return () => new Median();
    case "mode":
      return () => new Mode();
  }
}

class CountEvents implements Aggregator {
  n = 0;
  add(): void {
    this.n++;
  }
  result(): FieldValue {
    return this.n;
  }
}

class CountValues implements Aggregator {
  n = 0;
  add(v: FieldValue): void {
    if (v === null || v === undefined) return;
    this.n += Array.isArray(v) ? v.length : 1;
  }
  result(): FieldValue {
    return this.n;
  }
}

class DistinctCount implements Aggregator {
  seen = new Set<string>();
  add(v: FieldValue): void {
    for (const x of valuesOf(v)) this.seen.add(scalarToString(x));
  }
  result(): FieldValue {
    return this.seen.size;
  }
}

class Values implements Aggregator {
  seen = new Set<string>();
  add(v: FieldValue): void {
    for (const x of valuesOf(v)) this.seen.add(scalarToString(x));
  }
  result(): FieldValue {
    return fromList([...this.seen].sort(compareText));
  }
}

/** Splunk's list() keeps at most 100 values in input order. */
class List implements Aggregator {
  items: Scalar[] = [];
  add(v: FieldValue): void {
    for (const x of valuesOf(v)) if (this.items.length < 100) this.items.push(x);
  }
  result(): FieldValue {
    return fromList(this.items);
  }
}

class MinMax implements Aggregator {
  allNumeric = true;
  bestNum: Scalar | undefined;
  bestNumValue = 0;
  bestText: string | undefined;
  bestTextScalar: Scalar | undefined;
  readonly sign: 1 | -1;
  constructor(sign: 1 | -1) {
    this.sign = sign;
  }
  add(v: FieldValue): void {
    if (isNull(v)) return;
    for (const x of valuesOf(v)) {
      const n = asNumber(x);
      if (n === undefined) this.allNumeric = false;
      else if (this.bestNum === undefined || (n - this.bestNumValue) * this.sign > 0) {
        this.bestNum = x;
        this.bestNumValue = n;
      }
      const s = scalarToString(x);
      if (this.bestText === undefined || compareText(s, this.bestText) * this.sign > 0) {
        this.bestText = s;
        this.bestTextScalar = x;
      }
    }
  }
  result(): FieldValue {
    if (this.bestText === undefined) return null;
    return this.allNumeric ? (this.bestNum ?? null) : (this.bestTextScalar ?? null);
  }
}

class ByTime implements Aggregator {
  bestTime: number | undefined;
  value: FieldValue = null;
  readonly latest: boolean;
  constructor(latest: boolean) {
    this.latest = latest;
  }
  add(v: FieldValue, time: number | undefined): void {
    if (isNull(v)) return;
    const t = time ?? 0;
    if (this.bestTime === undefined || (this.latest ? t >= this.bestTime : t < this.bestTime)) {
      this.bestTime = t;
      this.value = v;
    }
  }
  result(): FieldValue {
    return this.value;
  }
}

class FirstLast implements Aggregator {
  value: FieldValue = null;
  seen = false;
  readonly last: boolean;
  constructor(last: boolean) {
    this.last = last;
  }
  add(v: FieldValue): void {
    if (isNull(v)) return;
    if (!this.seen || this.last) this.value = v;
    this.seen = true;
  }
  result(): FieldValue {
    return this.value;
  }
}

class SumAvg implements Aggregator {
  sum = 0;
  n = 0;
  readonly average: boolean;
  constructor(average: boolean) {
    this.average = average;
  }
  add(v: FieldValue): void {
    for (const x of valuesOf(v)) {
      const n = asNumber(x);
      if (n === undefined) continue;
      this.sum += n;
      this.n++;
    }
  }
  result(): FieldValue {
    if (this.n === 0) return null;
    return this.average ? this.sum / this.n : this.sum;
  }
}

function numbersOf(v: FieldValue, into: number[]): void {
  for (const x of valuesOf(v)) {
    const n = asNumber(x);
    if (n !== undefined) into.push(n);
  }
}

class Spread implements Aggregator {
  readonly nums: number[] = [];
  readonly kind: "stdev" | "stdevp" | "var" | "varp";
  constructor(kind: "stdev" | "stdevp" | "var" | "varp") {
    this.kind = kind;
  }
  add(v: FieldValue): void {
    numbersOf(v, this.nums);
  }
  result(): FieldValue {
    const n = this.nums.length;
    const sample = this.kind === "stdev" || this.kind === "var";
    if (n === 0 || (sample && n < 2)) return null;
    const mean = this.nums.reduce((a, b) => a + b, 0) / n;
    const ss = this.nums.reduce((a, b) => a + (b - mean) ** 2, 0);
    const variance = ss / (sample ? n - 1 : n);
    return this.kind.startsWith("stdev") ? Math.sqrt(variance) : variance;
  }
}

class Range implements Aggregator {
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  add(v: FieldValue): void {
    const nums: number[] = [];
    numbersOf(v, nums);
    for (const n of nums) {
      if (n < this.min) this.min = n;
      if (n > this.max) this.max = n;
    }
  }
  result(): FieldValue {
    return this.min > this.max ? null : this.max - this.min;
  }
}

class Median implements Aggregator {
  readonly nums: number[] = [];
  add(v: FieldValue): void {
    numbersOf(v, this.nums);
  }
  result(): FieldValue {
    if (this.nums.length === 0) return null;
    const s = [...this.nums].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)];
  }
}

class Mode implements Aggregator {
  readonly counts = new Map<string, number>();
  add(v: FieldValue): void {
    for (const x of valuesOf(v)) {
      const k = scalarToString(x);
      this.counts.set(k, (this.counts.get(k) ?? 0) + 1);
    }
  }
  result(): FieldValue {
    let best: string | undefined;
    let n = 0;
    for (const [k, c] of this.counts) {
      if (c > n) {
        best = k;
        n = c;
      }
    }
    return best ?? null;
  }
}

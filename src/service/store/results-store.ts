/**
 * The results store contract, implemented for SQLite (sqlite-store.ts, the default: one file, no setup) and
 * PostgreSQL (postgres-store.ts, shared by scale-out workers).
 *
 * What is stored:
 * - `batches`: one row per intake batch (an HEC request, or one bus message), keyed by its id. A batch that is
 *   already there is a duplicate (a redelivered message): its records are not counted again.
 * - `records`: the relevant data-model records per detection (the streaming session's partial state), unique
 *   per (detection, event uid). Union is the merge: it is idempotent and exact for any search, where merging
 *   count/min/max partial aggregates would be exact only for the tstats stage.
 * - `findings`, `risk_events`, `notables`: each detection's current results. A recompute writes only what
 *   changed (`planSlots`): the rows whose line is new, at an ordinal between their stored neighbours', and
 *   deletes the rows whose line is gone; a row that did not change is not written. A finding is stored as the
 *   exact `hunt --format jsonl` line.
 * - `risk_incidents`: ES's risk incidents (an entity whose 24-hour risk passed the threshold), each raised once.
 * - `scheduled_runs`: results of ES-style scheduled runs (a detection over a time window), one row per run.
 * Schema changes are numbered migrations, applied in order inside a transaction and recorded in
 * `schema_migrations`.
 */

import { createHash } from "node:crypto";
import type { DetectionResult } from "../../engine/hunt.js";
import type { Notable } from "../../engine/notable.js";
import type { RiskEvent } from "../../engine/risk.js";
import type { RelevantRecord } from "../../engine/stream-session.js";
import { isObject } from "../../ingest/json/json-access.js";
import { jsonlLines } from "../../output/jsonl.js";
import type { Row } from "../../spl/index.js";
import type { RiskIncident } from "../risk-rollup.js";

export interface BatchInfo {
  id: string;
  /** Events the batch carried (all of them, relevant or not). */
  events: number;
}

export interface StoreCounts {
  batches: number;
  events: number;
  records: number;
  findings: number;
}

export interface ScheduledRunInfo {
  detectionId: string;
  /** ISO 8601 times: when the run was due, and its window [earliest, latest). */
  runAt: string;
  earliest: string;
  latest: string;
}

/** A stored scheduled run: rows exactly like `hunt --format jsonl` rows, with its risk events and notables. */
export interface ScheduledRun {
  detection_id: string;
  run_at: string;
  earliest: string;
  latest: string;
  rows: unknown[];
  risk: RiskEvent[];
  notables: Notable[];
}

/** The JSON a scheduled run is stored as. */
export function scheduledJson(r: DetectionResult): string {
  return `{"rows":[${resultRows(r).findings.join(",")}],"risk":${JSON.stringify(r.risk)},"notables":${JSON.stringify(r.notables)}}`;
}

/** A relevant record as stored, with its sequence number (the order records were committed in). */
export interface StoredRecord extends RelevantRecord {
  seq: number;
}

/**
 * How a worker recomputes a group of detections from the shared store (`recompute`): the store hands over the
 * records committed since the worker last saw them (`since`), then asks for the group's results.
 */
export interface RecomputeStep {
  /** The highest record `seq` this process already holds for the detection (0: none). */
  since(detectionId: string): number;
  /** Records of the detection stored after `since`, in seq order. */
  add(detectionId: string, records: readonly StoredRecord[]): void;
  /** The group's current results. */
  results(detectionIds: readonly string[]): DetectionResult[];
}

/**
 * Detections recomputed together under one lock: the WinRM pack's detections and their edge correlation
 * form one group (the edges read every pack result); every other detection is a group of its own.
 */
export interface RecomputeGroup {
  lock: string;
  detectionIds: readonly string[];
}

/** What storing results changed, for the alert sinks. */
export interface StoreOutcome {
  /** Finding lines that were not stored before (a row whose count or lastTime changed is a new line). */
  findings: string[];
  /** Risk incidents raised by this write (each is raised once, whoever writes). */
  incidents: RiskIncident[];
}

export interface WriteOptions {
  /** The 24-hour risk sum over which an entity raises a risk incident (default 100, as ES). */
  riskThreshold?: number;
}

export interface ResultsStore {
  readonly kind: "sqlite" | "postgres";
  /** Applies pending migrations; returns the schema version. */
  migrate(): Promise<number>;
  /** Stores a batch and its relevant records in one transaction. `duplicate`: the batch was stored before. */
  commitBatch(batch: BatchInfo, records: readonly RelevantRecord[]): Promise<{ duplicate: boolean }>;
  /** Relevant records in the order they were stored (all detections, or one). */
  records(detectionId?: string): Promise<RelevantRecord[]>;
  /**
   * Several batches in one transaction, taking the given recompute locks shared first (PostgreSQL), so a
   * recompute holding one of them exclusively never misses a record committed with a lower seq.
   */
  commitBatches(
    batches: readonly { batch: BatchInfo; records: readonly RelevantRecord[] }[],
    locks?: readonly string[],
  ): Promise<void>;
  /** Stores the given detections' current results (only what changed) and raises the risk incidents due. */
  replaceResults(results: readonly DetectionResult[], opts?: WriteOptions): Promise<StoreOutcome>;
  /**
   * For each group, in one transaction under the group's lock (PostgreSQL advisory lock, exclusive): hands
   * the records committed since `step.since` to `step.add`, computes the group's results, stores what changed
   * and raises the risk incidents due. The last writer of a group always saw every committed record.
   */
  recompute(
    groups: readonly RecomputeGroup[],
    step: RecomputeStep,
    opts?: WriteOptions,
  ): Promise<{ results: DetectionResult[]; outcome: StoreOutcome }>;
  /** Rows inserted, overwritten or deleted in findings, risk_events and notables since the store opened. */
  readonly written: number;
  /** Findings as `hunt --format jsonl` lines, by detection id then row order. */
  findingLines(detectionId?: string): Promise<string[]>;
  riskEvents(object?: string): Promise<RiskEvent[]>;
  /** The detections' notables (by detection, row order), then the risk incidents in the order raised. */
  notables(): Promise<(Notable | RiskIncident)[]>;
  riskIncidents(): Promise<RiskIncident[]>;
  counts(): Promise<StoreCounts>;
  /** Stores one scheduled run's result (a run stored twice, e.g. by two servers, is kept once). */
  storeScheduledRun(run: ScheduledRunInfo, result: DetectionResult): Promise<void>;
  scheduledRuns(detectionId?: string): Promise<ScheduledRun[]>;
  close(): Promise<void>;
}

/** A risk event as the risk_events table stores it. */
export interface RiskRow {
  object: string;
  type: string;
  score: number;
  timeMs: number;
  searchName: string;
  /** The event's ATT&CK techniques as a JSON array. */
  techniques: string;
  json: string;
}

export interface ResultRows {
  findings: string[];
  risk: RiskRow[];
  notables: string[];
}

// Serialised forms by object: the streaming session hands back the same row, risk event and notable objects
// for what did not change, so a recompute serialises only new rows (a finding line also depends on the
// result's columns and detection, kept beside it).
const lineOf = new WeakMap<Row, { sig: string; line: string }>();
const riskRowOf = new WeakMap<RiskEvent, RiskRow>();
const notableLineOf = new WeakMap<Notable, string>();

/** The rows one detection result stores (serialised once per row object). */
export function resultRows(r: DetectionResult): ResultRows {
  const sig = `${r.detection.id}\u0000${r.detection.name}\u0000${r.columns.join("\u0000")}`;
  const findings: string[] = [];
  for (const row of r.rows) {
    const hit = lineOf.get(row);
    if (hit !== undefined && hit.sig === sig) {
      findings.push(hit.line);
      continue;
    }
    const line = jsonlLines([{ ...r, rows: [row] }]).next().value as string;
    lineOf.set(row, { sig, line });
    findings.push(line);
  }
  const risk = r.risk.map((e) => {
    let x = riskRowOf.get(e);
    if (x === undefined) {
      x = {
        object: e.risk_object,
        type: e.risk_object_type,
        score: e.risk_score,
        timeMs: Date.parse(e._time),
        searchName: e.search_name,
        techniques: JSON.stringify(e.annotations.mitre_attack),
        json: JSON.stringify(e),
      };
      riskRowOf.set(e, x);
    }
    return x;
  });
  const notables = r.notables.map((n) => {
    let x = notableLineOf.get(n);
    if (x === undefined) notableLineOf.set(n, (x = JSON.stringify(n)));
    return x;
  });
  return { findings, risk, notables };
}

/** One stored row of a detection: its ordinal, its key (the line, or a hash of it) and, for risk, its entity. */
export interface Slot {
  ord: number;
  key: string;
  entity?: string;
}

/** What a detection's rows in one table look like in the store, as this process last wrote or read them. */
export interface StoredSlots {
  findings: Slot[];
  risk: Slot[];
  notables: Slot[];
}

/** How to turn a table's stored rows into the new list: deletes, then writes (insert or overwrite). */
export interface SlotPlan {
  deletes: number[];
  /** `index` into the new list, written at `ord`. */
  writes: { ord: number; index: number }[];
  /** Indices into the new list whose key was not stored at all (new lines: what the alert sinks get). */
  fresh: number[];
  /** Stored slots whose key is gone (their risk entities changed). */
  gone: Slot[];
  /** The new stored state, in list order. */
  slots: Slot[];
}

/** Ordinal spacing of rows written at the end or the start (2^20: 20 halvings before a gap is used up). */
export const ORDINAL_STEP = 2 ** 20;
/** A gap re-spread over its neighbours keeps at least this much room per row. */
const MIN_SPACING = 2 ** 10;

/**
 * The writes that turn the stored rows `old` (ordinal order) into `keys` (new order). Rows are matched by key
 * (the k-th occurrence of a key to the k-th stored one); the longest run of matches already in order stays
 * where it is, unwritten (the common prefix and suffix are found first, by comparing in place). Every other
 * new row is written between its kept neighbours' ordinals, reusing the ordinals of stored rows that are gone
 * from that gap (an overwrite, not a delete and an insert), else at evenly spread ordinals. When a gap has no
 * room left, kept rows around it are moved (rewritten) until the widened gap leaves MIN_SPACING per row, so
 * rewrites stay rare and local.
 */
export function planSlots(
  old: readonly Slot[],
  keys: readonly string[],
  entityOf?: (index: number) => string,
): SlotPlan {
  const n = keys.length;
  let p = 0;
  while (p < n && p < old.length && keys[p] === old[p].key) p++;
  let q = 0;
  while (q < n - p && q < old.length - p && keys[n - 1 - q] === old[old.length - 1 - q].key) q++;
  const slots: Slot[] = old.slice(0, p);
  if (p === n && p === old.length) return { deletes: [], writes: [], fresh: [], gone: [], slots };
  // Plan the middle between the kept prefix and suffix; if it cannot fit there, plan everything.
  const lo = p === 0 ? Number.NEGATIVE_INFINITY : old[p - 1].ord;
  const hi = q === 0 ? Number.POSITIVE_INFINITY : old[old.length - q].ord;
  const mid = planRange(old.slice(p, old.length - q), keys.slice(p, n - q), lo, hi);
  if (mid === undefined) {
    const all = planRange(old, keys, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY) as RangePlan;
    return finish(old, keys, all, 0, entityOf, []);
  }
  const out = finish(old.slice(p, old.length - q), keys.slice(p, n - q), mid, p, entityOf, slots);
  for (let i = old.length - q; i < old.length; i++) out.slots.push(old[i]);
  return out;
}

interface RangePlan {
  match: Int32Array;
  kept: Uint8Array;
  usedOld: Uint8Array;
  ords: Float64Array;
  deletes: number[];
  writes: { ord: number; index: number }[];
}

/** The plan's result lists, with new-list indices shifted by `offset`, slots appended to `slots`. */
function finish(
  old: readonly Slot[],
  keys: readonly string[],
  r: RangePlan,
  offset: number,
  entityOf: ((index: number) => string) | undefined,
  slots: Slot[],
): SlotPlan {
  const fresh: number[] = [];
  for (let j = 0; j < keys.length; j++) {
    if (r.match[j] < 0) fresh.push(j + offset);
    if (r.kept[j] === 1) {
      slots.push(old[r.match[j]]);
      continue;
    }
    const slot: Slot = { ord: r.ords[j], key: keys[j] };
    if (entityOf !== undefined) slot.entity = entityOf(j + offset);
    slots.push(slot);
  }
  const gone: Slot[] = [];
  for (let i = 0; i < old.length; i++) if (r.usedOld[i] === 0) gone.push(old[i]);
  return {
    deletes: r.deletes,
    writes: r.writes.map((w) => ({ ord: w.ord, index: w.index + offset })),
    fresh,
    gone,
    slots,
  };
}

/** Matches, keeps and places `keys` against `old` within the open ordinal range (lo0, hi0). */
function planRange(
  old: readonly Slot[],
  keys: readonly string[],
  lo0: number,
  hi0: number,
): RangePlan | undefined {
  const n = keys.length;
  // Each key's stored indices, in order: the first in `first`, the others chained through `next`.
  const first = new Map<string, number>();
  const next = new Int32Array(old.length).fill(-1);
  for (let i = old.length - 1; i >= 0; i--) {
    const k = old[i].key;
    const f = first.get(k);
    if (f !== undefined) next[i] = f;
    first.set(k, i);
  }
  const match = new Int32Array(n).fill(-1);
  const usedOld = new Uint8Array(old.length);
  for (let j = 0; j < n; j++) {
    const i = first.get(keys[j]);
    if (i === undefined) continue;
    match[j] = i;
    usedOld[i] = 1;
    if (next[i] >= 0) first.set(keys[j], next[i]);
    else first.delete(keys[j]);
  }
  // Longest strictly increasing run of matched stored indices (patience sort with back links).
  const tails: number[] = [];
  const back = new Int32Array(n).fill(-1);
  for (let j = 0; j < n; j++) {
    const v = match[j];
    if (v < 0) continue;
    let lo = 0;
    let hi = tails.length;
    if (hi > 0 && match[tails[hi - 1]] < v) lo = hi;
    while (lo < hi) {
      const m = (lo + hi) >>> 1;
      if (match[tails[m]] < v) lo = m + 1;
      else hi = m;
    }
    if (lo > 0) back[j] = tails[lo - 1];
    tails[lo] = j;
  }
  const kept = new Uint8Array(n);
  for (let j = tails.length > 0 ? tails[tails.length - 1] : -1; j >= 0; j = back[j]) kept[j] = 1;
  const r: RangePlan = { match, kept, usedOld, ords: new Float64Array(n), deletes: [], writes: [] };
  for (;;) {
    const failed = placeGaps(old, r, lo0, hi0);
    if (failed === undefined) return r;
    if (!widen(old, r, failed, lo0, hi0)) return undefined;
    r.deletes = [];
    r.writes = [];
  }
}

/** The new-list indices of kept rows, in order. */
function keptList(kept: Uint8Array): number[] {
  const out: number[] = [];
  for (let j = 0; j < kept.length; j++) if (kept[j] === 1) out.push(j);
  return out;
}

/**
 * Assigns ordinals to the rows of every gap between kept rows (the outermost gaps bounded by lo0 and hi0);
 * returns the index of the first gap that has no room, or undefined when all were placed.
 */
function placeGaps(old: readonly Slot[], r: RangePlan, lo0: number, hi0: number): number | undefined {
  const { match, kept, ords } = r;
  const ks = keptList(kept);
  for (let g = 0; g <= ks.length; g++) {
    const start = g === 0 ? 0 : ks[g - 1] + 1;
    const end = g === ks.length ? kept.length : ks[g];
    const oldFrom = g === 0 ? 0 : match[ks[g - 1]] + 1;
    const oldTo = g === ks.length ? old.length : match[ks[g]];
    const lo = g === 0 ? lo0 : old[match[ks[g - 1]]].ord;
    const hi = g === ks.length ? hi0 : old[match[ks[g]]].ord;
    if (g > 0) ords[ks[g - 1]] = lo;
    const c = end - start;
    const freed = oldTo - oldFrom; // stored rows in this gap: none is kept, so all are rewritten or deleted
    if (c === 0 && freed === 0) continue;
    let place: number[] | undefined;
    if (c <= freed) {
      place = [];
      for (let i = 0; i < c; i++) place.push(old[oldFrom + i].ord);
    } else {
      place = spread(lo, hi, c, 1);
      if (place === undefined) return g;
    }
    const placed = new Set(place);
    for (let i = oldFrom; i < oldTo; i++) if (!placed.has(old[i].ord)) r.deletes.push(old[i].ord);
    for (let i = 0; i < c; i++) {
      ords[start + i] = place[i];
      r.writes.push({ ord: place[i], index: start + i });
    }
  }
  return undefined;
}

/** `c` increasing ordinals strictly between lo and hi, at least `spacing` apart; undefined when they do not fit. */
function spread(lo: number, hi: number, c: number, spacing: number): number[] | undefined {
  const out: number[] = [];
  if (c === 0) return out;
  if (lo === Number.NEGATIVE_INFINITY && hi === Number.POSITIVE_INFINITY) {
    for (let i = 0; i < c; i++) out.push(i * ORDINAL_STEP);
  } else if (lo === Number.NEGATIVE_INFINITY) {
    for (let i = 0; i < c; i++) out.push(hi - (c - i) * ORDINAL_STEP);
  } else if (hi === Number.POSITIVE_INFINITY) {
    for (let i = 0; i < c; i++) out.push(lo + (i + 1) * ORDINAL_STEP);
  } else {
    const d = hi - lo;
    if (d / (c + 1) < spacing) return undefined;
    for (let i = 0; i < c; i++) out.push(lo + Math.floor(((i + 1) * d) / (c + 1)));
  }
  return out;
}

/**
 * Un-keeps kept rows on both sides of gap g, doubling, until the widened gap leaves MIN_SPACING per row;
 * false when even the whole range (lo0, hi0) cannot.
 */
function widen(old: readonly Slot[], r: RangePlan, g: number, lo0: number, hi0: number): boolean {
  const { match, kept } = r;
  const ks = keptList(kept);
  for (let w = 1; ; w *= 2) {
    const left = Math.max(0, g - w);
    const right = Math.min(ks.length, g + w);
    const lo = left === 0 ? lo0 : old[match[ks[left - 1]]].ord;
    const hi = right === ks.length ? hi0 : old[match[ks[right]]].ord;
    const start = left === 0 ? 0 : ks[left - 1] + 1;
    const end = right === ks.length ? kept.length : ks[right];
    const whole = left === 0 && right === ks.length;
    if (spread(lo, hi, end - start, whole ? 1 : MIN_SPACING) !== undefined) {
      for (let i = left; i < right; i++) kept[ks[i]] = 0;
      return true;
    }
    if (whole) return false;
  }
}

/** MD5 of a stored line (hex), as PostgreSQL's md5() computes it: PostgreSQL compares rows by it. */
export function md5(text: string): string {
  return createHash("md5").update(text, "utf8").digest("hex");
}

/** A stored record back to a Row (values are strings, numbers or arrays of them, as normalize made them). */
export function parseRecord(text: string): Row {
  const v: unknown = JSON.parse(text);
  if (!isObject(v)) throw new Error("internal error: a stored record is not a JSON object");
  return v as Row;
}

/** `type<US>object` (U+001F: PostgreSQL text cannot hold NUL): a risk entity, as the per-entity lock uses it. */
export function entityKey(type: string, object: string): string {
  return `${type}\u001f${object}`;
}

export function splitEntity(key: string): [type: string, object: string] {
  const i = key.indexOf("\u001f");
  return [key.slice(0, i), key.slice(i + 1)];
}

/** One (search name, techniques) group of an entity's 24-hour window, as both stores' roll-up query returns it. */
export interface WindowRow {
  search_name: string;
  techniques: string;
  score: number;
  count: number | string;
  first: number;
  last: number;
}

/** The window's totals from its groups (scores are summed here; risk scores are integers, so exactly). */
export function windowAggregate(rows: readonly WindowRow[]): {
  score: number;
  count: number;
  firstMs: number;
  lastMs: number;
  names: string[];
  techs: string[];
} {
  return {
    score: rows.reduce((n, r) => n + Number(r.score), 0),
    count: rows.reduce((n, r) => n + Number(r.count), 0),
    firstMs: Math.min(...rows.map((r) => Number(r.first))),
    lastMs: Math.max(...rows.map((r) => Number(r.last))),
    names: rows.map((r) => r.search_name),
    techs: rows.map((r) => r.techniques),
  };
}

export function parseJsonAs<T>(text: string): T {
  const v: unknown = JSON.parse(text);
  if (!isObject(v)) throw new Error("internal error: a stored result is not a JSON object");
  return v as T;
}

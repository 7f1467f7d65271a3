/**
 * Continuous detection: events arrive in batches, and `snapshot()` gives each detection's current rows (with
 * risk events and notables), exactly what `hunt` would return over every event received so far, including the
 * WinRM pack's lateral-movement edges (the last result, as in hunt).
 *
 * Design notes:
 * - `SearchRun.finish()` can be called only once (it throws on a second call), so a live run cannot be
 *   peeked at. A snapshot replays the detection's *relevant* records into a fresh run and finishes it. A
 *   record is relevant when the search's first command keeps it (stream-probe.ts); every other record
 *   provably cannot change the result, so it is not kept. Memory grows with matching records, not traffic.
 * - Group by group. When the search after its `tstats … by …` is row-local (stream-probe.ts: every later
 *   command maps one row to rows of its own, in order), its result over all records is, for each tstats
 *   group in tstats' order (by-field values, `compareKeys`, first seen first on a tie), the result over that
 *   group's records alone. The session keeps records per group and recomputes only the groups that got a
 *   record: a 1-event batch costs one group's replay, not every record's, however many rows the detection
 *   has. Each group's rows, risk events and notables are kept as they were made, so an unchanged row is the
 *   same object from snapshot to snapshot (the store recognises it without serialising it again).
 *   Falls back to replaying every record, exactly as before, when this cannot be shown: the probe is not
 *   exact, a record joins several groups (a multivalue by-field), or two groups' results have different
 *   columns.
 * - Relevant records are keyed by the event's uid: adding the same (uid, detection) twice is a no-op, so a
 *   redelivered event is never counted twice. The service persists these records (they are the partial
 *   aggregate that workers merge) and reloads them on restart with `add()`.
 * - Only detections that got a new record since the last snapshot are recomputed; the edge correlation
 *   (lateral-movement.ts) runs again when a pack detection's result changed.
 * - Same selection, same failures and the same event → record step as hunt.ts (shared code).
 */
import type { ContentSet, Detection } from "../content/index.js";
import type { Diagnostic } from "../diag/diagnostic.js";
import type { EventFilter } from "../ingest/types.js";
import type { WinEvent } from "../model/event.js";
import { normalizeEvent } from "../normalize/normalize-event.js";
import { DATASET_DEFAULTS, findMapping, mappingFilter, SOURCE_MAPPINGS } from "../normalize/registry.js";
import { compareKeys } from "../spl/exec/values.js";
import type { Row, Scalar } from "../spl/index.js";
import {
  type CompiledDetection,
  type DetectionSelection,
  type FailedDetection,
  selectDetections,
} from "./compile-detections.js";
import { type DetectionResult, detectionResult } from "./hunt.js";
import { correlateLateralMovement, EDGE_DETECTION, type LateralMovementOptions } from "./lateral-movement.js";
import { isPackDetection } from "./lm-pack.js";
import { type RelevanceProbe, relevanceProbe } from "./stream-probe.js";

/** One event as the session receives it: a uid unique to this event occurrence (not to its content). */
export interface StreamEvent {
  uid: string;
  event: WinEvent;
}

/** A data-model record that can change one detection's result. */
export interface RelevantRecord {
  detectionId: string;
  uid: string;
  dataset: string;
  record: Row;
  /** The tstats groups it joins, when the probe said (not stored: `add` asks the probe when absent). */
  groups?: Scalar[][];
}

interface Rec {
  dataset: string;
  record: Row;
}

interface Group {
  key: string;
  keys: Scalar[];
  records: Rec[];
  dirty: boolean;
  out: DetectionResult | undefined;
}

interface Groups {
  byKey: Map<string, Group>;
  /** In tstats output order. */
  order: Group[];
  /** New groups not placed in `order` yet, in the order they appeared. */
  pending: Group[];
  /** The columns every group's result has (checked as each group is computed). */
  columns: string[] | undefined;
}

interface Entry {
  compiled: CompiledDetection;
  probe: RelevanceProbe;
  records: Map<string, Rec>;
  dirty: boolean;
  result: DetectionResult | undefined;
  /** Records by tstats group; undefined when the detection is replayed whole. */
  groups: Groups | undefined;
}

export interface StreamSessionOptions {
  /** The WinRM pack's edge correlation, as hunt's `lateralMovement` (default on; `false` turns it off). */
  lateralMovement?: LateralMovementOptions | false;
}

export class StreamSession {
  readonly failed: FailedDetection[];
  readonly excluded: { detection: Detection; reason: string }[];
  /** Readers may skip events no loaded detection can use. */
  readonly filter: EventFilter;
  /**
   * Events and mapped records seen by `ingest`/`relevantFor`, relevant records added, and records replayed
   * into search runs by snapshots (what a recompute costs).
   */
  readonly counts = { events: 0, mapped: 0, relevant: 0, replayed: 0 };

  private readonly entries = new Map<string, Entry>();
  private readonly byDataset = new Map<string, Entry[]>();
  private readonly mappings;
  private readonly defaults = new Map(DATASET_DEFAULTS.map((d) => [d.dataset, d]));
  private readonly report: (d: Diagnostic) => void;
  private readonly lm: LateralMovementOptions | false;
  /** The edge result and the pack results it was correlated from. */
  private edge: { result: DetectionResult; from: DetectionResult[] } | undefined;

  constructor(
    content: ContentSet,
    selection: DetectionSelection = {},
    report: (d: Diagnostic) => void = () => {},
    options: StreamSessionOptions = {},
  ) {
    this.report = report;
    this.lm = options.lateralMovement ?? {};
    const selected = selectDetections(content, selection);
    // selectDetections already fails detections whose data model has no mapped log source.
    const runnable = selected.compiled;
    this.failed = selected.failed;
    this.excluded = selected.excluded;
    for (const f of this.failed) for (const d of f.diagnostics) report(d);
    for (const compiled of runnable) {
      const probe = relevanceProbe(compiled.detection, compiled.search, content);
      const entry: Entry = {
        compiled,
        probe,
        records: new Map(),
        dirty: true,
        result: undefined,
        groups:
          probe.groups !== undefined
            ? { byKey: new Map(), order: [], pending: [], columns: undefined }
            : undefined,
      };
      this.entries.set(compiled.detection.id, entry);
      for (const ds of compiled.search.datasets) {
        let list = this.byDataset.get(ds);
        if (list === undefined) this.byDataset.set(ds, (list = []));
        list.push(entry);
      }
    }
    const datasets = new Set(this.byDataset.keys());
    this.mappings = SOURCE_MAPPINGS.filter((m) => datasets.has(m.dataset));
    this.filter = mappingFilter(this.mappings);
  }

  /** The detections that run, in content order (the edge correlation is not one of them). */
  get detections(): Detection[] {
    return [...this.entries.values()].map((e) => e.compiled.detection);
  }

  /** The edge correlation's pseudo-detection when it runs (pack detections loaded, not turned off). */
  get edgeDetection(): Detection | undefined {
    if (this.lm === false) return undefined;
    return this.packEntries().length > 0 ? EDGE_DETECTION : undefined;
  }

  /** The pack detections the edge correlation reads (their results decide its result). */
  get packDetectionIds(): string[] {
    return this.packEntries().map((e) => e.compiled.detection.id);
  }

  /** Whether a detection's relevance probe is exact (false: it keeps every record of its datasets). */
  probeIsExact(detectionId: string): boolean {
    return this.entries.get(detectionId)?.probe.exact ?? false;
  }

  /** Whether a detection is recomputed group by group (false: every record is replayed each time). */
  isGrouped(detectionId: string): boolean {
    return this.entries.get(detectionId)?.groups !== undefined;
  }

  /** The relevant records of a batch (not added: the caller may persist them first, then `add`). */
  relevantFor(events: readonly StreamEvent[]): RelevantRecord[] {
    const out: RelevantRecord[] = [];
    for (const { uid, event } of events) {
      this.counts.events++;
      const m = findMapping(this.mappings, event.provider, event.channel, event.eventId);
      if (m === undefined) continue;
      this.counts.mapped++;
      const record = normalizeEvent(event, m, this.defaults.get(m.dataset)) as Row;
      const targets = this.byDataset.get(m.dataset);
      if (targets === undefined) continue;
      for (const t of targets) {
        const detectionId = t.compiled.detection.id;
        if (t.probe.groups !== undefined) {
          const groups = t.probe.groups(m.dataset, record);
          if (groups.length > 0) out.push({ detectionId, uid, dataset: m.dataset, record, groups });
        } else if (t.probe.relevant(m.dataset, record)) {
          out.push({ detectionId, uid, dataset: m.dataset, record });
        }
      }
    }
    return out;
  }

  /** Adds relevant records (idempotent per detection and uid). Returns how many were new. */
  add(records: Iterable<RelevantRecord>): number {
    let added = 0;
    for (const r of records) {
      const e = this.entries.get(r.detectionId);
      if (e === undefined || e.records.has(r.uid)) continue;
      const rec = { dataset: r.dataset, record: r.record };
      e.records.set(r.uid, rec);
      e.dirty = true;
      added++;
      if (e.groups !== undefined) this.addToGroup(e, rec, r.groups);
    }
    this.counts.relevant += added;
    return added;
  }

  /** `relevantFor` then `add`. */
  ingest(events: readonly StreamEvent[]): RelevantRecord[] {
    const relevant = this.relevantFor(events);
    this.add(relevant);
    return relevant;
  }

  private addToGroup(e: Entry, rec: Rec, known: Scalar[][] | undefined): void {
    const groups = known ?? e.probe.groups?.(rec.dataset, rec.record) ?? [];
    if (groups.length !== 1) {
      // A record in several groups (or, from an older store, in none): replay this detection whole from now on.
      e.groups = undefined;
      return;
    }
    const keys = groups[0];
    // tstats' own group key (tstats.ts addTo): the same values make the same group.
    const key = keys.length === 1 ? String(keys[0]) : keys.join("\u0000");
    const all = e.groups as Groups;
    let g = all.byKey.get(key);
    if (g === undefined) {
      g = { key, keys, records: [], dirty: true, out: undefined };
      all.byKey.set(key, g);
      all.pending.push(g);
    }
    g.records.push(rec);
    g.dirty = true;
  }

  /** Ids of detections whose result changed since the last snapshot (the edge's id when a pack one did). */
  dirty(): string[] {
    const out = [...this.entries.values()].filter((e) => e.dirty).map((e) => e.compiled.detection.id);
    const edge = this.edgeDetection;
    if (edge !== undefined && (this.edge === undefined || this.packEntries().some((e) => e.dirty)))
      out.push(edge.id);
    return out;
  }

  /** Current results of every detection (in content order, the edges last), recomputing only what changed. */
  snapshot(): DetectionResult[] {
    const out = [...this.entries.values()].map((e) => this.current(e));
    const edge = this.edgeResult();
    if (edge !== undefined) out.push(edge);
    return out;
  }

  /** The current results of the given detections (the edge's id gives the edges), in the order given. */
  results(detectionIds: readonly string[]): DetectionResult[] {
    return detectionIds.map((id) => {
      if (id === EDGE_DETECTION.id && this.edgeDetection !== undefined) {
        return this.edgeResult() as DetectionResult;
      }
      const e = this.entries.get(id);
      if (e === undefined) throw new Error(`internal error: no running detection ${id}`);
      return this.current(e);
    });
  }

  /** One detection's result over the given records (the scheduler replays a time window's records). */
  resultFor(detectionId: string, records: Iterable<{ dataset: string; record: Row }>): DetectionResult {
    const e = this.entries.get(detectionId);
    if (e === undefined) throw new Error(`internal error: no running detection ${detectionId}`);
    return this.replay(e, records);
  }

  private packEntries(): Entry[] {
    return [...this.entries.values()].filter(
      (e) => isPackDetection(e.compiled.detection) && e.compiled.detection.id !== EDGE_DETECTION.id,
    );
  }

  private edgeResult(): DetectionResult | undefined {
    if (this.lm === false) return undefined;
    const pack = this.packEntries().map((e) => this.current(e));
    if (pack.length === 0) return undefined;
    if (this.edge !== undefined && pack.every((r, i) => r === this.edge?.from[i])) return this.edge.result;
    // Over the pack's results only, as hunt correlates them (correlateLateralMovement skips everything else).
    const lm = correlateLateralMovement(pack, this.lm);
    if (lm === undefined) return undefined;
    for (const d of lm.result.diagnostics) this.report(d);
    this.edge = { result: lm.result, from: pack };
    return lm.result;
  }

  private current(e: Entry): DetectionResult {
    if (e.dirty || e.result === undefined) {
      e.result = e.groups !== undefined ? this.byGroups(e, e.groups) : undefined;
      e.result ??= this.replay(e, e.records.values());
      e.dirty = false;
    }
    return e.result;
  }

  /** The result as the groups' results concatenated in tstats order; undefined when that is not exact here. */
  private byGroups(e: Entry, all: Groups): DetectionResult | undefined {
    placePending(all);
    if (all.order.length === 0) return undefined; // nothing to split: replay the empty run
    for (const g of all.order) {
      if (g.dirty || g.out === undefined) {
        g.out = this.replay(e, g.records);
        g.dirty = false;
        all.columns ??= g.out.columns;
        if (!sameColumns(g.out.columns, all.columns)) {
          // Columns that depend on the rows: the split is not shown to be exact; replay whole from now on.
          e.groups = undefined;
          return undefined;
        }
      }
    }
    const columns = all.columns as string[];
    const rows: Row[] = [];
    const risk: DetectionResult["risk"] = [];
    const notables: DetectionResult["notables"] = [];
    const diagnostics: Diagnostic[] = [];
    for (const g of all.order) {
      const o = g.out as DetectionResult;
      for (const x of o.rows) rows.push(x);
      for (const x of o.risk) risk.push(x);
      for (const x of o.notables) notables.push(x);
      for (const x of o.diagnostics) diagnostics.push(x);
    }
    return { detection: e.compiled.detection, columns, rows, risk, notables, diagnostics };
  }

  private replay(e: Entry, records: Iterable<Rec>): DetectionResult {
    const run = e.compiled.search.start();
    for (const r of records) {
      run.push(r.dataset, r.record);
      this.counts.replayed++;
    }
    return detectionResult(e.compiled.detection, run.finish(), this.report);
  }
}

/**
 * Puts new groups in tstats order: each after every group that sorts before or equal to it, so a tie keeps
 * first-seen order, as tstats' stable sort does. A few are inserted one by one; many (a restart) are appended
 * and the whole list sorted (stable: ties stay in first-seen order there too).
 */
function placePending(all: Groups): void {
  if (all.pending.length === 0) return;
  if (all.pending.length > 32) {
    all.order.push(...all.pending);
    all.order.sort((a, b) => compareGroupKeys(a.keys, b.keys));
  } else {
    for (const g of all.pending) {
      let lo = 0;
      let hi = all.order.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (compareGroupKeys(all.order[mid].keys, g.keys) <= 0) lo = mid + 1;
        else hi = mid;
      }
      all.order.splice(lo, 0, g);
    }
  }
  all.pending = [];
}

function compareGroupKeys(a: readonly Scalar[], b: readonly Scalar[]): number {
  for (let i = 0; i < a.length; i++) {
    const c = compareKeys(a[i], b[i]);
    if (c !== 0) return c;
  }
  return 0;
}

function sameColumns(a: readonly string[], b: readonly string[]): boolean {
  return a === b || (a.length === b.length && a.every((c, i) => c === b[i]));
}

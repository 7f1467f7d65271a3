/**
 * Continuous detection: events arrive in batches, and `snapshot()` gives each detection's current rows (with
 * risk events and notables), exactly what `hunt` would return over every event received so far.
 *
 * Design notes:
 * - `SearchRun.finish()` can be called only once (it throws on a second call), so a live run cannot be
 *   peeked at. A snapshot replays the detection's *relevant* records into a fresh run and finishes it. A
 *   record is relevant when the search's first command keeps it (stream-probe.ts); every other record
 *   provably cannot change the result, so it is not kept. Memory and snapshot cost grow with matching
 *   records, not with traffic.
 * - Relevant records are keyed by the event's uid: adding the same (uid, detection) twice is a no-op, so a
 *   redelivered event is never counted twice. The service persists these records (they are the partial
 *   aggregate that workers merge) and reloads them on restart with `add()`.
 * - Only detections that got a new record since the last snapshot are recomputed.
 * - Same selection, same failures and the same event → record step as hunt.ts (shared code).
 */
import type { ContentSet, Detection } from "../content/index.js";
import type { Diagnostic } from "../diag/diagnostic.js";
import type { EventFilter } from "../ingest/types.js";
import type { WinEvent } from "../model/event.js";
import { normalizeEvent } from "../normalize/normalize-event.js";
import { DATASET_DEFAULTS, findMapping, SOURCE_MAPPINGS } from "../normalize/registry.js";
import type { Row } from "../spl/index.js";
import {
  type CompiledDetection,
  type DetectionSelection,
  type FailedDetection,
  selectDetections,
} from "./compile-detections.js";
import { type DetectionResult, detectionResult } from "./hunt.js";
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
}

interface Entry {
  compiled: CompiledDetection;
  probe: RelevanceProbe;
  records: Map<string, { dataset: string; record: Row }>;
  dirty: boolean;
  result: DetectionResult | undefined;
}

export class StreamSession {
  readonly failed: FailedDetection[];
  readonly excluded: { detection: Detection; reason: string }[];
  /** Readers may skip events no loaded detection can use. */
  readonly filter: EventFilter;
  /** Events and mapped records seen by `ingest`/`relevantFor`. */
  readonly counts = { events: 0, mapped: 0, relevant: 0 };

  private readonly entries = new Map<string, Entry>();
  private readonly byDataset = new Map<string, Entry[]>();
  private readonly mappings;
  private readonly defaults = new Map(DATASET_DEFAULTS.map((d) => [d.dataset, d]));
  private readonly report: (d: Diagnostic) => void;

  constructor(
    content: ContentSet,
    selection: DetectionSelection = {},
    report: (d: Diagnostic) => void = () => {},
  ) {
    this.report = report;
    const selected = selectDetections(content, selection);
    // selectDetections already fails detections whose data model has no mapped log source.
    const runnable = selected.compiled;
    this.failed = selected.failed;
    this.excluded = selected.excluded;
    for (const f of this.failed) for (const d of f.diagnostics) report(d);
    for (const compiled of runnable) {
      const entry: Entry = {
        compiled,
        probe: relevanceProbe(compiled.detection, compiled.search, content),
        records: new Map(),
        dirty: true,
        result: undefined,
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
    const mappings = this.mappings;
    this.filter = (provider, channel, eventId) =>
      findMapping(mappings, provider, channel, eventId) !== undefined;
  }

  /** The detections that run, in content order. */
  get detections(): Detection[] {
    return [...this.entries.values()].map((e) => e.compiled.detection);
  }

  /** Whether a detection's relevance probe is exact (false: it keeps every record of its datasets). */
  probeIsExact(detectionId: string): boolean {
    return this.entries.get(detectionId)?.probe.exact ?? false;
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
        if (t.probe.relevant(m.dataset, record)) {
          out.push({ detectionId: t.compiled.detection.id, uid, dataset: m.dataset, record });
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
      e.records.set(r.uid, { dataset: r.dataset, record: r.record });
      e.dirty = true;
      added++;
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

  /** Ids of detections whose result changed since the last snapshot. */
  dirty(): string[] {
    return [...this.entries.values()].filter((e) => e.dirty).map((e) => e.compiled.detection.id);
  }

  /** Current results of every detection (in content order), recomputing only those that changed. */
  snapshot(): DetectionResult[] {
    const out: DetectionResult[] = [];
    for (const e of this.entries.values()) {
      if (e.dirty || e.result === undefined) {
        e.result = this.replay(e, e.records.values());
        e.dirty = false;
      }
      out.push(e.result);
    }
    return out;
  }

  /** One detection's result over the given records (a worker replays what the shared store holds). */
  resultFor(detectionId: string, records: Iterable<{ dataset: string; record: Row }>): DetectionResult {
    const e = this.entries.get(detectionId);
    if (e === undefined) throw new Error(`internal error: no running detection ${detectionId}`);
    return this.replay(e, records);
  }

  private replay(e: Entry, records: Iterable<{ dataset: string; record: Row }>): DetectionResult {
    const run = e.compiled.search.start();
    for (const r of records) run.push(r.dataset, r.record);
    return detectionResult(e.compiled.detection, run.finish(), this.report);
  }
}

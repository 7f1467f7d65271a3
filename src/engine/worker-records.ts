/**
 * One unit of input → batches of data-model records: the work of a hunt reader thread, also run on the
 * main thread when the input is too small to be worth starting threads. Only events a loaded source
 * mapping can use are decoded past their header (the EventFilter) and normalized.
 */
import type { Diagnostic } from "../diag/diagnostic.js";
import { type ReadUnit, readUnit } from "../ingest/parallel-units.js";
import type { EventFilter } from "../ingest/types.js";
import type { SourceMapping } from "../normalize/mapping.js";
import { normalizeEvent } from "../normalize/normalize-event.js";
import { DATASET_DEFAULTS, findMapping, mappingFilter, SOURCE_MAPPINGS } from "../normalize/registry.js";
import { compilePrefilter, type PrefilterSpec, type RecordPrefilter } from "./record-prefilter.js";
import type { FromWorker, RecordSegment } from "./worker-protocol.js";

export type UnitBatch = Extract<FromWorker, { type: "batch" }>;

/** Records per batch (a unit larger than this is sent in several batches). */
const BATCH_RECORDS = 2000;

export class UnitRecorder {
  private readonly mappings: readonly SourceMapping[];
  private readonly index: Map<SourceMapping, number>;
  private readonly defaults = new Map(DATASET_DEFAULTS.map((d) => [d.dataset, d]));
  readonly filter: EventFilter;
  private readonly keep: RecordPrefilter | undefined;

  /** `prefilter`: the loaded searches' record filters (records none keeps become `null`). */
  constructor(datasets: readonly string[], prefilter?: PrefilterSpec) {
    const wanted = new Set(datasets);
    this.mappings = SOURCE_MAPPINGS.filter((m) => wanted.has(m.dataset));
    this.index = new Map(SOURCE_MAPPINGS.map((m, i) => [m, i]));
    this.filter = mappingFilter(this.mappings);
    this.keep = prefilter === undefined ? undefined : compilePrefilter(prefilter);
  }

  /** The unit's batches; the last one carries its end (FileReports or EVTX counts). */
  async *batches(id: number, unit: ReadUnit): AsyncGenerator<UnitBatch> {
    let diagnostics: Diagnostic[] = [];
    let segments: RecordSegment[] = [];
    let count = 0;
    const reader = readUnit(unit, { filter: this.filter, report: (d) => diagnostics.push(d) });
    let next = await reader.next();
    while (next.done !== true) {
      for (const e of next.value) {
        const m = findMapping(this.mappings, e.provider, e.channel, e.eventId);
        if (m === undefined) continue;
        let seg = segments[segments.length - 1];
        if (seg === undefined || seg.file !== e.origin.file) {
          seg = { file: e.origin.file, mapping: [], records: [] };
          segments.push(seg);
        }
        seg.mapping.push(this.index.get(m) as number);
        const record = normalizeEvent(e, m, this.defaults.get(m.dataset));
        seg.records.push(this.keep === undefined || this.keep(m.dataset, record) ? record : null);
        count++;
      }
      if (count >= BATCH_RECORDS) {
        yield { type: "batch", id, diagnostics, segments };
        diagnostics = [];
        segments = [];
        count = 0;
      }
      next = await reader.next();
    }
    yield { type: "batch", id, diagnostics, segments, end: next.value };
  }
}

/**
 * `doctor`: for each detection, could it fire on this data, and if not, why not.
 *
 * Design notes:
 * - One pass over the inputs with NO event filter (doctor must see every source, not only those a
 *   detection reads). Each event is counted by source (doctor-data.ts); each event a source mapping
 *   covers becomes a record twice: without the data model's fills (to count REAL field values) and
 *   with them (what the searches see). Every selected detection's search runs as in `hunt`, and its
 *   tstats where clause is evaluated clause by clause (spl/explain-where.ts) on every record.
 * - Verdicts, in order: `cannot-run` (content or SPL problem, or a detection file that did not load),
 *   `excluded` (deprecated), `fires` (rows), `cannot-fire` (no records of its dataset, a by-field never
 *   present, or no record passes the where clause), `could-fire` (records pass the where clause but later
 *   stages remove them — usually the filter macro or a `search` after tstats; these are listed as reasons).
 * - Reasons name the fields the detection reads (`CompiledSearch.fieldsUsed`) that no record carries,
 *   and which mappings could produce them, so "4688 has no OriginalFileName" shows up by itself.
 */
import type { ContentSet } from "../content/index.js";
import type { Diagnostic } from "../diag/diagnostic.js";
import { readInputs } from "../ingest/read-inputs.js";
import type { FileReport } from "../ingest/types.js";
import { normalizeEvent } from "../normalize/normalize-event.js";
import { DATASET_DEFAULTS, findMapping, SOURCE_MAPPINGS } from "../normalize/registry.js";
import { type ClauseOutcome, type WhereExplainer, whereExplainer } from "../spl/explain-where.js";
import type { SearchRun } from "../spl/index.js";
import {
  type CompiledDetection,
  type DetectionSelection,
  rejectedLabel,
  rejectedReasons,
  selectDetections,
} from "./compile-detections.js";
import {
  type DataObservation,
  DataProfiler,
  type DatasetProfile,
  producersOf,
  type SourceCount,
} from "./doctor-data.js";
import { type NearMiss, NearMissCollector, type NearMissKind } from "./doctor-near-miss.js";
import type { ExplainSource } from "./explain.js";

export interface DoctorOptions extends DetectionSelection {
  paths: readonly string[];
  content: ContentSet;
  report?(d: Diagnostic): void;
}

export type Verdict = "fires" | "could-fire" | "cannot-fire" | "cannot-run" | "excluded";

export interface FieldNeed {
  dataset: string;
  field: string;
  /** Records of the dataset with a real value (before fills). */
  records: number;
  of: number;
  /** Source mappings that can produce the field. */
  producers: string[];
  /** The data model's fill value when absent (e.g. `unknown`), if any. */
  fill?: string;
}

export interface ClauseCount {
  clause: string;
  negated: boolean;
  evaluated: boolean;
  /** Records on which this clause held (a negated clause: did not match). */
  held: number;
}

export interface DetectionDiagnosis {
  name: string;
  id: string;
  file: string;
  verdict: Verdict;
  reasons: string[];
  datasets: { dataset: string; records: number }[];
  fields: FieldNeed[];
  where?: { passed: number; of: number; clauses: ClauseCount[] };
  rows?: number;
}

export interface DoctorReport {
  files: FileReport[];
  events: number;
  sources: SourceCount[];
  datasets: DatasetProfile[];
  observations: DataObservation[];
  nearMisses: { counts: Record<NearMissKind, number>; examples: NearMiss[] };
  detections: DetectionDiagnosis[];
  diagnostics: Diagnostic[];
}

interface Probe {
  entry: CompiledDetection;
  run: SearchRun;
  explainer: WhereExplainer | undefined;
  records: number;
  passed: number;
  held: number[];
  failed?: string;
}

export async function doctor(opts: DoctorOptions): Promise<DoctorReport> {
  const diagnostics: Diagnostic[] = [];
  const report = (d: Diagnostic) => {
    diagnostics.push(d);
    opts.report?.(d);
  };
  const selected = selectDetections(opts.content, opts);
  const probes: Probe[] = selected.compiled.map((entry) => {
    const explainer = whereExplainer(entry.detection.search, opts.content.macros);
    return {
      entry,
      run: entry.search.start(),
      explainer,
      records: 0,
      passed: 0,
      held: (explainer?.clauses ?? []).map(() => 0),
    };
  });
  const defaults = new Map(DATASET_DEFAULTS.map((d) => [d.dataset, d]));
  const profiler = new DataProfiler();
  const nearMisses = new NearMissCollector();

  const input = readInputs(opts.paths as string[], { report });
  let next = await input.next();
  while (next.done !== true) {
    for (const e of next.value) {
      const m = findMapping(SOURCE_MAPPINGS, e.provider, e.channel, e.eventId);
      profiler.event(e, m);
      if (m === undefined) continue;
      profiler.record(m, normalizeEvent(e, m, undefined));
      const record = normalizeEvent(e, m, defaults.get(m.dataset));
      if (m.dataset === "Endpoint.Processes") {
        const source: ExplainSource = { ...e.origin, eventId: e.eventId, mapping: m.id };
        if (e.recordId !== undefined) source.recordId = e.recordId;
        nearMisses.offer(record, source);
      }
      for (const p of probes) {
        if (p.failed !== undefined || !p.entry.search.datasets.includes(m.dataset)) continue;
        try {
          p.run.push(m.dataset, record);
        } catch (err) {
          p.failed = err instanceof Error ? err.message : String(err);
          continue;
        }
        const x = p.explainer;
        if (x === undefined || x.dataset !== m.dataset) continue;
        p.records++;
        if (x.passes(record)) p.passed++;
        x.explain(record).forEach((c: ClauseOutcome, i) => {
          if (!c.clause.evaluated || c.matched !== c.clause.negated) p.held[i]++;
        });
      }
    }
    next = await input.next();
  }
  const files = next.value;

  const detections: DetectionDiagnosis[] = [];
  for (const f of selected.failed) {
    detections.push({
      name: f.detection.name,
      id: f.detection.id,
      file: f.detection.file,
      verdict: "cannot-run",
      reasons: f.diagnostics.map((d) => `[${d.code}] ${d.message}`),
      datasets: [],
      fields: [],
    });
  }
  // A detection file that did not load (bad YAML, a schema error) cannot run either.
  for (const r of selected.rejected) {
    detections.push({
      ...rejectedLabel(r),
      verdict: "cannot-run",
      reasons: rejectedReasons(r),
      datasets: [],
      fields: [],
    });
  }
  for (const x of selected.excluded) {
    detections.push({
      name: x.detection.name,
      id: x.detection.id,
      file: x.detection.file,
      verdict: "excluded",
      reasons: [x.reason],
      datasets: [],
      fields: [],
    });
  }
  for (const p of probes) detections.push(diagnose(p, profiler, defaults));
  detections.sort((a, b) => a.name.localeCompare(b.name));

  return {
    files,
    events: profiler.events,
    sources: profiler.sourceCounts(),
    datasets: profiler.datasetProfiles(),
    observations: profiler.observations(),
    nearMisses: { counts: nearMisses.counts, examples: nearMisses.examples },
    detections,
    diagnostics,
  };
}

function diagnose(
  p: Probe,
  profiler: DataProfiler,
  defaults: ReadonlyMap<string, (typeof DATASET_DEFAULTS)[number]>,
): DetectionDiagnosis {
  const d = p.entry.detection;
  const search = p.entry.search;
  const reasons: string[] = [];
  const datasets = search.datasets.map((ds) => ({ dataset: ds, records: profiler.dataset(ds).records }));
  const fields: FieldNeed[] = [];
  for (const [ds, names] of search.fieldsUsed) {
    const prof = profiler.dataset(ds);
    for (const field of names) {
      // The field is named by the search: only the tables' own keys count (`toString` is a field like any other).
      const need: FieldNeed = {
        dataset: ds,
        field,
        records:
          field === "_time" ? prof.records : Object.hasOwn(prof.fields, field) ? prof.fields[field] : 0,
        of: prof.records,
        producers: producersOf(SOURCE_MAPPINGS, defaults.get(ds), ds, field),
      };
      const fills = defaults.get(ds)?.fill;
      if (fills !== undefined && Object.hasOwn(fills, field)) need.fill = fills[field];
      fields.push(need);
    }
  }
  const out: DetectionDiagnosis = {
    name: d.name,
    id: d.id,
    file: d.file,
    verdict: "fires",
    reasons,
    datasets,
    fields,
  };
  if (p.explainer !== undefined) {
    out.where = {
      passed: p.passed,
      of: p.records,
      clauses: p.explainer.clauses.map((c, i) => ({
        clause: c.text,
        negated: c.negated,
        evaluated: c.evaluated,
        held: p.held[i],
      })),
    };
  }
  if (p.failed !== undefined) {
    out.verdict = "cannot-run";
    reasons.push(`the search failed while running: ${p.failed}`);
    return out;
  }
  let rows = 0;
  try {
    rows = p.run.finish().rows.length;
  } catch (err) {
    out.verdict = "cannot-run";
    reasons.push(`the search failed while running: ${err instanceof Error ? err.message : String(err)}`);
    return out;
  }
  out.rows = rows;

  for (const ds of datasets) {
    if (ds.records > 0) continue;
    const feeders = SOURCE_MAPPINGS.filter((m) => m.dataset === ds.dataset)
      .map((m) => `${m.id} (EventID ${m.match.eventId}, ${m.match.providerOrChannel})`)
      .join(", ");
    reasons.push(`no ${ds.dataset} records in this data; they come from ${feeders}`);
  }
  for (const f of fields) {
    if (f.of === 0 || f.records > 0) continue;
    const present = Object.keys(profiler.dataset(f.dataset).byMapping);
    const cannot = present.filter((m) => !f.producers.includes(m));
    const fill = f.fill !== undefined ? ` (every record has the fill value "${f.fill}")` : "";
    const why =
      cannot.length > 0
        ? `; ${cannot.join(", ")} cannot produce it${f.producers.length > 0 ? ` (only ${f.producers.join(", ")} can)` : ""}`
        : "";
    reasons.push(`${f.field} is never present in ${f.of} ${f.dataset} records${fill}${why}`);
  }
  if (rows > 0) {
    out.verdict = "fires";
    reasons.unshift(`fires: ${rows} row${rows === 1 ? "" : "s"}`);
    return out;
  }
  if (datasets.some((ds) => ds.records === 0)) {
    out.verdict = "cannot-fire";
    return out;
  }
  const w = out.where;
  if (w !== undefined && w.passed === 0) {
    out.verdict = "cannot-fire";
    const none = w.clauses
      .filter((c) => c.evaluated && c.held === 0)
      .map((c) => (c.negated ? `NOT ${c.clause}` : c.clause));
    reasons.unshift(
      `no record passes the where clause (0 of ${w.of})${none.length > 0 ? `; never true here: ${none.join(", ")}` : ""}`,
    );
    return out;
  }
  out.verdict = "could-fire";
  reasons.unshift(
    w !== undefined
      ? `${w.passed} of ${w.of} records pass the where clause, but no row survives the rest of the search (by-fields missing, a later search/where, or the filter macro)`
      : "records of its dataset exist, but the search returned no rows",
  );
  return out;
}

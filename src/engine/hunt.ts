/**
 * `hunt`: one pass over the logs for all detections. Each event is read once, normalized once per data-model
 * dataset, and pushed to every search that reads that dataset; searches finish when the input ends.
 *
 * The CLI and the service both call `hunt`; it prints nothing and returns everything it found.
 */
import type { ContentSet, Detection, RejectedDetection } from "../content/index.js";
import type { Diagnostic } from "../diag/diagnostic.js";
import { readInputs } from "../ingest/read-inputs.js";
import type { EventFilter, FileReport } from "../ingest/types.js";
import type { WinEvent } from "../model/event.js";
import type { SourceMapping } from "../normalize/mapping.js";
import { type CimRecord, normalizeEvent } from "../normalize/normalize-event.js";
import { DATASET_DEFAULTS, findMapping, mappingFilter, SOURCE_MAPPINGS } from "../normalize/registry.js";
import { type Row, rawTimeOf, type SearchRun } from "../spl/index.js";
import {
  type CompiledDetection,
  type DetectionSelection,
  type FailedDetection,
  selectDetections,
} from "./compile-detections.js";
import { ExplainCollector, type RowExplanation } from "./explain.js";
import {
  correlateLateralMovement,
  type LateralMovement,
  type LateralMovementOptions,
} from "./lateral-movement.js";
import { type Notable, notableFor } from "./notable.js";
import { parallelRecords } from "./parallel-hunt.js";
import { prefilterSpec } from "./record-prefilter.js";
import { type RiskEvent, riskEventsFor } from "./risk.js";

export interface HuntOptions extends DetectionSelection {
  paths: readonly string[];
  content: ContentSet;
  /** Called for each diagnostic as it happens (the run summary lists them all too). */
  report?(d: Diagnostic): void;
  onFile?(r: FileReport): void;
  onProgress?(bytesDone: number): void;
  /** WinRM pack correlation after all detections finish (default on; `false` turns it off). */
  lateralMovement?: LateralMovementOptions | false;
  /** `--explain`: tie each result row to its source events and where-clause matches (engine/explain.ts). */
  explain?: boolean;
  /** `--strict`: stop reading at the first input problem (an `input-strict-stop` diagnostic says so). */
  strict?: boolean;
  /** `--carve-slack`: read the records in EVTX chunk slack too, marked `recovered` (one reader thread). */
  carveSlack?: boolean;
  /** Per-file watchdog budget in ms (readInputs' default when undefined). */
  stallMs?: number;
  /**
   * Reader threads (default 1: read on this thread). With 2 or more, inputs are decoded, filtered and
   * normalized on worker threads (engine/parallel-hunt.ts) and the results are identical. `explain` needs
   * the events themselves, `strict` stops in order, standard input (`-`) is this thread's, and `carveSlack` is an
   * opt-in forensic mode: they read here.
   */
  workers?: number;
}

export interface DetectionResult {
  detection: Detection;
  columns: string[];
  rows: Row[];
  risk: RiskEvent[];
  notables: Notable[];
  diagnostics: Diagnostic[];
  /** With `explain`: one explanation per row, in row order. */
  explain?: RowExplanation[];
}

export interface HuntStats {
  files: FileReport[];
  /** Events read from all inputs (process events or not). */
  events: number;
  /** Events that a source mapping turned into a data-model record, by mapping id (e.g. sysmon-1). */
  mapped: Record<string, number>;
  /**
   * Data-model records by file (of every data model). Keyed by the paths as given, so without a prototype: a
   * file named `constructor` or `__proto__` is a key like any other.
   */
  mappedByFile: Record<string, number>;
  /**
   * Data-model records by file and data-model dataset (`Endpoint.Processes`, `Endpoint.Filesystem`, …); without a
   * prototype, as `mappedByFile`.
   */
  datasetsByFile: Record<string, Record<string, number>>;
  seconds: number;
}

export interface HuntResult {
  results: DetectionResult[];
  failed: FailedDetection[];
  excluded: { detection: Detection; reason: string }[];
  /** Detection files of the selection that did not load (bad YAML, schema errors): they could not run either. */
  rejected: RejectedDetection[];
  diagnostics: Diagnostic[];
  stats: HuntStats;
  /** WinRM pack edges, when pack detections ran (their rows are also the last entry of `results`). */
  lateralMovement?: LateralMovement;
}

interface ActiveSearch {
  entry: CompiledDetection;
  run: SearchRun;
  /** Set when the search failed while running; it takes no more records and is reported as failed. */
  error?: Diagnostic;
  /** With `explain`: the records behind the rows (engine/explain.ts). */
  explain?: ExplainCollector;
}

/**
 * A detection that throws while running (a bad regex in its content, or a bug of ours) fails alone: the
 * others keep running and the failure is reported with the detection's name.
 */
function runtimeFailure(entry: CompiledDetection, err: unknown): Diagnostic {
  const content = err instanceof Error && err.name === "SplError";
  const text = err instanceof Error ? err.message : String(err);
  return {
    code: "spl-runtime",
    severity: "error",
    message: content ? text : `internal error while running the search: ${text}`,
    file: entry.detection.file,
    detection: entry.detection.name,
  };
}

export async function hunt(opts: HuntOptions): Promise<HuntResult> {
  const started = performance.now();
  const diagnostics: Diagnostic[] = [];
  const report = (d: Diagnostic) => {
    diagnostics.push(d);
    opts.report?.(d);
  };

  const selected = selectDetections(opts.content, opts);
  const runnable = selected.compiled;
  const failed = selected.failed;
  for (const f of failed) for (const d of f.diagnostics) report(d);

  const datasets = new Set(runnable.flatMap((c) => c.search.datasets));
  const mappings = SOURCE_MAPPINGS.filter((m) => datasets.has(m.dataset));
  const defaults = new Map(DATASET_DEFAULTS.map((d) => [d.dataset, d]));
  const byDataset = new Map<string, ActiveSearch[]>();
  const active: ActiveSearch[] = runnable.map((entry) => ({
    entry,
    run: entry.search.start(),
    ...(opts.explain === true ? { explain: new ExplainCollector(entry.detection, opts.content.macros) } : {}),
  }));
  for (const a of active) {
    for (const ds of a.entry.search.datasets) {
      let list = byDataset.get(ds);
      if (list === undefined) byDataset.set(ds, (list = []));
      list.push(a);
    }
  }

  const filter: EventFilter = mappingFilter(mappings);
  const stats: HuntStats = {
    files: [],
    events: 0,
    mapped: {},
    mappedByFile: Object.create(null),
    datasetsByFile: Object.create(null),
    seconds: 0,
  };

  const consume = (e: WinEvent) => {
    const m = findMapping(mappings, e.provider, e.channel, e.eventId);
    if (m === undefined) return;
    consumeRecord(m, e.origin.file, normalizeEvent(e, m, defaults.get(m.dataset)), e);
  };
  /** `record` null: a record the reader's prefilter left out (no search can use it): only counted. */
  const consumeRecord = (m: SourceMapping, file: string, record: CimRecord | null, e?: WinEvent) => {
    stats.mapped[m.id] = (stats.mapped[m.id] ?? 0) + 1;
    stats.mappedByFile[file] = (stats.mappedByFile[file] ?? 0) + 1;
    let byDs = stats.datasetsByFile[file];
    if (byDs === undefined) stats.datasetsByFile[file] = byDs = {};
    byDs[m.dataset] = (byDs[m.dataset] ?? 0) + 1;
    if (record === null) return;
    const targets = byDataset.get(m.dataset);
    if (targets === undefined) return;
    for (const t of targets) {
      if (t.error !== undefined) continue;
      try {
        t.run.push(m.dataset, record);
        if (e !== undefined) t.explain?.offer(m.dataset, record, e, m.id);
      } catch (err) {
        t.error = runtimeFailure(t.entry, err);
      }
    }
  };

  // Standard input (`-`) belongs to this thread: a run that reads it reads on this thread.
  const oneThread =
    opts.explain === true || opts.strict === true || opts.carveSlack === true || opts.paths.includes("-");
  const workers = oneThread ? 1 : (opts.workers ?? 1);
  if (workers > 1) {
    const input = parallelRecords(opts.paths, {
      workers,
      datasets: [...datasets],
      prefilter: prefilterSpec(runnable.map((c) => c.search)),
      report,
      onFile: opts.onFile,
      onProgress: opts.onProgress,
    });
    let next = await input.next();
    while (next.done !== true) {
      for (const seg of next.value) {
        for (let i = 0; i < seg.records.length; i++)
          consumeRecord(SOURCE_MAPPINGS[seg.mapping[i]], seg.file, seg.records[i]);
      }
      next = await input.next();
    }
    stats.files = next.value;
  } else {
    const input = readInputs(opts.paths as string[], {
      strict: opts.strict,
      carveSlack: opts.carveSlack,
      stallMs: opts.stallMs,
      filter,
      report,
      onFile: opts.onFile,
      onProgress: opts.onProgress,
    });
    let next = await input.next();
    while (next.done !== true) {
      for (const e of next.value) consume(e);
      next = await input.next();
    }
    stats.files = next.value;
  }
  stats.events = stats.files.reduce((n, f) => n + f.events, 0);

  const results: DetectionResult[] = [];
  for (const a of active) {
    if (a.error === undefined) {
      try {
        const r = detectionResult(a.entry.detection, a.run.finish(), report);
        if (a.explain !== undefined) r.explain = a.explain.explain(r.rows);
        results.push(r);
        continue;
      } catch (err) {
        a.error = runtimeFailure(a.entry, err);
      }
    }
    report(a.error);
    failed.push({ detection: a.entry.detection, diagnostics: [a.error] });
  }
  const lateralMovement =
    opts.lateralMovement === false ? undefined : correlateLateralMovement(results, opts.lateralMovement);
  if (lateralMovement !== undefined) {
    for (const d of lateralMovement.result.diagnostics) report(d);
    results.push(lateralMovement.result);
  }
  stats.seconds = (performance.now() - started) / 1000;
  return {
    results,
    failed,
    excluded: selected.excluded,
    rejected: selected.rejected,
    diagnostics,
    stats,
    lateralMovement,
  };
}

/** A finished search's rows with their risk events and notables (shared with the streaming session). */
export function detectionResult(
  detection: Detection,
  out: { rows: Row[]; columns: string[]; diagnostics: Diagnostic[] },
  report: (d: Diagnostic) => void,
): DetectionResult {
  for (const d of out.diagnostics) report(d);
  const risk: RiskEvent[] = [];
  const notables: Notable[] = [];
  const detDiags = [...out.diagnostics];
  for (const row of out.rows) {
    const time = rowTime(row);
    const r = riskEventsFor(detection, row, time);
    risk.push(...r.events);
    for (const d of r.diagnostics) {
      detDiags.push(d);
      report(d);
    }
    const n = notableFor(detection, row, time);
    if (n !== undefined) notables.push(n);
  }
  return { detection, columns: out.columns, rows: out.rows, risk, notables, diagnostics: detDiags };
}

/** The row's latest event time: `lastTime` before `convert ctime` formatted it, else a numeric `_time`. */
function rowTime(row: Row): number | undefined {
  const raw = rawTimeOf(row, "lastTime");
  if (raw !== undefined) return raw;
  for (const f of ["lastTime", "_time"]) {
    const v = row[f];
    if (typeof v === "number") return v;
  }
  return undefined;
}

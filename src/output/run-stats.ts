/**
 * The run summary as data: what `--stats-json FILE` writes and what the stderr summary prints.
 * The schema is documented in docs/stats-json.md; `version` changes when a field changes meaning.
 */
import type { Diagnostic } from "../diag/diagnostic.js";
import { rejectedLabel, rejectedReasons } from "../engine/compile-detections.js";
import type { HuntResult } from "../engine/hunt.js";

export interface FileStats {
  file: string;
  format: string | null;
  containers: string[];
  events: number;
  /** Endpoint.Processes records (Sysmon 1, Security 4688). */
  process_events: number;
  /** Data-model records by dataset (`Endpoint.Processes`, `Endpoint.Filesystem`, …), of every model searched. */
  datasets: Record<string, number>;
  malformed: number;
  recovered: number;
  skipped: string | null;
  unreadable: string | null;
  /** Read, but not all of it could be (a cut, an I/O error or stall part-way, `--strict` stopping in it). */
  damaged: string | null;
  /** Not opened: `--strict` had already stopped the run. */
  not_read: string | null;
  problems: Record<string, number>;
}

export interface DetectionStats {
  name: string;
  id: string;
  file: string;
  status: "ran" | "failed" | "excluded";
  rows: number;
  risk_events: number;
  reasons: string[];
}

export interface RunStats {
  version: 1;
  seconds: number;
  totals: {
    files: number;
    files_read: number;
    files_skipped: number;
    files_unreadable: number;
    files_damaged: number;
    files_not_read: number;
    events: number;
    process_events: number;
    malformed: number;
    recovered: number;
    detections_run: number;
    detections_failed: number;
    detections_excluded: number;
    rows: number;
    risk_events: number;
    notables: number;
  };
  mapped: Record<string, number>;
  /** Data-model records by dataset, all files. */
  datasets: Record<string, number>;
  files: FileStats[];
  detections: DetectionStats[];
  diagnostics: Diagnostic[];
}

/** The data-model dataset `process_events` counts. */
const PROCESSES = "Endpoint.Processes";

function totalsByDataset(files: readonly FileStats[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of files) for (const [ds, n] of Object.entries(f.datasets)) out[ds] = (out[ds] ?? 0) + n;
  return out;
}

export function runStats(h: HuntResult): RunStats {
  const files: FileStats[] = h.stats.files.map((f) => ({
    file: f.file,
    format: f.format ?? null,
    containers: f.containers ?? [],
    events: f.events,
    process_events: h.stats.datasetsByFile[f.file]?.[PROCESSES] ?? 0,
    datasets: { ...h.stats.datasetsByFile[f.file] },
    malformed: f.malformed,
    recovered: f.recovered ?? 0,
    skipped: f.skipped ?? null,
    unreadable: f.unreadable ?? null,
    damaged: f.damaged ?? null,
    not_read: f.notRead ?? null,
    problems: f.problems ?? {},
  }));
  const detections: DetectionStats[] = [
    ...h.results.map((r) => ({
      name: r.detection.name,
      id: r.detection.id,
      file: r.detection.file,
      status: "ran" as const,
      rows: r.rows.length,
      risk_events: r.risk.length,
      reasons: [],
    })),
    ...h.failed.map((f) => ({
      name: f.detection.name,
      id: f.detection.id,
      file: f.detection.file,
      status: "failed" as const,
      rows: 0,
      risk_events: 0,
      reasons: f.diagnostics.map((d) => `[${d.code}] ${d.message}`),
    })),
    // Detection files that did not load (bad YAML, a schema error): they could not run either.
    ...h.rejected.map((r) => ({
      ...rejectedLabel(r),
      status: "failed" as const,
      rows: 0,
      risk_events: 0,
      reasons: rejectedReasons(r),
    })),
    ...h.excluded.map((x) => ({
      name: x.detection.name,
      id: x.detection.id,
      file: x.detection.file,
      status: "excluded" as const,
      rows: 0,
      risk_events: 0,
      reasons: [x.reason],
    })),
  ];
  const sum = (f: (x: FileStats) => number) => files.reduce((n, x) => n + f(x), 0);
  return {
    version: 1,
    seconds: Math.round(h.stats.seconds * 1000) / 1000,
    totals: {
      files: files.length,
      files_read: files.filter((f) => f.skipped === null && f.unreadable === null && f.not_read === null)
        .length,
      files_skipped: files.filter((f) => f.skipped !== null).length,
      files_unreadable: files.filter((f) => f.unreadable !== null).length,
      files_damaged: files.filter((f) => f.damaged !== null).length,
      files_not_read: files.filter((f) => f.not_read !== null).length,
      events: sum((f) => f.events),
      process_events: sum((f) => f.process_events),
      malformed: sum((f) => f.malformed),
      recovered: sum((f) => f.recovered),
      detections_run: h.results.length,
      detections_failed: h.failed.length + h.rejected.length,
      detections_excluded: h.excluded.length,
      rows: h.results.reduce((n, r) => n + r.rows.length, 0),
      risk_events: h.results.reduce((n, r) => n + r.risk.length, 0),
      notables: h.results.reduce((n, r) => n + r.notables.length, 0),
    },
    mapped: h.stats.mapped,
    datasets: totalsByDataset(files),
    files,
    detections,
    diagnostics: h.diagnostics,
  };
}

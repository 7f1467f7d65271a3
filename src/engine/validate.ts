/**
 * `validate`: can each detection run in this build? Every detection file is listed — loaded, or not with the
 * exact construct and position that stops it — and a summary per data model.
 */
import type { ContentSet } from "../content/index.js";
import { type Diagnostic, formatDiagnostic } from "../diag/diagnostic.js";
import { selectDetections } from "./compile-detections.js";

export interface ValidationEntry {
  name: string;
  id: string;
  file: string;
  /**
   * The detection's own YAML `status` (production, experimental, deprecated, …); null when the YAML has none (a v1
   * file, which runs as production) or never parsed.
   */
  status: string | null;
  datamodels: string[];
  loaded: boolean;
  /** Why it cannot run: the first error, with its position. */
  reason?: string;
  diagnostics: Diagnostic[];
}

export interface DatamodelSummary {
  datamodel: string;
  total: number;
  loaded: number;
  /** Not deprecated. */
  active: number;
  activeLoaded: number;
}

export interface Validation {
  entries: ValidationEntry[];
  byDatamodel: DatamodelSummary[];
}

function reasonOf(diagnostics: readonly Diagnostic[]): string {
  const first = diagnostics.find((d) => d.severity === "error") ?? diagnostics[0];
  return first === undefined ? "unknown" : formatDiagnostic(first);
}

export function validateContent(content: ContentSet): Validation {
  const selected = selectDetections(content, { includeDeprecated: true });
  const entries: ValidationEntry[] = [];
  const failed = new Map(selected.failed.map((f) => [f.detection, f.diagnostics]));
  for (const d of content.detections) {
    const diagnostics = failed.get(d) ?? [];
    const loaded = !failed.has(d);
    entries.push({
      name: d.name,
      id: d.id,
      file: d.file,
      status: d.declaredStatus ?? null,
      datamodels: d.datamodels,
      loaded,
      ...(loaded ? {} : { reason: reasonOf(diagnostics) }),
      diagnostics,
    });
  }
  for (const r of content.rejected) {
    entries.push({
      name: r.name ?? r.file,
      id: r.id ?? "",
      file: r.file,
      status: null,
      datamodels: [],
      loaded: false,
      reason: r.reason,
      diagnostics: r.diagnostics,
    });
  }
  return { entries, byDatamodel: summarizeByDatamodel(entries) };
}

/** Per data model (`(none)` for a detection that names none): detections, loaded, active, active loaded. */
export function summarizeByDatamodel(entries: readonly ValidationEntry[]): DatamodelSummary[] {
  const models = new Map<string, DatamodelSummary>();
  for (const e of entries) {
    for (const dm of e.datamodels.length > 0 ? e.datamodels : ["(none)"]) {
      let s = models.get(dm);
      if (s === undefined)
        models.set(dm, (s = { datamodel: dm, total: 0, loaded: 0, active: 0, activeLoaded: 0 }));
      s.total++;
      if (e.loaded) s.loaded++;
      if (e.status !== "deprecated") {
        s.active++;
        if (e.loaded) s.activeLoaded++;
      }
    }
  }
  return [...models.values()].sort((a, b) => b.total - a.total || a.datamodel.localeCompare(b.datamodel));
}

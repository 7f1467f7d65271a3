/**
 * Turns loaded detections into runnable searches. A detection that cannot run (unsupported SPL, unknown
 * macro, syntax error) is kept in `failed` with its diagnostics, and a detection file that did not load (bad
 * YAML, a schema error) in `rejected`: never dropped silently.
 */
import type { ContentSet, Detection, RejectedDetection } from "../content/index.js";
import type { Diagnostic } from "../diag/diagnostic.js";
import { SOURCE_MAPPINGS } from "../normalize/registry.js";
import { type CompiledSearch, compileSearch } from "../spl/index.js";

export interface CompiledDetection {
  detection: Detection;
  search: CompiledSearch;
}

export interface FailedDetection {
  detection: Detection;
  diagnostics: Diagnostic[];
}

export interface DetectionSelection {
  /** Run `status: deprecated` detections too (default false). */
  includeDeprecated?: boolean;
  /** Only detections whose name or id is listed (case-insensitive name match); all when empty. */
  only?: readonly string[];
}

export interface CompiledSet {
  compiled: CompiledDetection[];
  failed: FailedDetection[];
  /** Detections left out by the selection (deprecated, or not named), with why. */
  excluded: { detection: Detection; reason: string }[];
  /**
   * Detection files of the content that did not load (`ContentSet.rejected`), those the selection names (by the
   * name or id that could be read) or all when it names none: they cannot run, and are counted as failed.
   */
  rejected: RejectedDetection[];
}

export function selectDetections(content: ContentSet, sel: DetectionSelection): CompiledSet {
  const out: CompiledSet = { compiled: [], failed: [], excluded: [], rejected: [] };
  const wanted = new Set((sel.only ?? []).map((s) => s.toLowerCase()));
  out.rejected = content.rejected.filter(
    (r) =>
      wanted.size === 0 ||
      (r.name !== undefined && wanted.has(r.name.toLowerCase())) ||
      (r.id !== undefined && wanted.has(r.id.toLowerCase())),
  );
  for (const detection of content.detections) {
    if (
      wanted.size > 0 &&
      !wanted.has(detection.name.toLowerCase()) &&
      !wanted.has(detection.id.toLowerCase())
    ) {
      continue;
    }
    if (detection.status === "deprecated" && sel.includeDeprecated !== true) {
      out.excluded.push({ detection, reason: "deprecated (use --include-deprecated to run it)" });
      continue;
    }
    const result = compileSearch(detection.search, {
      macros: content.macros,
      lookups: content.lookups,
      origin: { detection: detection.name, file: detection.file, line: detection.searchLine },
    });
    if (result.search === undefined) {
      out.failed.push({ detection, diagnostics: result.diagnostics });
      continue;
    }
    const unmapped = unmappedDatasets(result.search);
    if (unmapped !== undefined) {
      out.failed.push({
        detection,
        diagnostics: [
          {
            code: "datamodel-unsupported",
            severity: "error",
            message: unmapped,
            file: detection.file,
            detection: detection.name,
          },
        ],
      });
    } else out.compiled.push({ detection, search: result.search });
  }
  return out;
}

const MAPPED_DATASETS = new Set(SOURCE_MAPPINGS.map((m) => m.dataset));

/** Why a compiled search could never see data in this build (no source mapped to its data model), if so. */
function unmappedDatasets(search: CompiledSearch): string | undefined {
  if (search.datasets.length === 0) {
    return "the search reads raw events, not a data model; only data-model (tstats) searches are supported";
  }
  const missing = search.datasets.filter((d) => !MAPPED_DATASETS.has(d));
  if (missing.length === 0) return undefined;
  return `no log source is mapped to data model ${missing.join(", ")} yet (mapped: ${[...MAPPED_DATASETS].join(", ")})`;
}

/**
 * Why a detection file did not load, one reason per error (`[content-yaml] … (line 2, column 1)`), as the
 * run summary's and doctor's reasons for a detection that cannot run.
 */
export function rejectedReasons(r: RejectedDetection): string[] {
  const errors = r.diagnostics.filter((d) => d.severity === "error");
  const shown = errors.length > 0 ? errors : r.diagnostics;
  if (shown.length === 0) return [r.reason];
  return shown.map((d) => {
    const where = d.line !== undefined ? ` (line ${d.line}, column ${d.column ?? 1})` : "";
    return `[${d.code}] ${d.message}${where}`;
  });
}

/**
 * The name a detection file that did not load is listed under: its name when that could be read, else its
 * file (as `winnow validate` lists it); its id, or "" when none could be read.
 */
export function rejectedLabel(r: RejectedDetection): { name: string; id: string; file: string } {
  return { name: r.name ?? r.file, id: r.id ?? "", file: r.file };
}

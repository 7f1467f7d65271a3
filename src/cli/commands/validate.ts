/**
 * `winnow validate [--content DIR]... [--format text|json]`: lists every detection, loaded or not with the
 * construct and position that stops it, then a summary per data model.
 */
import { summarizeByDatamodel, type ValidationEntry, validateContent } from "../../engine/validate.js";
import { EXIT, UsageError } from "../exit-codes.js";
import { writeLines } from "../write-lines.js";
import { loadContentOrFail } from "./hunt.js";

export interface ValidateFlags {
  content: string[];
  format: "text" | "json";
  datamodel?: string;
  onlyFailed: boolean;
}

/**
 * `--datamodel NAME` as Splunk reads a `datamodel=` name, case-insensitively: the spellings the loaded
 * detections use that it matches. None is a usage error listing them — not an empty list that exits 0.
 */
function matchDatamodel(name: string, entries: readonly ValidationEntry[]): Set<string> {
  const known = [...new Set(entries.flatMap((e) => e.datamodels))].sort();
  const matched = known.filter((k) => k.toLowerCase() === name.toLowerCase());
  if (matched.length === 0)
    throw new UsageError(
      `--datamodel ${name}: no loaded detection reads that data model; those read: ${known.join(", ")}`,
    );
  return new Set(matched);
}

export async function runValidate(flags: ValidateFlags): Promise<number> {
  // Content diagnostics on stderr as hunt, doctor and test print them (stdout stays the list).
  // All of them: validate is where every problem is listed.
  const content = loadContentOrFail(flags.content, false, Number.POSITIVE_INFINITY);
  const v = validateContent(content);
  // The data-model filter decides what is listed, summarized and what the exit code is about; --failed only
  // what is listed.
  const models = flags.datamodel === undefined ? undefined : matchDatamodel(flags.datamodel, v.entries);
  const inModel =
    models === undefined ? v.entries : v.entries.filter((e) => e.datamodels.some((m) => models.has(m)));
  const entries = inModel.filter((e) => !flags.onlyFailed || !e.loaded);
  if (flags.format === "json") {
    await writeLines(
      process.stdout,
      entries.map((e) =>
        JSON.stringify({
          name: e.name,
          id: e.id,
          file: e.file,
          status: e.status,
          datamodels: e.datamodels,
          loaded: e.loaded,
          ...(e.reason === undefined ? {} : { reason: e.reason }),
        }),
      ),
    );
  } else {
    await writeLines(
      process.stdout,
      entries.map((e) => (e.loaded ? `ok    ${e.name}` : `FAIL  ${e.name}\n      ${e.reason}`)),
    );
  }
  // The per-data-model summary goes to stderr in both formats (stdout stays one JSON object per line).
  const pct = (a: number, b: number) => (b === 0 ? "-" : `${((100 * a) / b).toFixed(1)} %`);
  const lines = ["", "data model                      loaded/total        active loaded/active"];
  const summary =
    models === undefined
      ? v.byDatamodel
      : summarizeByDatamodel(inModel).filter((s) => models.has(s.datamodel));
  for (const s of summary) {
    lines.push(
      `${s.datamodel.padEnd(31)} ${`${s.loaded}/${s.total}`.padEnd(9)} ${pct(s.loaded, s.total).padEnd(9)} ` +
        `${`${s.activeLoaded}/${s.active}`.padEnd(9)} ${pct(s.activeLoaded, s.active)}`,
    );
  }
  const loaded = inModel.filter((e) => e.loaded).length;
  const which = models === undefined ? "detections" : `detections reading ${[...models].join(" or ")}`;
  lines.push("", `winnow validate: ${loaded} of ${inModel.length} ${which} can run in this build`);
  await writeLines(process.stderr, lines);
  return inModel.every((e) => e.loaded) ? EXIT.ok : EXIT.findings;
}

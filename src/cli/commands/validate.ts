/**
 * `winnow validate [--content DIR]... [--format text|json]`: lists every detection, loaded or not with the
 * construct and position that stops it, then a summary per data model.
 */
import { validateContent } from "../../engine/validate.js";
import { EXIT } from "../exit-codes.js";
import { writeLines } from "../write-lines.js";
import { loadContentOrFail } from "./hunt.js";

export interface ValidateFlags {
  content: string[];
  format: "text" | "json";
  datamodel?: string;
  onlyFailed: boolean;
}

export async function runValidate(flags: ValidateFlags): Promise<number> {
  // Content diagnostics on stderr as hunt, doctor and test print them (stdout stays the list).
  const content = loadContentOrFail(flags.content, false);
  const v = validateContent(content);
  const entries = v.entries.filter(
    (e) =>
      (flags.datamodel === undefined || e.datamodels.includes(flags.datamodel)) &&
      (!flags.onlyFailed || !e.loaded),
  );
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
  for (const s of v.byDatamodel) {
    lines.push(
      `${s.datamodel.padEnd(31)} ${`${s.loaded}/${s.total}`.padEnd(9)} ${pct(s.loaded, s.total).padEnd(9)} ` +
        `${`${s.activeLoaded}/${s.active}`.padEnd(9)} ${pct(s.activeLoaded, s.active)}`,
    );
  }
  const loaded = v.entries.filter((e) => e.loaded).length;
  lines.push("", `winnow validate: ${loaded} of ${v.entries.length} detections can run in this build`);
  await writeLines(process.stderr, lines);
  return v.entries.every((e) => e.loaded) ? EXIT.ok : EXIT.findings;
}

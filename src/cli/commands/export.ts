/**
 * `winnow export <paths...> --format xml|jsonl`: the decoded events, one per line — EVTX (or any format Winnow
 * reads) to Splunk XmlWinEventLog lines or JSON lines. Nothing is filtered: every event read is written.
 */
import { type Diagnostic, formatDiagnostic } from "../../diag/diagnostic.js";
import { readInputs, statInputs } from "../../ingest/read-inputs.js";
import type { FileReport } from "../../ingest/types.js";
import { renderEventJson } from "../../output/event-json.js";
import { renderEventXml } from "../../output/event-xml.js";
import { noteLines } from "../../output/summary.js";
import { EXIT, UsageError } from "../exit-codes.js";
import { checkOutputs, target } from "../output-paths.js";
import { logInputs } from "../own-inputs.js";
import { writeLines } from "../write-lines.js";

export interface ExportFlags {
  format: "xml" | "jsonl";
  output?: string;
  quiet: boolean;
  /** `--carve-slack`: write the records in EVTX chunk slack too (marked recovered). */
  carveSlack?: boolean;
}

export async function runExport(paths: string[], flags: ExportFlags): Promise<number> {
  const inputs = await statInputs(paths);
  if (inputs.missing.length > 0) throw new UsageError(`no such file or folder: ${inputs.missing.join(", ")}`);
  const output = target("--output", flags.output);
  await checkOutputs([output], {
    writesStdout: output === undefined,
    inputs: () => logInputs(paths, inputs.identities),
  });
  const render = flags.format === "xml" ? renderEventXml : renderEventJson;
  let problems = 0;
  const notes: Diagnostic[] = [];
  const input = readInputs(paths, {
    carveSlack: flags.carveSlack === true,
    report: (d) => {
      if (d.severity === "error") problems++;
      if (d.severity === "info") notes.push(d);
      else if (!flags.quiet) process.stderr.write(`${formatDiagnostic(d)}\n`);
    },
  });
  // The first batch walks every input before the output file is created: a new output inside an input folder
  // is not read back as an input (an existing one was refused above).
  let next = await input.next();
  const out = output ?? process.stdout;
  let files: FileReport[] = [];
  let written = 0;
  async function* lines(): AsyncGenerator<string> {
    while (next.done !== true) {
      for (const e of next.value) {
        written++;
        yield render(e);
      }
      next = await input.next();
    }
    files = next.value;
  }
  await writeLines(out, lines());
  const read = files.filter(
    (f) => f.skipped === undefined && f.unreadable === undefined && f.notRead === undefined,
  ).length;
  const skipped = files.filter((f) => f.skipped !== undefined);
  const unreadable = files.filter((f) => f.unreadable !== undefined).length;
  const damaged = files.filter((f) => f.damaged !== undefined).length;
  const malformed = files.reduce((n, f) => n + f.malformed, 0);
  if (!flags.quiet) {
    for (const line of noteLines(notes)) process.stderr.write(`${line}\n`);
    // As hunt's summary: each file that is not a log, with why, and the files read apart from those skipped.
    for (const f of skipped) process.stderr.write(`skipped ${f.file}: ${f.skipped}\n`);
    const skippedPart = skipped.length > 0 ? `, ${skipped.length} skipped (not logs)` : "";
    process.stderr.write(
      `winnow export: ${written.toLocaleString("en-US")} events written from ${read} file(s) read${skippedPart}; ` +
        `${malformed} malformed record(s) skipped, ${unreadable} unreadable file(s), ${damaged} damaged file(s)\n`,
    );
  }
  return unreadable > 0 || damaged > 0 || malformed > 0 || problems > 0 ? EXIT.inputDamaged : EXIT.ok;
}

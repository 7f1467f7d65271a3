/**
 * `winnow doctor <logs...> [--content DIR]... [--detection X]... [--format text|json]`: could each
 * detection fire on this data, and if not, why not. All the work happens in engine/doctor.ts.
 * Input problems are printed on stderr as hunt prints them; exit 3 when some input could not be read.
 */
import { doctor } from "../../engine/doctor.js";
import { doctorText } from "../../engine/doctor-text.js";
import { statInputs } from "../../ingest/read-inputs.js";
import { refuseEdge } from "../detection-names.js";
import { EXIT, UsageError } from "../exit-codes.js";
import { inputDamaged, inputDiagnosticLines } from "../input-diagnostics.js";
import { checkOutputs } from "../output-paths.js";
import { contentInputs, logInputs } from "../own-inputs.js";
import { writeLines } from "../write-lines.js";
import { loadContentOrFail } from "./hunt.js";

export interface DoctorFlags {
  content: string[];
  detection: string[];
  includeDeprecated: boolean;
  format: "text" | "json";
  quiet: boolean;
}

export async function runDoctor(paths: string[], flags: DoctorFlags): Promise<number> {
  if (paths.length === 0) throw new UsageError("doctor needs at least one file or folder");
  const inputs = await statInputs(paths);
  if (inputs.missing.length > 0) throw new UsageError(`no such file or folder: ${inputs.missing.join(", ")}`);
  // Its only output is standard output, which may not be redirected to one of its inputs either.
  await checkOutputs([], {
    writesStdout: true,
    inputs: async () => [...logInputs(paths, inputs.identities), ...(await contentInputs(flags.content))],
  });
  const content = loadContentOrFail(flags.content, flags.quiet);
  refuseEdge(flags.detection, "doctor");
  const report = await doctor({
    paths,
    content,
    only: flags.detection,
    includeDeprecated: flags.includeDeprecated,
  });
  if (flags.detection.length > 0) {
    const missing = flags.detection.filter(
      (d) =>
        !report.detections.some((x) => x.name.toLowerCase() === d.toLowerCase() || x.id === d.toLowerCase()),
    );
    if (missing.length > 0)
      throw new UsageError(`no loaded detection is named ${missing.map((m) => `"${m}"`).join(", ")}`);
  }
  if (flags.format === "json") await writeLines(process.stdout, [JSON.stringify(report, null, 2)]);
  else await writeLines(process.stdout, [doctorText(report)]);
  // Input problems as hunt prints them (file, chunk, record, offset), and hunt's exit code for them.
  if (!flags.quiet) {
    const lines = inputDiagnosticLines(report.diagnostics);
    if (lines.length > 0) await writeLines(process.stderr, lines);
  }
  return inputDamaged(report.files) ? EXIT.inputDamaged : EXIT.ok;
}

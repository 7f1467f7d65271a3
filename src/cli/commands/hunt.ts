/**
 * `winnow hunt <paths...>`: flags → HuntOptions, then print. All the work happens in engine/hunt.ts.
 */
import { type ContentSet, isDeprecated, loadContent } from "../../content/index.js";
import { type Diagnostic, formatDiagnostic } from "../../diag/diagnostic.js";
import { rejectedLabel } from "../../engine/compile-detections.js";
import { explainedJsonlLines, explainedTables } from "../../engine/explain-text.js";
import { type HuntResult, hunt } from "../../engine/hunt.js";
import { withoutPack } from "../../engine/lm-pack.js";
import { defaultWorkers } from "../../engine/parallel-hunt.js";
import { statInputs } from "../../ingest/read-inputs.js";
import { csvLines } from "../../output/csv.js";
import { graphDot } from "../../output/graph-dot.js";
import { graphJson } from "../../output/graph-json.js";
import { jsonlLines } from "../../output/jsonl.js";
import { runStats } from "../../output/run-stats.js";
import { renderSummary } from "../../output/summary.js";
import { renderTables } from "../../output/table.js";
import { cappedDiagnosticLines } from "../capped-diagnostics.js";
import { huntSelection, isNamed } from "../detection-names.js";
import { EXIT, UsageError } from "../exit-codes.js";
import { checkOutputs, target } from "../output-paths.js";
import { contentInputs, logInputs } from "../own-inputs.js";
import { startProgress } from "../progress.js";
import { writeLines, writeText } from "../write-lines.js";

export type OutputFormat = "table" | "jsonl" | "csv";

export interface HuntFlags {
  content: string[];
  detection: string[];
  includeDeprecated: boolean;
  format: OutputFormat;
  output?: string;
  risk?: string;
  notables?: string;
  statsJson?: string;
  failOnFindings: boolean;
  progress: boolean;
  quiet: boolean;
  /** WinRM pack (docs/detections.md): run it (default), write its graph, correlation window. */
  pack?: boolean;
  graph?: string;
  graphFormat?: "dot" | "json";
  lmWindow?: number;
  /** `--explain`: the source events and where-clause matches behind each row (README "Why didn't it fire?"). */
  explain?: boolean;
  /** `--strict`: stop at the first input problem; exit 3 and print no rows. */
  strict?: boolean;
  /** `--carve-slack`: read EVTX chunk slack too (records marked recovered). */
  carveSlack?: boolean;
  /** Readers: the main thread and N - 1 threads (default: 2 for 512 MiB of EVTX or more, else 1; see defaultWorkers). */
  workers?: number;
}

/**
 * With `--quiet`: the detections that could not run, still named (a detection is never dropped silently), each
 * with its first error — a search that cannot run, or a detection file that did not load — as many as the
 * summary lists (20), then how many more by reason: quiet must not print more than the summary would.
 */
function failedDetectionLines(result: HuntResult, max = 20): string[] {
  const firstError = (ds: readonly Diagnostic[]) => ds.find((d) => d.severity === "error") ?? ds[0];
  const failed: Diagnostic[] = [];
  for (const f of result.failed) {
    const d = firstError(f.diagnostics);
    if (d !== undefined) failed.push(d);
  }
  for (const r of result.rejected) {
    const d = firstError(r.diagnostics);
    if (d === undefined) continue;
    failed.push(r.name !== undefined && d.detection === undefined ? { ...d, detection: r.name } : d);
  }
  return cappedDiagnosticLines(failed, "detections that cannot run", "--stats-json FILE lists all", max);
}

/**
 * Loads content and stops the run with exit 2 on what a user must fix first. Its problems are printed unless
 * `quiet`, the first `max` of them and then a count of the rest by code (as the run summary does); the reason
 * for a stop is printed even with `quiet`: "content could not be loaded" alone says nothing.
 */
export function loadContentOrFail(dirs: string[], quiet: boolean, max = 20): ContentSet {
  const content = loadContent(dirs);
  const fatal = content.diagnostics.filter((d) => d.severity === "error" && d.code === "file-unreadable");
  if (!quiet) {
    const shown = content.diagnostics.filter((d) => d.severity !== "info");
    for (const line of cappedDiagnosticLines(shown, "content problems", "winnow validate lists all", max))
      process.stderr.write(`${line}\n`);
  }
  if (fatal.length > 0) {
    if (quiet) for (const d of fatal) process.stderr.write(`${formatDiagnostic(d)}\n`);
    throw new UsageError("content could not be loaded");
  }
  return content;
}

/**
 * `-d` naming only deprecated detections, without `--include-deprecated`: nothing would run for it, so it is a
 * usage error before the run (README: exit 2 for a detection named with -d that cannot run).
 */
function refuseDeprecated(content: ContentSet, named: readonly string[], includeDeprecated: boolean): void {
  if (includeDeprecated) return;
  const deprecated = named.filter((n) => {
    const matches = content.detections.filter((d) => isNamed([n], d));
    return matches.length > 0 && matches.every(isDeprecated);
  });
  if (deprecated.length === 0) return;
  const which = deprecated.map((n) => `"${n}"`).join(", ");
  const is = deprecated.length === 1 ? "is a deprecated detection" : "are deprecated detections";
  throw new UsageError(
    `${which} ${is} (status: deprecated), not run by default; --include-deprecated runs it`,
  );
}

export async function runHunt(paths: string[], flags: HuntFlags): Promise<number> {
  if (paths.length === 0) throw new UsageError("hunt needs at least one file or folder");
  const inputs = await statInputs(paths);
  if (inputs.missing.length > 0) throw new UsageError(`no such file or folder: ${inputs.missing.join(", ")}`);
  if (flags.lmWindow !== undefined && !(Number.isFinite(flags.lmWindow) && flags.lmWindow >= 0))
    throw new UsageError("--lm-window needs a number of seconds (0 or more)");
  if (flags.graph !== undefined && flags.pack === false) throw new UsageError("--graph needs the WinRM pack");
  if (flags.explain === true && flags.format === "csv")
    throw new UsageError("--explain works with --format table or jsonl");
  const workers = flags.workers ?? (await defaultWorkers(inputs.files, inputs.totalBytes));
  if (!(Number.isInteger(workers) && workers >= 1))
    throw new UsageError("--workers needs a whole number (1 or more)");
  const to = {
    output: target("--output", flags.output),
    risk: target("--risk", flags.risk),
    notables: target("--notables", flags.notables),
    statsJson: target("--stats-json", flags.statsJson),
    graph: target("--graph", flags.graph),
  };
  await checkOutputs(Object.values(to), {
    stdout: to.output === undefined ? "the result rows (no --output)" : undefined,
    inputs: async () => [...logInputs(paths, inputs.identities), ...(await contentInputs(flags.content))],
  });
  const loaded = loadContentOrFail(flags.content, flags.quiet);
  const content = flags.pack === false ? withoutPack(loaded) : loaded;
  const selection = huntSelection(content, flags.detection, flags.pack !== false);
  refuseDeprecated(content, flags.detection, flags.includeDeprecated);

  const progress = startProgress(inputs.totalBytes, flags.progress && !flags.quiet);
  let result: HuntResult;
  try {
    result = await hunt({
      paths,
      content,
      only: selection.only,
      includeDeprecated: flags.includeDeprecated,
      lateralMovement: flags.pack === false ? false : { windowSeconds: flags.lmWindow },
      onProgress: (b) => progress.update(b),
      explain: flags.explain === true,
      strict: flags.strict === true,
      carveSlack: flags.carveSlack === true,
      workers,
    });
  } finally {
    progress.stop();
  }

  const named = flags.detection;
  if (named.length > 0) {
    const found = [
      ...[...result.results, ...result.failed, ...result.excluded].map((r) => r.detection),
      ...result.rejected.map(rejectedLabel),
    ];
    const missing = named.filter((d) => !found.some((f) => isNamed([d], f)));
    const packOff = missing.filter(
      (d) => flags.pack === false && loaded.detections.some((x) => isNamed([d], x)),
    );
    if (packOff.length > 0)
      throw new UsageError(
        `${packOff.map((m) => `"${m}"`).join(", ")}: a detection of the WinRM pack, which --no-pack turns off`,
      );
    if (missing.length > 0)
      throw new UsageError(`no loaded detection is named ${missing.map((m) => `"${m}"`).join(", ")}`);
  }
  // The edge was named: the pack's detections ran for it, but only what was named is printed and counted.
  const printOnly = selection.printOnly;
  if (printOnly !== undefined)
    result = { ...result, results: result.results.filter((r) => isNamed(printOnly, r.detection)) };

  const stopped = result.diagnostics.find((d) => d.code === "input-strict-stop");
  if (stopped !== undefined) {
    process.stderr.write(`${formatDiagnostic(stopped)}\n`);
    const stats = runStats(result);
    if (to.statsJson !== undefined) await writeText(to.statsJson, `${JSON.stringify(stats, null, 2)}\n`);
    if (!flags.quiet) process.stderr.write(`${renderSummary(stats)}\n`);
    return EXIT.inputDamaged;
  }

  const out = to.output ?? process.stdout;
  if (flags.explain === true && flags.format !== "csv") {
    if (flags.format === "jsonl") await writeLines(out, explainedJsonlLines(result.results));
    else {
      const width = process.stdout.isTTY ? process.stdout.columns : Number.POSITIVE_INFINITY;
      const text = explainedTables(result.results, width);
      if (text !== "") await writeLines(out, [text]);
    }
  } else if (flags.format === "jsonl") await writeLines(out, jsonlLines(result.results));
  else if (flags.format === "csv") await writeLines(out, csvLines(result.results));
  else {
    const width = process.stdout.isTTY ? process.stdout.columns : Number.POSITIVE_INFINITY;
    const text = renderTables(result.results, width);
    if (text !== "") await writeLines(out, [text]);
  }
  if (to.risk !== undefined) await writeLines(to.risk, riskLines(result));
  if (to.notables !== undefined) {
    await writeLines(
      to.notables,
      result.results.flatMap((r) => r.notables.map((n) => JSON.stringify(n))),
    );
  }
  if (to.graph !== undefined) {
    const lm = result.lateralMovement ?? { edges: [], windowSeconds: flags.lmWindow ?? 300 };
    await writeText(to.graph, flags.graphFormat === "json" ? graphJson(lm) : graphDot(lm));
  }
  const stats = runStats(result);
  if (to.statsJson !== undefined) await writeText(to.statsJson, `${JSON.stringify(stats, null, 2)}\n`);
  if (!flags.quiet) process.stderr.write(`${renderSummary(stats)}\n`);
  else for (const line of failedDetectionLines(result)) process.stderr.write(`${line}\n`);

  // Precedence (README "Exit codes"): a named detection that cannot run (2), then findings asked for (1),
  // then damaged input (3) — so a CI check for 1 never misses findings because some input was damaged.
  if (named.length > 0 && (result.failed.length > 0 || result.rejected.length > 0)) {
    const which = [...result.failed.map((f) => f.detection), ...result.rejected.map(rejectedLabel)];
    const names = which.map((d) => `"${d.name}"`).join(", ");
    process.stderr.write(
      `winnow: ${which.length === 1 ? "a detection" : "detections"} named with -d cannot run: ${names} (the reason is above)\n`,
    );
    return EXIT.usage;
  }
  if (flags.failOnFindings && stats.totals.rows > 0) return EXIT.findings;
  const t = stats.totals;
  if (t.files_unreadable > 0 || t.files_damaged > 0 || t.malformed > 0) return EXIT.inputDamaged;
  return EXIT.ok;
}

function riskLines(result: HuntResult): string[] {
  return result.results.flatMap((r) => r.risk.map((e) => JSON.stringify(e)));
}

/**
 * `winnow test [DETECTION...]`: flags → TestDetectionsOptions, then the report (a status list on stdout,
 * or JSON lines), JUnit XML on request, and an exit code for CI. The work is in engine/test-detections.ts.
 *
 * Exit codes: 0 every test passed (skips allowed), 1 a test failed or could not run, 2 usage or content
 * error (content that cannot be loaded, a bad --data-root — a folder that is not there, a PREFIX without a
 * scheme —, a named detection that is not loaded, a --junit that is one of the files the run reads).
 */
import { rejectedLabel } from "../../engine/compile-detections.js";
import {
  checkedDataRoot,
  type DataRoot,
  DataRootSpecError,
  withDefaultRoots,
} from "../../engine/test-data-roots.js";
import {
  type TestOutcome,
  type TestRun,
  testDataPaths,
  testDetections,
} from "../../engine/test-detections.js";
import { statInputs } from "../../ingest/read-inputs.js";
import { renderJunit } from "../../output/junit.js";
import { isNamed } from "../detection-names.js";
import { EXIT, UsageError } from "../exit-codes.js";
import { checkOutputs, isStdout, target } from "../output-paths.js";
import { contentInputs } from "../own-inputs.js";
import { writeLines, writeText } from "../write-lines.js";
import { loadContentOrFail } from "./hunt.js";

export type TestFormat = "table" | "json";

export interface TestFlags {
  content: string[];
  dataRoot: string[];
  junit?: string;
  format: TestFormat;
  includeDeprecated: boolean;
  quiet: boolean;
}

/** A test failed or could not run (the same number as `EXIT.findings`: "the build should fail"). */
const TESTS_FAILED = EXIT.findings;

const LABEL: Record<TestOutcome["status"], string> = {
  pass: "PASS",
  fail: "FAIL",
  error: "ERROR",
  skip: "SKIP",
};

/** The status list: one line per test, then its reasons (and notes) indented under it. */
export function renderTestTable(run: TestRun): string[] {
  const lines: string[] = [];
  for (const o of run.outcomes) {
    const what =
      o.status === "skip" || o.status === "error"
        ? ""
        : o.kind === "negative"
          ? ` (${o.rows} rows, expected none)`
          : ` (${o.rows} row${o.rows === 1 ? "" : "s"}, ${o.risk_events} risk event${o.risk_events === 1 ? "" : "s"})`;
    lines.push(`${LABEL[o.status].padEnd(5)}  ${o.detection} › ${o.test}${what}`);
    for (const m of o.messages) lines.push(`       ${m}`);
    if (o.status !== "skip") for (const n of o.notes) lines.push(`       note: ${n}`);
  }
  return lines;
}

export function renderTestSummary(run: TestRun): string {
  const s = run.summary;
  const parts = [
    `${s.tests} test${s.tests === 1 ? "" : "s"} of ${s.detections} detection${s.detections === 1 ? "" : "s"}: ` +
      `${s.passed} passed, ${s.failed} failed, ${s.errors} could not run, ${s.skipped} skipped (${s.data_missing} data missing) ` +
      `in ${s.seconds.toFixed(2)} s`,
  ];
  const n = (k: number, one: string, many: string) => `${k} ${k === 1 ? one : many}`;
  if (s.detections_without_tests > 0)
    parts.push(n(s.detections_without_tests, "detection has no tests", "detections have no tests"));
  if (s.deprecated_not_tested > 0) {
    const what = n(s.deprecated_not_tested, "deprecated detection", "deprecated detections");
    parts.push(`${what} not tested (use --include-deprecated)`);
  }
  return parts.join("; ");
}

export async function runTest(detections: string[], flags: TestFlags): Promise<number> {
  const explicit: DataRoot[] = [];
  try {
    for (const spec of flags.dataRoot) explicit.push(...checkedDataRoot(spec, process.cwd()));
  } catch (e) {
    if (e instanceof DataRootSpecError) throw new UsageError(e.message);
    throw e;
  }
  const junit = target("--junit", flags.junit);
  // `--junit -`: the XML is standard output, and the status list goes to stderr; JSON lines cannot move.
  const junitToStdout = junit !== undefined && isStdout(junit);
  await checkOutputs([junit], {
    stdout: flags.format === "json" ? "--format json (the test objects)" : undefined,
  });
  const content = loadContentOrFail(flags.content, flags.quiet);
  // A detection file that did not load is named even with --quiet: it is never left out silently.
  for (const r of content.rejected)
    process.stderr.write(`winnow: not tested (did not load): ${r.file}: ${r.reason}\n`);
  const missing = detections.filter(
    (n) =>
      !content.detections.some(
        (d) => d.name.toLowerCase() === n.toLowerCase() || d.id.toLowerCase() === n.toLowerCase(),
      ),
  );
  const unloaded = missing.filter((n) => content.rejected.some((r) => isNamed([n], rejectedLabel(r))));
  if (unloaded.length > 0)
    throw new UsageError(
      `${unloaded.map((m) => `"${m}"`).join(", ")} cannot be tested: its file did not load (the reason is above)`,
    );
  if (missing.length > 0)
    throw new UsageError(`no loaded detection is named ${missing.map((m) => `"${m}"`).join(", ")}`);

  const dataRoots = withDefaultRoots(explicit);
  const selection = { content, dataRoots, only: detections, includeDeprecated: flags.includeDeprecated };
  // --junit must not be a file the run reads: content, attack data, expected rows.
  await checkOutputs([junit], {
    writesStdout: true,
    inputs: async () => {
      const data = await statInputs(testDataPaths(selection));
      return [
        ...(await contentInputs(flags.content)),
        ...data.identities.map((f) => ({ ...f, what: `the test data file ${f.path}` })),
      ];
    },
  });

  const run = await testDetections(selection);

  if (flags.format === "json") {
    await writeLines(
      process.stdout,
      run.outcomes.map((o) => JSON.stringify(o)),
    );
    if (!flags.quiet) process.stderr.write(`winnow: ${renderTestSummary(run)}\n`);
  } else if (!junitToStdout) {
    await writeLines(process.stdout, [...renderTestTable(run), renderTestSummary(run)]);
  } else if (!flags.quiet) {
    await writeLines(process.stderr, [...renderTestTable(run), renderTestSummary(run)]);
  }
  if (junit !== undefined) await writeText(junit, renderJunit(run));
  if (run.summary.tests === 0 && !flags.quiet) {
    process.stderr.write("winnow: no detection has tests (a `tests:` block with attack_data)\n");
  }
  return run.summary.failed + run.summary.errors > 0 ? TESTS_FAILED : EXIT.ok;
}

/**
 * `testDetections`: run each detection's tests offline, the way `contentctl test` does (SEMANTICS.md §7),
 * plus ES-style risk checks and Winnow's exact tests (`expected`, `expected_file`, `expect_no_results`).
 *
 * Design notes:
 * - A test's attack data files are resolved first (test-data-roots.ts). If any is missing the test is
 *   skipped as "data missing" — the detection is not at fault — and its search is not even compiled.
 * - Each test replays its files through `hunt` with only that detection, over all time: every event of
 *   the files is read (the files' formats are detected from content; the `sourcetype`/`source` each
 *   attack_data entry names is checked against the detected format and a disagreement is a note).
 * - Outcomes: pass; fail (the detection does not do what the test says); error (the test could not run:
 *   the search does not compile or reads a data model Winnow cannot feed, a data file is not a log, the
 *   expected rows cannot be read); skip (data missing).
 * - Deprecated detections are not tested unless asked; detections without tests are counted, not listed.
 */
import type { ContentSet, Detection, DetectionTest } from "../content/index.js";
import { isDeprecated } from "../content/index.js";
import { formatDiagnostic, invariant } from "../diag/diagnostic.js";
import type { FileReport, LogFormat } from "../ingest/types.js";
import { hunt } from "./hunt.js";
import {
  type DataRoot,
  detectionDir,
  isDataRef,
  type ResolvedRef,
  resolveDataRef,
} from "./test-data-roots.js";
import {
  compareRows,
  describeDiff,
  type ExpectedRow,
  expectedRowsOf,
  readExpectedFile,
} from "./test-expected-rows.js";
import { contentctlVerdict, riskChecks } from "./test-pass-rule.js";

export type TestStatus = "pass" | "fail" | "error" | "skip";

export interface TestDataOutcome {
  /** The `data:` reference as written. */
  data: string;
  /** The local file it resolved to (absent when no data root maps it). */
  path?: string;
  source?: string;
  sourcetype?: string;
  /** Why the file is not available (the test is then skipped as data missing). */
  missing?: string;
  /** The format detected from the file's content. */
  format?: LogFormat;
  events?: number;
}

export interface TestOutcome {
  detection: string;
  detection_id: string;
  /** The detection's YAML file (`builtin:…` for built-in content). */
  file: string;
  test: string;
  status: TestStatus;
  /** Why the test failed, errored or was skipped (empty when it passed). */
  messages: string[];
  /** Things worth knowing that do not decide the outcome (format disagreements, damaged records). */
  notes: string[];
  kind: "positive" | "negative" | "exact";
  data: TestDataOutcome[];
  rows: number;
  risk_events: number;
  seconds: number;
}

export interface TestSummary {
  tests: number;
  passed: number;
  failed: number;
  errors: number;
  skipped: number;
  /** Skips because attack data was missing (all skips today). */
  data_missing: number;
  /** Detections tested (with at least one test listed). */
  detections: number;
  /** Selected detections that have no tests (not listed). */
  detections_without_tests: number;
  /** Deprecated detections with tests that were not run (see includeDeprecated). */
  deprecated_not_tested: number;
  seconds: number;
}

export interface TestRun {
  outcomes: TestOutcome[];
  summary: TestSummary;
}

export interface TestDetectionsOptions {
  content: ContentSet;
  /** Data roots in effect (explicit ones plus defaults: see `withDefaultRoots`). */
  dataRoots: readonly DataRoot[];
  /** Only detections whose name (case-insensitive) or id is listed; all when empty. */
  only?: readonly string[];
  /** Test `status: deprecated` detections too (default false; always true for a detection named in `only`). */
  includeDeprecated?: boolean;
  /** Called as each test finishes. */
  onOutcome?(o: TestOutcome): void;
}

/** The log format a `sourcetype` (or `source`) names, when it names one. */
export function formatNamedBy(
  sourcetype: string | undefined,
  source: string | undefined,
): LogFormat | undefined {
  for (const s of [sourcetype, source]) {
    if (s === undefined || s === "") continue;
    if (/xmlwineventlog/i.test(s)) return "xml";
    if (/^wineventlog/i.test(s)) return "classic";
    if (/json/i.test(s)) return "json";
    if (/\.evtx$|^evtx$/i.test(s)) return "evtx";
  }
  return undefined;
}

function kindOf(t: DetectionTest): TestOutcome["kind"] {
  if (t.expectNoResults === true) return "negative";
  return t.expected !== undefined || t.expectedFile !== undefined ? "exact" : "positive";
}

function selected(d: Detection, only: ReadonlySet<string>): boolean {
  return only.size === 0 || only.has(d.name.toLowerCase()) || only.has(d.id.toLowerCase());
}

/** Whether a run tests `d`, or why not. */
function plan(
  d: Detection,
  only: ReadonlySet<string>,
  opts: Pick<TestDetectionsOptions, "includeDeprecated">,
): "test" | "unselected" | "no-tests" | "deprecated" {
  if (!selected(d, only)) return "unselected";
  if (d.tests.length === 0) return "no-tests";
  if (isDeprecated(d) && only.size === 0 && opts.includeDeprecated !== true) return "deprecated";
  return "test";
}

/**
 * The data a run with these options reads: each tested detection's attack data and `expected_file`, as resolved
 * (references not on this machine are left out: they are not read), so that the CLI can refuse an output
 * (`--junit`) that is one of them.
 */
export function testDataPaths(opts: Omit<TestDetectionsOptions, "onOutcome">): string[] {
  const only = new Set((opts.only ?? []).map((s) => s.toLowerCase()));
  const out: string[] = [];
  for (const d of opts.content.detections) {
    if (plan(d, only, opts) !== "test") continue;
    const base = detectionDir(d.file);
    for (const t of d.tests) {
      const refs = [
        ...t.attackData.map((a) => a.data),
        ...(t.expectedFile !== undefined ? [t.expectedFile] : []),
      ];
      for (const ref of refs) {
        const r = resolveDataRef(ref, base, opts.dataRoots);
        if (!("missing" in r)) out.push(r.path);
      }
    }
  }
  return [...new Set(out)];
}

export async function testDetections(opts: TestDetectionsOptions): Promise<TestRun> {
  const started = performance.now();
  const only = new Set((opts.only ?? []).map((s) => s.toLowerCase()));
  const outcomes: TestOutcome[] = [];
  const summary: TestSummary = {
    tests: 0,
    passed: 0,
    failed: 0,
    errors: 0,
    skipped: 0,
    data_missing: 0,
    detections: 0,
    detections_without_tests: 0,
    deprecated_not_tested: 0,
    seconds: 0,
  };
  for (const d of opts.content.detections) {
    const p = plan(d, only, opts);
    if (p === "unselected") continue;
    if (p === "no-tests") {
      summary.detections_without_tests++;
      continue;
    }
    if (p === "deprecated") {
      summary.deprecated_not_tested++;
      continue;
    }
    summary.detections++;
    for (const t of d.tests) {
      const o = await runTest(d, t, opts);
      outcomes.push(o);
      summary.tests++;
      if (o.status === "pass") summary.passed++;
      else if (o.status === "fail") summary.failed++;
      else if (o.status === "error") summary.errors++;
      else {
        summary.skipped++;
        summary.data_missing++;
      }
      opts.onOutcome?.(o);
    }
  }
  summary.seconds = (performance.now() - started) / 1000;
  return { outcomes, summary };
}

async function runTest(d: Detection, t: DetectionTest, opts: TestDetectionsOptions): Promise<TestOutcome> {
  const started = performance.now();
  const base = detectionDir(d.file);
  const o: TestOutcome = {
    detection: d.name,
    detection_id: d.id,
    file: d.file,
    test: t.name,
    status: "pass",
    messages: [],
    notes: [],
    kind: kindOf(t),
    data: [],
    rows: 0,
    risk_events: 0,
    seconds: 0,
  };
  const done = (status: TestStatus, messages: string[] = []): TestOutcome => {
    o.status = status;
    o.messages.push(...messages);
    o.seconds = (performance.now() - started) / 1000;
    return o;
  };

  const resolved: ResolvedRef[] = t.attackData.map((a) => resolveDataRef(a.data, base, opts.dataRoots));
  for (const [i, a] of t.attackData.entries()) {
    const r = resolved[i]!;
    const entry: TestDataOutcome = { data: a.data };
    if (r.path !== undefined) entry.path = r.path;
    if (a.source !== undefined) entry.source = a.source;
    if (a.sourcetype !== undefined) entry.sourcetype = a.sourcetype;
    if ("missing" in r) entry.missing = r.missing;
    o.data.push(entry);
  }
  if (t.attackData.length === 0) return done("error", ["the test lists no attack_data"]);
  const missing = o.data.filter((e) => e.missing !== undefined);
  if (missing.length > 0) {
    return done(
      "skip",
      missing.map(
        (e) => `data missing: ${e.data}${e.path !== undefined ? ` (${e.path})` : ""}: ${e.missing}`,
      ),
    );
  }

  // Expected rows, before running, so that a bad expected_file is reported without a run.
  let expected: ExpectedRow[] | undefined;
  if (t.expected !== undefined) {
    const r = expectedRowsOf(t.expected, "expected");
    if (r.error !== undefined) return done("error", [r.error]);
    expected = r.rows;
  } else if (t.expectedFile !== undefined) {
    const ref = resolveDataRef(t.expectedFile, base, opts.dataRoots);
    if ("missing" in ref) {
      const where = `expected_file ${t.expectedFile}${ref.path !== undefined ? ` (${ref.path})` : ""}: ${ref.missing}`;
      // A data-root reference is data like the attack data; a plain path that is not there is a content error.
      return isDataRef(t.expectedFile) ? done("skip", [`data missing: ${where}`]) : done("error", [where]);
    }
    const r = readExpectedFile(ref.path);
    if (r.error !== undefined) return done("error", [r.error]);
    expected = r.rows;
  }

  const files: FileReport[] = [];
  const result = await hunt({
    paths: resolved.map((r) => r.path as string),
    content: opts.content,
    only: [d.id],
    includeDeprecated: true,
    onFile: (f) => files.push(f),
  });

  // Per data file: detected format and events (a folder given as data yields several reports).
  const problems: string[] = [];
  for (const entry of o.data) {
    const mine = files.filter((f) => f.file === entry.path || f.file.startsWith(`${entry.path}!`));
    const f = mine[0];
    if (f === undefined) continue;
    entry.events = mine.reduce((n, x) => n + x.events, 0);
    if (f.format !== undefined) entry.format = f.format;
    for (const x of mine) {
      if (x.skipped !== undefined) problems.push(`${entry.data} is not a log: ${x.skipped}`);
      else if (x.unreadable !== undefined) problems.push(`${entry.data} could not be read: ${x.unreadable}`);
      else if (x.damaged !== undefined) problems.push(`${entry.data} was read only in part: ${x.damaged}`);
      else if (x.malformed > 0) o.notes.push(`${x.file}: ${x.malformed} malformed record(s) skipped`);
    }
    const named = formatNamedBy(entry.sourcetype, entry.source);
    // EVTX is what Windows itself writes: Splunk renders it as either XmlWinEventLog or WinEventLog.
    const windowsText = (x: LogFormat | undefined) => x === "xml" || x === "classic" || x === "evtx";
    const compatible = named === f.format || (windowsText(named) && windowsText(f.format));
    if (named !== undefined && f.format !== undefined && !compatible) {
      o.notes.push(
        `${entry.data}: sourcetype ${entry.sourcetype ?? entry.source} names ${named}, but the content is ${f.format}; read as ${f.format}`,
      );
    }
  }
  if (problems.length > 0) return done("error", problems);

  const failed = result.failed.find((f) => f.detection.id === d.id);
  if (failed !== undefined) {
    return done(
      "error",
      (failed.diagnostics.some((x) => x.severity === "error")
        ? failed.diagnostics.filter((x) => x.severity === "error")
        : failed.diagnostics
      ).map((x) => `the search cannot run: [${x.code}] ${x.message}`),
    );
  }
  const r = result.results.find((x) => x.detection.id === d.id);
  invariant(r !== undefined, `hunt returned no result for detection ${d.id}`);
  o.rows = r.rows.length;
  o.risk_events = r.risk.length;
  for (const x of r.diagnostics)
    if (x.code !== "risk-object-missing" && x.severity !== "info") o.notes.push(formatDiagnostic(x));

  const why: string[] = [];
  // `expected: []` says the same as `expect_no_results: true`.
  if (t.expectNoResults === true || expected?.length === 0) {
    if (r.rows.length > 0) {
      why.push(`expected no results, got ${r.rows.length}; first: ${JSON.stringify(r.rows[0])}`);
    }
  } else {
    const verdict = contentctlVerdict(d, r.rows, r.columns);
    if (verdict !== undefined) why.push(verdict);
    if (r.rows.length > 0) why.push(...riskChecks(d, r.rows, r.risk));
  }
  if (expected !== undefined && expected.length > 0) {
    const diff = describeDiff(compareRows(expected, r.rows), r.rows.length);
    if (diff !== undefined) why.push(diff);
  }
  return done(why.length > 0 ? "fail" : "pass", why);
}

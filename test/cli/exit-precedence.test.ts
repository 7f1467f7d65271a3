/**
 * Exit-code precedence (bug report: `hunt ../shared/data --fail-on-findings` exited 3 with 68 rows, so a CI
 * check for 1 missed the findings). Findings with --fail-on-findings (1) win over damaged input (3); usage
 * errors (2) win over both. Documented in `winnow --help` and in README's "Exit codes" paragraph, with 70
 * (internal error), 141 (stdout closed early) and validate's own 1.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { detectionYaml } from "../support/detection-yaml.js";
import { runCli } from "../support/run-cli.js";
import { REPO, sharedPath } from "../support/shared.js";

/** A real EVTX cut at 100,000 bytes, inside its second chunk: one damaged record, the rest readable. */
function truncatedEvtx(): string {
  const dir = mkdtempSync(join(tmpdir(), "winnow-precedence-"));
  const file = join(dir, "truncated.evtx");
  const whole = readFileSync(sharedPath("data/evtx-rs-samples/security.evtx"));
  writeFileSync(file, whole.subarray(0, 100_000));
  return file;
}

describe("--fail-on-findings wins over damaged input", () => {
  const damaged = truncatedEvtx();

  it("findings in examples/ plus a truncated EVTX: 1 with --fail-on-findings, 3 without, 0 for clean input", () => {
    const fail = runCli(["hunt", "examples/", damaged, "-q", "-f", "jsonl", "--fail-on-findings"]);
    assert.equal(fail.code, 1, fail.stderr);
    assert.ok(fail.stdout.trim().split("\n").length > 0);
    const lenient = runCli(["hunt", "examples/", damaged, "-q", "-f", "jsonl"]);
    assert.equal(lenient.code, 3);
    assert.equal(lenient.stdout, fail.stdout);
    const clean = runCli(["hunt", "examples/", "-q", "-f", "jsonl"]);
    assert.equal(clean.code, 0);
  });

  it("damaged input without findings stays 3, also with --fail-on-findings", () => {
    const r = runCli(["hunt", damaged, "-q", "-f", "jsonl", "--fail-on-findings"]);
    assert.equal(r.stdout, "");
    assert.equal(r.code, 3);
  });

  it("the tester's run: hunt ../shared/data -q --fail-on-findings exits 1 (it has rows and damaged files)", () => {
    const statsFile = join(mkdtempSync(join(tmpdir(), "winnow-precedence-stats-")), "stats.json");
    const r = runCli(["hunt", sharedPath("data"), "-q", "--fail-on-findings", "--stats-json", statsFile]);
    const stats = JSON.parse(readFileSync(statsFile, "utf8"));
    assert.ok(stats.totals.rows > 0);
    assert.ok(stats.totals.malformed > 0);
    assert.equal(r.code, 1);
  });

  it("a usage error wins over findings: a named detection that cannot run exits 2", () => {
    const dir = mkdtempSync(join(tmpdir(), "winnow-precedence-content-"));
    mkdirSync(join(dir, "detections"));
    writeFileSync(
      join(dir, "detections", "macro-missing.yml"),
      detectionYaml({
        id: "33333333-3333-3333-3333-333333333333",
        name: "Missing Macro",
        search: "| tstats count from datamodel=Endpoint.Processes by Processes.dest | `no_such_macro`",
        risk: true,
      }),
    );
    const r = runCli([
      "hunt",
      "examples/",
      "-q",
      "--content",
      dir,
      "-d",
      "Missing Macro",
      "-d",
      "Remote Process Instantiation via WinRM and Winrs",
      "--fail-on-findings",
    ]);
    assert.equal(r.code, 2);
    assert.ok(r.stdout.length > 0);
  });
});

describe("the precedence and every exit code are documented", () => {
  it("winnow --help: the exit-code epilogue, exactly", () => {
    const r = runCli(["--help"]);
    assert.equal(r.code, 0);
    const epilogue = r.stdout.slice(r.stdout.indexOf("Exit codes:"), r.stdout.indexOf("\nExamples:"));
    assert.equal(
      epilogue,
      [
        "Exit codes:",
        "  0    the run completed (with or without findings)",
        "  1    findings were returned and --fail-on-findings was given, even if some input could not be read",
        "  2    usage error, a --content folder that could not be read, a detection named with -d that cannot run, an",
        "       output file that cannot be written (checked before the run; a write error during it, e.g. a full disk,",
        "       too), or serve/worker could not start",
        "  3    the run completed, but some input could not be read (see the summary on stderr)",
        "  70   internal error: a bug in Winnow (the message has a stack trace; please report it)",
        "  141  stdout was closed early (e.g. | head -1): Winnow stops quietly, as a Unix tool killed by SIGPIPE does",
        "  When several apply, 2 wins over 1, and 1 over 3.",
        "  validate's 1: some detections cannot run. test's 1: a test failed or could not run.",
        "  A detection in the content that cannot run (bad YAML, unknown macro, unsupported SPL) is named on stderr,",
        "  even with -q (the first 20, then a count of the rest by reason), and counted; the others run and it does",
        '  not change the exit code: gate content in CI with "winnow validate" (exit 1).',
        "",
        "Output files:",
        "  Every output option takes - for standard output, as an input - is standard input. No output may be a file",
        "  the command reads (an input file, one found in an input folder, a content file): exit 2 before the run.",
        "",
      ].join("\n"),
    );
  });

  it("winnow --help: the description is one paragraph, wrapped once", () => {
    // Bug report: a fixed line break inside it was wrapped again ("…EVTX,\nSplunk XmlWinEventLog,\nWinlogbeat…").
    const r = runCli(["--help"]);
    assert.equal(
      r.stdout.slice(r.stdout.indexOf("\n\n") + 2, r.stdout.indexOf("\n\nOptions:")),
      [
        "Run Splunk Security Content (ESCU) detections over Windows event logs (EVTX,",
        "Splunk XmlWinEventLog, Winlogbeat/ECS/NXLog JSON, classic WinEventLog text) and",
        "get the rows and risk events Splunk ES would.",
      ].join("\n"),
    );
  });

  it("README says how a detection that cannot run is named: the first 20, then the rest by reason", () => {
    const readme = readFileSync(join(REPO, "README.md"), "utf8").replace(/\s+/g, " ");
    assert.ok(
      readme.includes(
        "is named on stderr, even with `-q`: the first 20, each with its first error, then a count of the rest by reason and a pointer to `--stats-json FILE`",
      ),
    );
  });

  it("README's exit-code paragraph under winnow hunt", () => {
    const readme = readFileSync(join(REPO, "README.md"), "utf8");
    const start = readme.indexOf("Exit codes (all commands):");
    assert.ok(start > 0);
    const paragraph = readme.slice(start, readme.indexOf("\n\n", start)).replace(/\s+/g, " ");
    for (const part of [
      "**1** findings with `--fail-on-findings`, even when some input could not be read",
      "(`validate`: some detections cannot run;",
      "**3** the run completed but some input could not be read (`doctor` too)",
      "**70** internal error",
      "**141** stdout was closed early",
      "When several apply, 2 wins over 1 and 1 over 3",
    ])
      assert.ok(paragraph.includes(part), part);
  });
});

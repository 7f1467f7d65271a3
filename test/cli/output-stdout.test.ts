/**
 * `-` as an output is standard output (bug report: `-o -` and `--stats-json -` wrote a file named `-`), for every
 * output option of every command, as `-` is standard input for the inputs. Two outputs on standard output —
 * `--risk -` while the rows go there too — are refused (exit 2) instead of mixing their lines.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, it } from "node:test";
import { jsonlOf, runCli } from "../support/run-cli.js";
import { REPO } from "../support/shared.js";

const FLAGSHIP = "Remote Process Instantiation via WinRM and Winrs";
const tmp = () => mkdtempSync(join(tmpdir(), "winnow-stdout-"));
const DASH = join(REPO, "-");

/** No file named `-` was written (a broken build would; it is removed then, so as not to litter the checkout). */
function noDashFile(): void {
  const there = existsSync(DASH);
  if (there) rmSync(DASH);
  assert.equal(there, false, "a file named - was written");
}

describe("an output option given - writes to standard output", () => {
  // A failing assertion before noDashFile() must not leave a file named - behind either.
  afterEach(() => {
    if (existsSync(DASH)) rmSync(DASH);
  });

  it("hunt -o - is the rows on stdout, as without -o", () => {
    const plain = runCli(["hunt", "examples/", "-q", "-f", "jsonl"]);
    const dash = runCli(["hunt", "examples/", "-q", "-f", "jsonl", "-o", "-"]);
    assert.equal(dash.code, 0, dash.stderr);
    assert.equal(dash.stdout, plain.stdout);
    assert.equal(jsonlOf(dash.stdout).length, 13);
    noDashFile();
  });

  it("hunt --stats-json - with the rows in a file: the stats document alone on stdout", () => {
    const rows = join(tmp(), "rows.jsonl");
    const r = runCli(["hunt", "examples/", "-q", "-f", "jsonl", "-o", rows, "--stats-json", "-"]);
    assert.equal(r.code, 0, r.stderr);
    const stats = JSON.parse(r.stdout);
    assert.equal(stats.version, 1);
    assert.equal(stats.totals.rows, 13);
    assert.equal(jsonlOf(readFileSync(rows, "utf8")).length, 13);
    noDashFile();
  });

  for (const option of ["--risk", "--notables", "--graph"]) {
    it(`hunt ${option} - -o /dev/null: what ${option} writes, on stdout`, () => {
      const file = join(tmp(), "out");
      const toFile = runCli(["hunt", "examples/", "-q", "-o", "/dev/null", option, file]);
      assert.equal(toFile.code, 0, toFile.stderr);
      const toStdout = runCli(["hunt", "examples/", "-q", "-o", "/dev/null", option, "-"]);
      assert.equal(toStdout.code, 0, toStdout.stderr);
      assert.ok(toStdout.stdout.length > 0);
      assert.equal(toStdout.stdout, readFileSync(file, "utf8"));
      noDashFile();
    });
  }

  it("two outputs on standard output are refused before the run (exit 2)", () => {
    const implicit = runCli(["hunt", "examples/", "-q", "--risk", "-"]);
    assert.equal(
      implicit.stderr,
      "winnow: the result rows (no --output) and --risk - would both write to standard output: give one of them a file\n",
    );
    assert.equal(implicit.stdout, "");
    assert.equal(implicit.code, 2);
    const both = runCli(["hunt", "examples/", "-q", "-o", "-", "--stats-json", "-"]);
    assert.equal(
      both.stderr,
      "winnow: --output - and --stats-json - would both write to standard output: give one of them a file\n",
    );
    assert.equal(both.code, 2);
    noDashFile();
  });

  it("export -o - writes the events to stdout", () => {
    const plain = runCli(["export", "examples/sysmon-operational.xml.log", "-q"]);
    const dash = runCli(["export", "examples/sysmon-operational.xml.log", "-q", "-o", "-"]);
    assert.equal(dash.code, 0, dash.stderr);
    assert.equal(dash.stdout, plain.stdout);
    assert.equal(dash.stdout.trimEnd().split("\n").length, 8);
    noDashFile();
  });

  it("test --junit - writes the JUnit XML to stdout and the status list to stderr", () => {
    const file = join(tmp(), "junit.xml");
    const table = runCli(["test", FLAGSHIP, "--junit", file]);
    const r = runCli(["test", FLAGSHIP, "--junit", "-"]);
    assert.equal(r.code, 0, r.stderr);
    // Identical but for the run times.
    const untimed = (s: string) => s.replace(/time="[0-9.]+"/g, 'time=""');
    assert.equal(untimed(r.stdout), untimed(readFileSync(file, "utf8")));
    assert.match(
      r.stdout,
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="winnow test" tests="9" /,
    );
    const lines = (s: string) => s.replace(/ in [0-9.]+ s$/m, " in T s");
    assert.equal(lines(r.stderr), lines(table.stdout));
    noDashFile();
    const json = runCli(["test", FLAGSHIP, "-f", "json", "--junit", "-"]);
    assert.equal(
      json.stderr,
      "winnow: --format json (the test objects) and --junit - would both write to standard output: give one of them a file\n",
    );
    assert.equal(json.code, 2);
  });

  it("--help says that - is standard output", () => {
    const hunt = runCli(["hunt", "--help"]).stdout.replace(/\s+/g, " ");
    for (const option of ["-o, --output <file>", "--risk <file>", "--notables <file>", "--graph <file>"]) {
      const at = hunt.indexOf(option);
      assert.ok(at >= 0, option);
      assert.match(hunt.slice(at, hunt.indexOf(" --", at + option.length)), /\(- is stdout\)/, option);
    }
    assert.match(
      hunt,
      /--stats-json <file> write the run summary as JSON \(schema: docs\/stats-json\.md; - is stdout\)/,
    );
    assert.match(
      runCli(["export", "--help"]).stdout.replace(/\s+/g, " "),
      /-o, --output <file> write to a file instead of stdout \(- is stdout; not one of the inputs\)/,
    );
    assert.match(
      runCli(["test", "--help"]).stdout.replace(/\s+/g, " "),
      /--junit <file> also write the outcomes as JUnit XML \(for CI\); - writes it to stdout and the status list to stderr/,
    );
  });
});

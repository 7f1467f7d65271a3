/**
 * `winnow test` as a user (or a CI job) runs it: the status list, exit codes 0/1/2, JSON lines, and JUnit
 * XML parsed back with saxes (well-formed, counts that agree with the test cases, one element per outcome).
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { SaxesParser } from "saxes";
import { xmlEscape } from "../../src/output/junit.js";
import { type CliRun, runCli } from "../support/run-cli.js";
import { REPO } from "../support/shared.js";

const FLAGSHIP = "Remote Process Instantiation via WinRM and Winrs";
const MIXED = "test/fixtures/test-cmd/mixed";
const FIXTURE_IDS = [1, 2, 3, 4, 5, 6].map((i) => `11111111-0000-4000-8000-00000000000${i}`);

interface XmlNode {
  name: string;
  attributes: Record<string, string>;
  children: XmlNode[];
  text: string;
}

/** A small DOM from saxes (throws on any well-formedness error). */
function parseXml(xml: string): XmlNode {
  const parser = new SaxesParser({ xmlns: false });
  const root: XmlNode = { name: "#document", attributes: {}, children: [], text: "" };
  const stack: XmlNode[] = [root];
  parser.on("error", (e) => {
    throw e;
  });
  parser.on("opentag", (tag) => {
    const node: XmlNode = {
      name: tag.name,
      attributes: Object.fromEntries(Object.entries(tag.attributes).map(([k, v]) => [k, String(v)])),
      children: [],
      text: "",
    };
    stack.at(-1)?.children.push(node);
    stack.push(node);
  });
  parser.on("text", (t) => {
    const top = stack.at(-1);
    if (top !== undefined) top.text += t;
  });
  parser.on("closetag", () => {
    stack.pop();
  });
  parser.write(xml).close();
  return root;
}

const JUNIT = join(mkdtempSync(join(tmpdir(), "winnow-junit-")), "junit.xml");
let mixed: CliRun | undefined;
/** One run over the mixed fixture tree (JSON lines on stdout, JUnit to a file), shared by two tests. */
function mixedRun(): CliRun {
  mixed ??= runCli([
    "test",
    "--content",
    MIXED,
    "--format",
    "json",
    "--junit",
    JUNIT,
    "--quiet",
    ...FIXTURE_IDS,
  ]);
  return mixed;
}

describe("winnow test", () => {
  it("passes the flagship's shipped tests with exit 0", () => {
    const r = runCli(["test", FLAGSHIP]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split("\n");
    assert.equal(lines.length, 10);
    assert.ok(lines.slice(0, 9).every((l) => l.startsWith(`PASS   ${FLAGSHIP} › `)));
    assert.match(
      lines[9] ?? "",
      /^9 tests of 1 detection: 9 passed, 0 failed, 0 could not run, 0 skipped \(0 data missing\) in \d+\.\d\d s$/,
    );
  });

  it("fails (exit 1) a broken copy of the flagship and says why", () => {
    const r = runCli(["test", "--content", "test/fixtures/test-cmd/broken-field", FLAGSHIP]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stdout.split("\n").slice(0, 4).join("\n"),
      [
        `FAIL   ${FLAGSHIP} › examples, Sysmon 1 in XmlWinEventLog (3 rows, 0 risk events)`,
        '       result 1 of 3: risk object field "dest" is not in the result (the search outputs dst, user, parent_process_name, process_name, process, process_id, parent_process_id, count, firstTime, lastTime)',
        '       risk object "dest" (type system, score 54) yielded no risk event with that type and score',
        '       risk message token $dest is left unreplaced: "dest" has no value in 3 of 3 result(s) (first: result 1)',
      ].join("\n"),
    );
  });

  it("exits 0 when tests are only skipped for missing data", () => {
    const r = runCli(["test", "--data-root", "shared:=test/fixtures/test-cmd", FLAGSHIP]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout.match(/^SKIP {3}/gm)?.length, 7, "the 7 tests on shared data");
    assert.equal(r.stdout.match(/^PASS {3}/gm)?.length, 2, "the 2 tests on examples/");
  });

  it("exits 2 on usage errors: an unknown detection, a bad --data-root, a content tree that is not one", () => {
    const unknown = runCli(["test", "No Such Detection"]);
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stderr, 'winnow: no loaded detection is named "No Such Detection"\n');
    const badRoot = runCli(["test", "--data-root", "shared:="]);
    assert.equal(badRoot.code, 2);
    assert.equal(badRoot.stderr, 'winnow: --data-root shared:=: no folder after "="\n');
    const badTree = runCli(["test", "--content", "test/fixtures/test-cmd/no-such-tree"]);
    assert.equal(badTree.code, 2);
  });

  it("a --data-root that is not a folder, or PREFIX=DIR without a scheme, is a usage error (exit 2)", () => {
    // Bug report: each of these ran every test as "SKIP: data missing" and exited 0.
    const cases: [string, string][] = [
      ["/nonexistent", "winnow: --data-root /nonexistent: no such folder: /nonexistent\n"],
      ["shared:=/nonexistent", "winnow: --data-root shared:=/nonexistent: no such folder: /nonexistent\n"],
      [
        "foo=/tmp",
        'winnow: --data-root foo=/tmp: "foo" is not a PREFIX (a prefix starts with a scheme, such as shared: or https:), and there is no folder of that name: give PREFIX=DIR, or a DIR alone\n',
      ],
      ["shared:=README.md", `winnow: --data-root shared:=README.md: ${REPO}README.md is not a folder\n`],
    ];
    for (const [spec, stderr] of cases) {
      const r = runCli(["test", "--data-root", spec, FLAGSHIP]);
      assert.equal(r.stderr, stderr, spec);
      assert.equal(r.stdout, "", spec);
      assert.equal(r.code, 2, spec);
    }
  });

  it("writes one JSON object per test with --format json", () => {
    const r = mixedRun();
    assert.equal(r.code, 1);
    assert.equal(r.stderr, "");
    const objects = r.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as { detection: string; test: string; status: string; kind: string });
    // Named detections are tested even when deprecated: 8 + 1 + 1 + 1 + 1 tests.
    assert.equal(objects.length, 12);
    assert.deepEqual(objects.map((o) => o.status).sort(), [
      "error",
      "fail",
      "fail",
      "fail",
      "fail",
      "fail",
      "pass",
      "pass",
      "pass",
      "pass",
      "skip",
      "skip",
    ]);
    assert.deepEqual(
      objects.filter((o) => o.kind !== "positive").map((o) => [o.test, o.kind]),
      [
        ["rows as expected", "exact"],
        ["rows differ", "exact"],
        ["rows from a JSON lines file", "exact"],
        ["positive data where none is expected", "negative"],
        ["empty expected list on positive data", "exact"],
      ],
    );
  });

  it("writes JUnit XML that parses back with counts matching its test cases", () => {
    const r = mixedRun();
    assert.equal(r.code, 1);
    const xml = readFileSync(JUNIT, "utf8");
    assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n'));
    const doc = parseXml(xml);
    assert.equal(doc.children.length, 1);
    const suites = doc.children[0]!;
    assert.equal(suites.name, "testsuites");
    assert.deepEqual(
      [
        suites.attributes.tests,
        suites.attributes.failures,
        suites.attributes.errors,
        suites.attributes.skipped,
      ],
      ["12", "5", "1", "2"],
    );
    assert.deepEqual(
      suites.children.map((s) => [s.name, s.attributes.name, s.children.length]),
      [
        ["testsuite", "Winnow Fixture Deprecated", 1],
        ["testsuite", "Winnow Fixture Exact Rows", 8],
        ["testsuite", "Winnow Fixture Message Token", 1],
        ["testsuite", "Winnow Fixture Raw Search", 1],
        ["testsuite", "Winnow Fixture Threat Object Missing", 1],
      ],
    );
    for (const s of suites.children) {
      const cases = s.children;
      assert.ok(cases.every((c) => c.name === "testcase" && c.attributes.classname !== undefined));
      const outcome = (tag: string) => cases.filter((c) => c.children.some((x) => x.name === tag)).length;
      assert.equal(Number(s.attributes.tests), cases.length);
      assert.equal(Number(s.attributes.failures), outcome("failure"));
      assert.equal(Number(s.attributes.errors), outcome("error"));
      assert.equal(Number(s.attributes.skipped), outcome("skipped"));
      for (const c of cases) assert.match(c.attributes.time ?? "", /^\d+\.\d{3}$/);
    }
    const exact = suites.children[1]!;
    assert.equal(
      exact.attributes.file?.endsWith("mixed/detections/endpoint/winnow_fixture_exact_rows.yml"),
      true,
    );
    const byName = new Map(exact.children.map((c) => [c.attributes.name, c]));
    const differ = byName.get("rows differ")?.children[0];
    assert.equal(differ?.name, "failure");
    assert.match(
      differ?.attributes.message ?? "",
      /^expected 3 row\(s\), got 3; compared on dest, user, process_name; /,
    );
    assert.equal(differ?.text, differ?.attributes.message, "the body repeats the one reason");
    const skipped = byName.get("data missing (relative path)")?.children[0];
    assert.equal(skipped?.name, "skipped");
    assert.match(skipped?.attributes.message ?? "", /^data missing: attack_data\/not_here\.log /);
    const noted = byName.get("sourcetype names another format")?.children[0];
    assert.equal(noted?.name, "system-out");
    assert.match(
      noted?.text ?? "",
      /^note: .*security-4688\.winlogbeat\.jsonl: sourcetype XmlWinEventLog names xml/,
    );
    assert.equal(byName.get("rows as expected")?.children.length, 0);
    const raw = suites.children[3]!.children[0]!.children[0]!;
    assert.equal(raw.name, "error");
    assert.match(raw.attributes.message ?? "", /^the search cannot run: \[spl-unsupported\] /);
  });

  it("escapes text so that any message stays well-formed XML", () => {
    const nasty = `a<b>&"c"'d'\u0001\u0008\u000B\uFFFE\uD800 e\tf\ng\u{1F600}`;
    const doc = parseXml(`<x m="${xmlEscape(nasty)}">${xmlEscape(nasty)}</x>`);
    const x = doc.children[0]!;
    // Attribute values normalise tab and newline to spaces (XML 1.0 §3.3.3); text keeps them.
    assert.equal(x.text, `a<b>&"c"'d'\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD e\tf\ng\u{1F600}`);
    assert.equal(x.attributes.m, `a<b>&"c"'d'\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD e f g\u{1F600}`);
  });
});

/**
 * Detection files that do not load (bug report: with broken YAML, a file missing required keys and a binary
 * .yml in the content, `hunt -q` printed nothing, the summary said no detection "could not run", --stats-json had
 * `detections_failed: 0` and no entry for them, and doctor gave them no verdict). README: a detection that cannot
 * run "is named on stderr, even with -q, and counted (detections_failed)". Each such file is now counted, listed
 * in `detections[]` (status failed, its file, the name and id when they could be read, the reasons with line
 * and column), named with -q, and given doctor's cannot-run verdict; naming one with -d exits 2 with the reason.
 * Also: -d naming a deprecated detection (bug report: "0 detections run, 1 excluded", exit 0) and -q hiding why
 * the content could not be loaded.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { detectionYaml } from "../support/detection-yaml.js";
import { runCli } from "../support/run-cli.js";
import { sharedPath } from "../support/shared.js";

const LOG = "examples/sysmon-operational.xml.log";

/** broken.yml (a YAML error), missing.yml (readable name and id, no type/tags), binary.yml (EVTX bytes). */
function brokenTree(): { dir: string; file: (n: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), "winnow-unloadable-"));
  mkdirSync(join(dir, "detections"));
  const file = (n: string) => join(dir, "detections", n);
  writeFileSync(file("broken.yml"), "name: [unclosed\n");
  writeFileSync(
    file("missing.yml"),
    'name: Broken One\nid: 11111111-1111-1111-1111-111111111111\nsearch: "| tstats count from datamodel=Endpoint.Processes by Processes.dest"\n',
  );
  writeFileSync(
    file("binary.yml"),
    readFileSync(sharedPath("data/derived-positives/derived_winrs_4688_fs03vuln.evtx")).subarray(0, 512),
  );
  return { dir, file };
}

const YAML_ERROR = "Flow sequence in block collection must be sufficiently indented and end with a ]";
const TYPE_MISSING = "detection: type: Invalid input: expected string, received undefined";
const TAGS_MISSING = "detection: tags: Invalid input: expected object, received undefined";
const NOT_A_MAPPING = "detection: the document is not a mapping";

describe("hunt with detection files that do not load", () => {
  const { dir, file } = brokenTree();

  it("-q names each of them on stderr, with its first error", () => {
    const r = runCli(["hunt", LOG, "-c", dir, "-q", "-o", "/dev/null"]);
    assert.equal(r.code, 0);
    assert.equal(
      r.stderr,
      [
        `${file("binary.yml")}:1:1: error [content-schema] ${NOT_A_MAPPING}`,
        `${file("broken.yml")}:2:1: error [content-yaml] ${YAML_ERROR}`,
        `${file("missing.yml")}:1:1, detection "Broken One": error [content-schema] ${TYPE_MISSING}`,
        "",
      ].join("\n"),
    );
  });

  it("the summary counts them as could not run, and --stats-json lists them as failed", () => {
    const stats = join(dir, "stats.json");
    const r = runCli(["hunt", LOG, "-c", dir, "-o", "/dev/null", "--stats-json", stats]);
    assert.equal(r.code, 0);
    assert.match(
      r.stderr,
      /\nwinnow: 8 detections run, 3 could not run \(see above\); 10 rows, 15 risk events in [0-9.]+ s\n$/,
    );
    const s = JSON.parse(readFileSync(stats, "utf8"));
    assert.equal(s.totals.detections_run, 8);
    assert.equal(s.totals.detections_failed, 3);
    assert.deepEqual(
      s.detections.filter((d: { status: string }) => d.status === "failed"),
      [
        {
          name: file("binary.yml"),
          id: "",
          file: file("binary.yml"),
          status: "failed",
          rows: 0,
          risk_events: 0,
          reasons: [`[content-schema] ${NOT_A_MAPPING} (line 1, column 1)`],
        },
        {
          name: file("broken.yml"),
          id: "",
          file: file("broken.yml"),
          status: "failed",
          rows: 0,
          risk_events: 0,
          reasons: [`[content-yaml] ${YAML_ERROR} (line 2, column 1)`],
        },
        {
          name: "Broken One",
          id: "11111111-1111-1111-1111-111111111111",
          file: file("missing.yml"),
          status: "failed",
          rows: 0,
          risk_events: 0,
          reasons: [
            `[content-schema] ${TYPE_MISSING} (line 1, column 1)`,
            `[content-schema] ${TAGS_MISSING} (line 1, column 1)`,
          ],
        },
      ],
    );
  });

  it('-d "Broken One" (its file failed the schema, its name is readable): cannot run, why, exit 2', () => {
    const r = runCli(["hunt", LOG, "-c", dir, "-q", "-d", "Broken One"]);
    assert.equal(r.stdout, "");
    assert.equal(
      r.stderr,
      [
        `${file("missing.yml")}:1:1, detection "Broken One": error [content-schema] ${TYPE_MISSING}`,
        'winnow: a detection named with -d cannot run: "Broken One" (the reason is above)',
        "",
      ].join("\n"),
    );
    assert.equal(r.code, 2);
    const byId = runCli(["hunt", LOG, "-c", dir, "-q", "-d", "11111111-1111-1111-1111-111111111111"]);
    assert.equal(byId.stderr, r.stderr);
    assert.equal(byId.code, 2);
  });

  it("doctor gives each of them the cannot-run verdict with its reasons", () => {
    const r = runCli(["doctor", LOG, "-c", dir, "-q", "-f", "json"]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.deepEqual(
      report.detections
        .filter((d: { verdict: string }) => d.verdict === "cannot-run")
        .map((d: { name: string; id: string; file: string; reasons: string[] }) => [
          d.name,
          d.id,
          d.file,
          d.reasons,
        ]),
      [
        [
          file("binary.yml"),
          "",
          file("binary.yml"),
          [`[content-schema] ${NOT_A_MAPPING} (line 1, column 1)`],
        ],
        [file("broken.yml"), "", file("broken.yml"), [`[content-yaml] ${YAML_ERROR} (line 2, column 1)`]],
        [
          "Broken One",
          "11111111-1111-1111-1111-111111111111",
          file("missing.yml"),
          [
            `[content-schema] ${TYPE_MISSING} (line 1, column 1)`,
            `[content-schema] ${TAGS_MISSING} (line 1, column 1)`,
          ],
        ],
      ],
    );
    const one = runCli(["doctor", LOG, "-c", dir, "-q", "-d", "Broken One"]);
    assert.equal(one.code, 0, one.stderr);
    assert.match(
      one.stdout,
      /\nDetections:\n {2}\[cannot-run\] Broken One\n {6}\[content-schema\] detection: type: .*\(line 1, column 1\)\n {6}\[content-schema\] detection: tags: .*\(line 1, column 1\)\n$/,
    );
  });

  it("test names them even with -q, and a named one cannot be tested (exit 2)", () => {
    const r = runCli(["test", "-c", dir, "-q", "Broken One"]);
    assert.equal(
      r.stderr,
      [
        `winnow: not tested (did not load): ${file("binary.yml")}: ${NOT_A_MAPPING} (line 1, column 1)`,
        `winnow: not tested (did not load): ${file("broken.yml")}: ${YAML_ERROR} (line 2, column 1)`,
        `winnow: not tested (did not load): ${file("missing.yml")}: ${TYPE_MISSING} (line 1, column 1)`,
        'winnow: "Broken One" cannot be tested: its file did not load (the reason is above)',
        "",
      ].join("\n"),
    );
    assert.equal(r.code, 2);
  });
});

describe("many detection files that do not load: the first 20 are named, the rest counted by reason", () => {
  const dir = mkdtempSync(join(tmpdir(), "winnow-unloadable-many-"));
  mkdirSync(join(dir, "detections"));
  const name = (i: number) => join(dir, "detections", `b${String(i).padStart(2, "0")}.yml`);
  for (let i = 1; i <= 23; i++) writeFileSync(name(i), "name: [unclosed\n");
  const line = (i: number) => `${name(i)}:2:1: error [content-yaml] ${YAML_ERROR}`;
  const first20 = Array.from({ length: 20 }, (_, i) => line(i + 1));

  it("with -q, then a pointer to --stats-json", () => {
    const r = runCli(["hunt", LOG, "-c", dir, "-q", "-o", "/dev/null"]);
    assert.equal(r.code, 0);
    assert.deepEqual(r.stderr.trimEnd().split("\n"), [
      ...first20,
      "… and 3 more detections that cannot run (content-yaml: 3); --stats-json FILE lists all",
    ]);
  });

  it("without -q, as the content loads, then the summary counts all 23", () => {
    const r = runCli(["hunt", LOG, "-c", dir, "--no-pack", "-o", "/dev/null"]);
    assert.equal(r.code, 0);
    const lines = r.stderr.trimEnd().split("\n");
    assert.deepEqual(lines.slice(0, 21), [
      ...first20,
      "… and 3 more content problems (content-yaml: 3); winnow validate lists all",
    ]);
    assert.match(lines.at(-1) ?? "", /^winnow: 1 detection run, 23 could not run \(see above\); 3 rows, /);
  });
});

describe("hunt -d naming a detection that will not run", () => {
  const dir = mkdtempSync(join(tmpdir(), "winnow-deprecated-"));
  mkdirSync(join(dir, "detections"));
  writeFileSync(
    join(dir, "detections", "old.yml"),
    detectionYaml({
      id: "d0000000-0000-0000-0000-000000000001",
      name: "Old Count",
      status: "deprecated",
      search: "| tstats count from datamodel=Endpoint.Processes by Processes.process_name",
    }),
  );

  it("a deprecated one: exit 2, saying so and that --include-deprecated runs it (also with -q)", () => {
    for (const quiet of [[], ["-q"]]) {
      const r = runCli(["hunt", LOG, "-c", dir, ...quiet, "-d", "Old Count"]);
      assert.equal(
        r.stderr,
        'winnow: "Old Count" is a deprecated detection (status: deprecated), not run by default; --include-deprecated runs it\n',
      );
      assert.equal(r.stdout, "");
      assert.equal(r.code, 2);
    }
    const run = runCli([
      "hunt",
      LOG,
      "-c",
      dir,
      "-q",
      "-f",
      "jsonl",
      "-d",
      "Old Count",
      "--include-deprecated",
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout.trimEnd().split("\n").length, 5);
  });
});

describe("-q never hides why the content could not be loaded", () => {
  it("hunt -c security_content/detections (not a tree) -q: the reason, then the stop (exit 2)", () => {
    const tree = sharedPath("content/security_content/detections");
    const expected = `${tree}: error [file-unreadable] not a content tree: it has no detections/, macros/ or lookups/ folder\nwinnow: content could not be loaded\n`;
    for (const args of [
      ["hunt", "examples", "-c", tree, "-q"],
      ["doctor", "examples", "-c", tree, "-q"],
      ["test", "-c", tree, "-q"],
    ]) {
      const r = runCli(args);
      assert.equal(r.stderr, expected, args.join(" "));
      assert.equal(r.stdout, "");
      assert.equal(r.code, 2);
    }
  });
});

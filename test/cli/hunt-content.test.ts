/**
 * `hunt --content` with detections that cannot all run: the others run, the ones that cannot are named (with
 * `--quiet` too), deprecated ones are excluded unless asked for, and a content tree's own CSV lookup (wildcard,
 * case-insensitive) is read end to end. Expected values are worked out by hand from examples/ (8 Sysmon 1
 * events; process names winrs.exe ×3, WINRS.EXE, svchelper.exe, cmd.exe ×2, winrshost.exe).
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { detectionYaml } from "../support/detection-yaml.js";
import { jsonlOf, runCli } from "../support/run-cli.js";

const count = "| tstats count from datamodel=Endpoint.Processes by Processes.process_name";

const detection = (id: string, name: string, status: string, search: string) =>
  detectionYaml({ id, name, status, search });

function tree(): string {
  const dir = mkdtempSync(join(tmpdir(), "winnow-hunt-content-"));
  mkdirSync(join(dir, "detections"));
  mkdirSync(join(dir, "lookups"));
  writeFileSync(
    join(dir, "detections", "xmlkv.yml"),
    detection("a0000000-0000-0000-0000-000000000001", "Uses Xmlkv", "production", `${count} | xmlkv`),
  );
  writeFileSync(
    join(dir, "detections", "old.yml"),
    detection("a0000000-0000-0000-0000-000000000002", "Old Count", "deprecated", count),
  );
  writeFileSync(
    join(dir, "detections", "lookup.yml"),
    detection(
      "a0000000-0000-0000-0000-000000000003",
      "Tool Lookup",
      "production",
      `${count} | \`drop_dm_object_name(Processes)\` | lookup winnow_test_tools pattern AS process_name OUTPUT note | search note=* | table process_name count note`,
    ),
  );
  writeFileSync(
    join(dir, "lookups", "winnow_test_tools.yml"),
    "name: winnow_test_tools\nfilename: winnow_test_tools.csv\ncase_sensitive_match: false\nmatch_type: WILDCARD(pattern)\n",
  );
  writeFileSync(
    join(dir, "lookups", "winnow_test_tools.csv"),
    "pattern,note\nwinrs*,remote shell\ncmd.ex,typo\n",
  );
  return dir;
}

const XMLKV_ERROR = (dir: string) =>
  `${join(dir, "detections", "xmlkv.yml")}:9, detection "Uses Xmlkv": error [spl-unsupported] command 'xmlkv' ` +
  "at expanded search line 1, column 78";

describe("hunt --content with a detection that cannot run", () => {
  const dir = tree();
  const logs = "examples/sysmon-operational.xml.log";

  it("runs the others, names it on stderr and counts it; the deprecated one is excluded", () => {
    const stats = join(dir, "stats.json");
    const r = runCli(["hunt", logs, "-c", dir, "--no-pack", "-f", "jsonl", "--stats-json", stats]);
    assert.equal(r.code, 0);
    const lines = r.stderr.trimEnd().split("\n");
    assert.equal(lines[0], XMLKV_ERROR(dir));
    assert.match(
      lines.at(-1) ?? "",
      /^winnow: 2 detections run, 1 could not run \(see above\), 1 excluded; /,
    );
    const s = JSON.parse(readFileSync(stats, "utf8"));
    assert.equal(s.totals.detections_failed, 1);
    assert.equal(s.totals.detections_excluded, 1);
    // The lookup: WILDCARD(pattern) `winrs*`, case-insensitive, so WINRS.EXE matches too; `cmd.ex` is no wildcard.
    const rows = jsonlOf(r.stdout)
      .filter((x) => x.detection === "Tool Lookup")
      .map((x) => [x.process_name, x.count, x.note]);
    assert.deepEqual(rows, [
      ["WINRS.EXE", 1, "remote shell"],
      ["winrs.exe", 3, "remote shell"],
      ["winrshost.exe", 1, "remote shell"],
    ]);
  });

  it("still names it with --quiet, which hides the summary only", () => {
    const r = runCli(["hunt", logs, "-c", dir, "--no-pack", "-q", "-f", "jsonl"]);
    assert.equal(r.code, 0);
    assert.equal(r.stderr, `${XMLKV_ERROR(dir)}\n`);
  });

  it("runs the deprecated detection with --include-deprecated", () => {
    const r = runCli([
      "hunt",
      logs,
      "-c",
      dir,
      "--no-pack",
      "-q",
      "-f",
      "jsonl",
      "--include-deprecated",
      "-d",
      "Old Count",
    ]);
    assert.equal(r.code, 0);
    const rows = jsonlOf(r.stdout).map((x) => [x["Processes.process_name"], x.count]);
    assert.deepEqual(rows, [
      ["WINRS.EXE", 1],
      ["cmd.exe", 2],
      ["svchelper.exe", 1],
      ["winrs.exe", 3],
      ["winrshost.exe", 1],
    ]);
  });
});

describe("hunt -q with many detections that cannot run", () => {
  it("names as many as the summary does (20), then how many more by reason", () => {
    const dir = mkdtempSync(join(tmpdir(), "winnow-hunt-many-"));
    mkdirSync(join(dir, "detections"));
    for (let i = 1; i <= 23; i++) {
      const id = `b0000000-0000-0000-0000-${String(i).padStart(12, "0")}`;
      writeFileSync(
        join(dir, "detections", `x${i}.yml`),
        detection(id, `Xmlkv ${i}`, "production", `${count} | xmlkv`),
      );
    }
    const r = runCli([
      "hunt",
      "examples/sysmon-operational.xml.log",
      "-c",
      dir,
      "--no-pack",
      "-q",
      "-f",
      "jsonl",
    ]);
    assert.equal(r.code, 0);
    const lines = r.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 21);
    assert.ok(lines.slice(0, 20).every((l) => l.includes("error [spl-unsupported] command 'xmlkv'")));
    assert.equal(
      lines[20],
      "… and 3 more detections that cannot run (spl-unsupported: 3); --stats-json FILE lists all",
    );
  });

  it("says that --no-pack turned off a pack detection named with -d (exit 2)", () => {
    const r = runCli(["hunt", "examples/", "--no-pack", "-d", "WinRM Pack - Winrs Loopback Execution"]);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      'winnow: "WinRM Pack - Winrs Loopback Execution": a detection of the WinRM pack, which --no-pack turns off\n',
    );
  });
});

/**
 * `winnow hunt` as a user runs it: the README's example, output formats, the summary, exit codes, and the
 * README's recipe for excluding an admin host through the generated `_filter` macro.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { runCli } from "../support/run-cli.js";
import { sharedPath } from "../support/shared.js";

const FLAGSHIP = "Remote Process Instantiation via WinRM and Winrs";
const tmp = () => mkdtempSync(join(tmpdir(), "winnow-hunt-"));

// Worked out by hand from examples/README.md: three Sysmon positives and one 4688 positive.
const EXPECTED_JSONL = [
  {
    dest: "SRV-APP-11.contoso.example",
    user: "svc_deploy",
    parent_process_name: "cmd.exe",
    process_name: "winrs.exe",
    process: 'C:\\Windows\\System32\\winrs.exe -remote:SRV-DB-03 "sc query"',
    process_id: "0x1f4c",
    parent_process_id: "0x8a0",
    count: 1,
    firstTime: "2026-11-30T15:20:45",
    lastTime: "2026-11-30T15:20:45",
  },
  {
    dest: "WKS-FIN-07.contoso.example",
    user: "j.doe",
    parent_process_name: "powershell.exe",
    process_name: "WINRS.EXE",
    process: "WINRS.EXE -Remote:https://dc-02.contoso.example:5986 -usessl ipconfig /all",
    process_id: "7232",
    parent_process_id: "6860",
    count: 1,
    firstTime: "2026-11-30T14:05:42",
    lastTime: "2026-11-30T14:05:42",
  },
  {
    dest: "WKS-FIN-07.contoso.example",
    user: "j.doe",
    parent_process_name: "powershell.exe",
    process_name: "svchelper.exe",
    process: 'svchelper.exe -r:10.20.0.12 "net group \\"Domain Admins\\" /domain"',
    process_id: "7440",
    parent_process_id: "6860",
    count: 1,
    firstTime: "2026-11-30T14:09:03",
    lastTime: "2026-11-30T14:09:03",
  },
  {
    dest: "WKS-FIN-07.contoso.example",
    user: "j.doe",
    parent_process_name: "powershell.exe",
    process_name: "winrs.exe",
    process: 'winrs -r:DC-02 -u:CONTOSO\\j.doe "cmd /c whoami & hostname"',
    process_id: "7012",
    parent_process_id: "6860",
    count: 1,
    firstTime: "2026-11-30T14:02:11",
    lastTime: "2026-11-30T14:02:11",
  },
].map((r) => ({ ...r, detection: FLAGSHIP, detection_id: "0dd296a2-4338-11ec-ba02-3e22fbd008af" }));

const sortRows = (rows: unknown[]) =>
  [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe("winnow hunt", () => {
  it("finds the four example positives, in jsonl with exactly the detection's columns", () => {
    const r = runCli(["hunt", "examples/", "--format", "jsonl"]);
    assert.equal(r.code, 0);
    const rows = r.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.deepEqual(sortRows(rows), sortRows(EXPECTED_JSONL));
    assert.deepEqual(Object.keys(rows[0]), [
      "dest",
      "user",
      "parent_process_name",
      "process_name",
      "process",
      "process_id",
      "parent_process_id",
      "count",
      "firstTime",
      "lastTime",
      "detection",
      "detection_id",
    ]);
    assert.match(r.stderr, /skipped examples\/README\.md: text that is not a log/);
    assert.match(
      r.stderr,
      /2 files read, 1 skipped \(not logs\); 11 events \(11 process\), 0 malformed records skipped/,
    );
    assert.match(r.stderr, /1 detection run; 4 rows, 4 risk events in \d+\.\d\d s/);
  });

  it("writes CSV with quoting, risk events and the stats JSON", () => {
    const dir = tmp();
    const r = runCli([
      "hunt",
      "examples/security-4688.winlogbeat.jsonl",
      "--format",
      "csv",
      "--risk",
      join(dir, "risk.jsonl"),
      "--stats-json",
      join(dir, "stats.json"),
    ]);
    assert.equal(r.code, 0);
    assert.equal(
      r.stdout,
      "detection,detection_id,dest,user,parent_process_name,process_name,process,process_id,parent_process_id,count,firstTime,lastTime\n" +
        `${FLAGSHIP},0dd296a2-4338-11ec-ba02-3e22fbd008af,SRV-APP-11.contoso.example,svc_deploy,cmd.exe,winrs.exe,` +
        '"C:\\Windows\\System32\\winrs.exe -remote:SRV-DB-03 ""sc query""",0x1f4c,0x8a0,1,2026-11-30T15:20:45,2026-11-30T15:20:45\n',
    );
    const risk = readFileSync(join(dir, "risk.jsonl"), "utf8")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.deepEqual(risk, [
      {
        _time: "2026-11-30T15:20:45.123Z",
        search_name: `ESCU - ${FLAGSHIP} - Rule`,
        risk_object: "SRV-APP-11.contoso.example",
        risk_object_type: "system",
        risk_score: 54,
        risk_message: "A process was started on a remote endpoint from SRV-APP-11.contoso.example",
        annotations: { mitre_attack: ["T1021", "T1021.006"] },
        analyticstories: ["Active Directory Lateral Movement"],
        detection_id: "0dd296a2-4338-11ec-ba02-3e22fbd008af",
      },
    ]);
    const stats = JSON.parse(readFileSync(join(dir, "stats.json"), "utf8"));
    assert.equal(stats.version, 1);
    assert.deepEqual(
      { ...stats.totals },
      {
        files: 1,
        files_read: 1,
        files_skipped: 0,
        files_unreadable: 0,
        events: 3,
        process_events: 3,
        malformed: 0,
        recovered: 0,
        detections_run: 1,
        detections_failed: 0,
        detections_excluded: 0,
        rows: 1,
        risk_events: 1,
        notables: 1,
      },
    );
    assert.deepEqual(stats.mapped, { "security-4688": 3 });
    assert.equal(stats.files[0].format, "json");
    assert.deepEqual(stats.detections[0].status, "ran");
  });

  it("exits 1 on findings only with --fail-on-findings", () => {
    assert.equal(runCli(["hunt", "examples/", "-q", "--fail-on-findings"]).code, 1);
    assert.equal(runCli(["hunt", "examples/", "-q"]).code, 0);
  });

  it("exits 3 when some input could not be read, and still reports the good rows", () => {
    const r = runCli([
      "hunt",
      sharedPath("cases/05-corrupt-records-are-skipped/events.xml.log"),
      "-f",
      "jsonl",
    ]);
    assert.equal(r.code, 3);
    assert.equal(r.stdout.trimEnd().split("\n").length, 2);
    assert.match(r.stderr, /events\.xml\.log:2: \w+ \[xml-malformed\]/);
    assert.match(r.stderr, /events\.xml\.log:3: \w+ \[xml-malformed\]/);
  });

  it("exits 2 on usage errors with a message", () => {
    const bad = runCli(["hunt", "examples/", "--format", "yaml"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /argument 'yaml' is invalid\. Allowed choices are table, jsonl, csv/);
    const missing = runCli(["hunt", "no-such-dir/"]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /winnow: no such file or folder: no-such-dir\//);
    const unknown = runCli(["hunt", "examples/", "--detection", "No Such Detection"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no loaded detection is named "No Such Detection"/);
  });

  it("excludes an admin host through a user-defined filter macro (README recipe)", () => {
    const dir = tmp();
    mkdirSync(join(dir, "macros"));
    writeFileSync(
      join(dir, "macros", "remote_process_instantiation_via_winrm_and_winrs_filter.yml"),
      'name: remote_process_instantiation_via_winrm_and_winrs_filter\ndefinition: search dest!="WKS-FIN-07*"\n' +
        "description: our admin jump host runs winrs by design\n",
    );
    const r = runCli(["hunt", "examples/", "--content", dir, "-f", "jsonl", "-q"]);
    assert.equal(r.code, 0);
    const rows = r.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      rows.map((x) => x.dest),
      ["SRV-APP-11.contoso.example"],
    );
  });
});

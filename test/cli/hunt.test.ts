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

// The built-in WinRM pack's rows on the same files (docs/detections.md), worked out by hand from
// examples/README.md: every winrs remote switch (the flagship's four, `/r:` and the 4688 en dash), the
// target side on DC-02, and the edge WKS-FIN-07 → DC-02 (winrs -r:DC-02 at 14:02:11, DC-02 at 14:02:12).
const PACK = "WinRM Pack - ";
const TARGET_DIVERGENCE = "target side: the flagship sees only the machine that ran winrs.exe";
const hardened = (r: (typeof EXPECTED_JSONL)[number], dest_target: string, divergence: string) => {
  const { detection: _flagship, detection_id: _flagshipId, ...row } = r;
  return {
    ...row,
    dest_target,
    lm_channel: "winrs",
    divergence,
    lm_side: "source",
    detection: `${PACK}Winrs Remote Execution Any Switch`,
    detection_id: "242f3702-4161-4dd3-bc2c-52df78e09cb0",
  };
};
const PACK_JSONL = [
  hardened(EXPECTED_JSONL[0], "SRV-DB-03", "none"),
  hardened(EXPECTED_JSONL[1], "dc-02.contoso.example", "none"),
  hardened(EXPECTED_JSONL[2], "10.20.0.12", "none"),
  hardened(EXPECTED_JSONL[3], "DC-02", "none"),
  hardened(
    {
      ...EXPECTED_JSONL[3],
      process: "winrs /r:DC-02 hostname",
      process_id: "7552",
      firstTime: "2026-11-30T14:11:27",
      lastTime: "2026-11-30T14:11:27",
    },
    "DC-02",
    "slash switch",
  ),
  hardened(
    {
      ...EXPECTED_JSONL[0],
      process: "C:\\Windows\\System32\\winrs.exe \u2013r:SRV-DB-03 hostname",
      process_id: "0x1f90",
      firstTime: "2026-11-30T15:21:02",
      lastTime: "2026-11-30T15:21:02",
    },
    "SRV-DB-03",
    "unicode dash U+2013",
  ),
  {
    dest: "DC-02.contoso.example",
    user: "j.doe",
    parent_process_name: "winrshost.exe",
    process_name: "cmd.exe",
    process: '"C:\\Windows\\system32\\cmd.exe" /C whoami & hostname',
    process_id: "3908",
    parent_process_id: "3856",
    count: 1,
    firstTime: "2026-11-30T14:02:12",
    lastTime: "2026-11-30T14:02:12",
    lm_host_role: "child",
    lm_channel: "winrs",
    divergence: TARGET_DIVERGENCE,
    lm_side: "target",
    escu_sibling: "Windows Remote Management Execute Shell",
    detection: `${PACK}WinrsHost Spawned Process`,
    detection_id: "f1198601-dea4-4e1e-9d20-07d1308712c4",
  },
  {
    dest: "DC-02.contoso.example",
    user: "NETWORK SERVICE",
    parent_process_name: "svchost.exe",
    process_name: "winrshost.exe",
    process: "C:\\Windows\\system32\\WinrsHost.exe -Embedding",
    process_id: "3856",
    parent_process_id: "884",
    count: 1,
    firstTime: "2026-11-30T14:02:12",
    lastTime: "2026-11-30T14:02:12",
    lm_host_role: "started",
    lm_channel: "winrs",
    divergence: TARGET_DIVERGENCE,
    lm_side: "target",
    detection: `${PACK}WinrsHost Started`,
    detection_id: "5bbf0aee-1631-4464-97c2-18bbcfd35fc0",
  },
  {
    src: "WKS-FIN-07.contoso.example",
    dest: "DC-02.contoso.example",
    dest_target: "DC-02",
    lm_channel: "winrs",
    resolution: "short name",
    user: "j.doe",
    source_process: EXPECTED_JSONL[3].process,
    target_processes: [
      '"C:\\Windows\\system32\\cmd.exe" /C whoami & hostname',
      "C:\\Windows\\system32\\WinrsHost.exe -Embedding",
    ],
    source_detection: `${PACK}Winrs Remote Execution Any Switch`,
    target_detections: [`${PACK}WinrsHost Spawned Process`, `${PACK}WinrsHost Started`],
    source_score: 54,
    target_score: 48,
    risk_score: 76,
    firstTime: "2026-11-30T14:02:11",
    lastTime: "2026-11-30T14:02:12",
    divergence: "correlated edge: ESCU joins no source and target host",
    detection: `${PACK}Lateral Movement Edge`,
    detection_id: "7382d875-5f46-4167-9a72-20836d1aa4f7",
  },
];

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
    assert.deepEqual(sortRows(rows), sortRows([...EXPECTED_JSONL, ...PACK_JSONL]));
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
    assert.match(r.stderr, /8 detections run; 13 rows, 20 risk events in \d+\.\d\d s/);
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
      "detection,detection_id,dest,user,parent_process_name,process_name,process,process_id,parent_process_id,count,firstTime,lastTime" +
        ",dest_target,lm_channel,divergence,lm_side,lm_host_role,escu_sibling,src,resolution,source_process,target_processes" +
        ",source_detection,target_detections,source_score,target_score,risk_score\n" +
        `${FLAGSHIP},0dd296a2-4338-11ec-ba02-3e22fbd008af,SRV-APP-11.contoso.example,svc_deploy,cmd.exe,winrs.exe,` +
        '"C:\\Windows\\System32\\winrs.exe -remote:SRV-DB-03 ""sc query""",0x1f4c,0x8a0,1,2026-11-30T15:20:45,2026-11-30T15:20:45' +
        ",,,,,,,,,,,,,,,\n" +
        `${PACK}Winrs Remote Execution Any Switch,242f3702-4161-4dd3-bc2c-52df78e09cb0,SRV-APP-11.contoso.example,svc_deploy,cmd.exe,winrs.exe,` +
        '"C:\\Windows\\System32\\winrs.exe -remote:SRV-DB-03 ""sc query""",0x1f4c,0x8a0,1,2026-11-30T15:20:45,2026-11-30T15:20:45' +
        ",SRV-DB-03,winrs,none,source,,,,,,,,,,,\n" +
        `${PACK}Winrs Remote Execution Any Switch,242f3702-4161-4dd3-bc2c-52df78e09cb0,SRV-APP-11.contoso.example,svc_deploy,cmd.exe,winrs.exe,` +
        "C:\\Windows\\System32\\winrs.exe \u2013r:SRV-DB-03 hostname,0x1f90,0x8a0,1,2026-11-30T15:21:02,2026-11-30T15:21:02" +
        ",SRV-DB-03,winrs,unicode dash U+2013,source,,,,,,,,,,,\n",
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
      ...[
        [
          "2026-11-30T15:20:45.123Z",
          "SRV-APP-11.contoso.example",
          "SRV-DB-03",
          'C:\\Windows\\System32\\winrs.exe -remote:SRV-DB-03 "sc query"',
        ],
        [
          "2026-11-30T15:20:45.123Z",
          "SRV-DB-03",
          "SRV-DB-03",
          'C:\\Windows\\System32\\winrs.exe -remote:SRV-DB-03 "sc query"',
        ],
        [
          "2026-11-30T15:21:02.500Z",
          "SRV-APP-11.contoso.example",
          "SRV-DB-03",
          "C:\\Windows\\System32\\winrs.exe \u2013r:SRV-DB-03 hostname",
        ],
        [
          "2026-11-30T15:21:02.500Z",
          "SRV-DB-03",
          "SRV-DB-03",
          "C:\\Windows\\System32\\winrs.exe \u2013r:SRV-DB-03 hostname",
        ],
      ].map(([_time, risk_object, target, process]) => ({
        _time,
        search_name: `ESCU - ${PACK}Winrs Remote Execution Any Switch - Rule`,
        risk_object,
        risk_object_type: "system",
        risk_score: 54,
        risk_message: `winrs.exe on SRV-APP-11.contoso.example started a process on the remote endpoint ${target}`,
        annotations: { mitre_attack: ["T1021", "T1021.006"] },
        analyticstories: ["Active Directory Lateral Movement"],
        detection_id: "242f3702-4161-4dd3-bc2c-52df78e09cb0",
        threat_object: [process],
        threat_object_type: ["process"],
      })),
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
        files_damaged: 0,
        files_not_read: 0,
        events: 3,
        process_events: 3,
        malformed: 0,
        recovered: 0,
        detections_run: 8,
        detections_failed: 0,
        detections_excluded: 0,
        rows: 3,
        risk_events: 5,
        notables: 3,
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
    assert.equal(r.stdout.trimEnd().split("\n").length, 4);
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
      [
        "SRV-APP-11.contoso.example",
        "SRV-APP-11.contoso.example",
        "SRV-APP-11.contoso.example",
        "WKS-FIN-07.contoso.example",
        "WKS-FIN-07.contoso.example",
        "WKS-FIN-07.contoso.example",
        "WKS-FIN-07.contoso.example",
        "DC-02.contoso.example",
        "DC-02.contoso.example",
        "DC-02.contoso.example",
      ],
    );
  });
});

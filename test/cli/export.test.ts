/**
 * `winnow export`: EVTX → XmlWinEventLog lines that Winnow (and Splunk) read back to the same events, so a
 * hunt over the export returns exactly the rows of a hunt over the EVTX file.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "node:test";
import { jsonlOf, runCli } from "../support/run-cli.js";
import { sharedPath } from "../support/shared.js";

const EVTX = sharedPath("data/derived-positives/derived_winrs_sysmon_Win10_APTSimulatorVM.evtx");

it("exports every record of an EVTX file as one XML line, and a hunt over it gives the EVTX rows", () => {
  const xml = runCli(["export", EVTX, "--format", "xml", "--quiet"]);
  assert.equal(xml.code, 0);
  const lines = xml.stdout.trimEnd().split("\n");
  assert.equal(lines.length, 1402, "MANIFEST: 1402 records");
  assert.ok(lines.every((l) => l.startsWith("<Event xmlns=") && l.endsWith("</Event>")));
  const dir = mkdtempSync(join(tmpdir(), "winnow-export-"));
  const file = join(dir, "sysmon.xml.log");
  writeFileSync(file, xml.stdout);
  const flagship = ["--detection", "Remote Process Instantiation via WinRM and Winrs"];
  const fromXml = runCli(["hunt", file, "--format", "jsonl", "--quiet", ...flagship]);
  const fromEvtx = runCli(["hunt", EVTX, "--format", "jsonl", "--quiet", ...flagship]);
  assert.equal(fromEvtx.code, 0);
  assert.equal(fromXml.code, 0);
  const rows = (s: string) => s.trimEnd().split("\n").sort();
  assert.equal(rows(fromEvtx.stdout).length, 4, "expected.json: 4 rows");
  assert.deepEqual(rows(fromXml.stdout), rows(fromEvtx.stdout));
});

it("exports JSON lines with the System values and every EventData field", () => {
  // Values checked against python-evtx (evtx_dump.py), which zero-pads the hex ids.
  const r = runCli([
    "export",
    sharedPath("data/derived-positives/derived_winrs_4688_fs03vuln.evtx"),
    "-f",
    "jsonl",
    "-q",
  ]);
  assert.equal(r.code, 0);
  const events = r.stdout
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l) as { event_id: number; record_id: number; data: Record<string, string> });
  assert.deepEqual(
    events.map((e) => [e.event_id, e.record_id, e.data.NewProcessId, e.data.CommandLine]),
    [
      [4688, 1101625, "0xa0c", "winrs -r:dc1 hostname"],
      [4688, 1101626, "0xfa8", 'winrs.exe -R:dc01.offsec.lan     "net user"'],
      [4688, 1101627, "0x428", 'winrs /r:dc01      "net user"'],
      [4688, 1101628, "0x1280", "C:\\Windows\\system32\\winrs.exe -remote:dc01   whoami"],
    ],
  );
});

it("reports a missing path as a usage error (exit 2)", () => {
  const r = runCli(["export", "/nonexistent/x.evtx"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /no such file or folder: \/nonexistent\/x\.evtx/);
});

it("says how many records are in chunk slack, and --carve-slack writes them marked recovered", () => {
  // libevtx `evtxexport -m recovered` lists 14 records here (slack.test.ts); the file has 4 live records.
  const file = sharedPath("data/evtx-to-mitre-attack/ID4688-User_enumeration_via_command.evtx");
  const plain = runCli(["export", file, "--format", "jsonl"]);
  assert.equal(plain.code, 0);
  assert.equal(plain.stdout.trimEnd().split("\n").length, 4);
  assert.equal(
    plain.stderr.split("\n")[0],
    `${file}: info [evtx-slack-records] 45 records found in the slack of 1 chunk, not read: stale copies or events from before a chunk was reused; --carve-slack decodes those that still can be`,
  );
  const carved = runCli(["export", file, "--format", "jsonl", "--carve-slack"]);
  assert.equal(carved.code, 0);
  const rows = jsonlOf(carved.stdout);
  assert.equal(rows.length, 18);
  assert.equal(rows.filter((r) => r.recovered === true).length, 14);
  assert.equal(
    carved.stderr.split("\n")[0],
    `${file}: info [evtx-slack-records] 45 records found in the slack of 1 chunk: 14 carved and marked recovered, 31 could not be decoded (their templates or values were overwritten)`,
  );
});

it("counts the files read apart from those skipped, naming each skipped one with why (as hunt does)", () => {
  // Bug report: "events written from 8 file(s)" while 4 of them (.expected.json) were skipped and never named.
  const dir = sharedPath("data/derived-positives");
  const r = runCli(["export", dir, "-f", "jsonl", "-o", "/dev/null"]);
  assert.equal(r.code, 0, r.stderr);
  const skipped = [
    "derived_winrs_4688_fs03vuln.evtx.expected.json",
    "derived_winrs_otrf_workstation6.json.expected.json",
    "derived_winrs_sysmon_Win10_APTSimulatorVM.evtx.expected.json",
    "derived_winrs_xmlwineventlog_attackrange.xml.log.expected.json",
  ].map((f) => `skipped ${dir}/${f}: JSON without Windows events (1 record of no known event layout)`);
  const lines = r.stderr.trimEnd().split("\n");
  assert.deepEqual(lines.slice(1), [
    ...skipped,
    "winnow export: 1,427 events written from 4 file(s) read, 4 skipped (not logs); 0 malformed record(s) skipped, 0 unreadable file(s), 0 damaged file(s)",
  ]);
  assert.match(lines[0] ?? "", /^info \[evtx-slack-records\] /);
});

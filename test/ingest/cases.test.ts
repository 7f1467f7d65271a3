/**
 * Every case in ../shared/cases: the ingest counters from its expected.json, and the raw event fields that
 * its expected rows are computed from (SEMANTICS.md §3): for Sysmon, process = CommandLine, process_id =
 * ProcessId, parent_process_id = ParentProcessId, user = User without its domain, time = UtcTime; for 4688,
 * process_id = NewProcessId, parent_process_id = ProcessId, time = SystemTime. The expected values are read
 * from expected.json (written independently of Winnow), plus a few exact values from the READMEs.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { WinEvent } from "../../src/model/event.js";
import { collect, SHARED } from "./collect-events.js";

const CASES = join(SHARED, "cases");

interface ExpectedRow {
  dest: string;
  user: string;
  parent_process_name: string;
  process_name: string;
  process: string;
  process_id: string;
  parent_process_id: string;
  firstTime: string;
}
interface Expected {
  inputs: Array<{ path: string }>;
  expect: { rows: ExpectedRow[]; ingest: { events_total: number; malformed_records: number } };
}

function load(dir: string): Expected {
  return JSON.parse(readFileSync(join(CASES, dir, "expected.json"), "utf8")) as Expected;
}

const caseDirs = readdirSync(CASES)
  .filter((d) => /^\d\d-/.test(d))
  .sort();

async function readCase(dir: string): Promise<{ events: WinEvent[]; malformed: number; lines: number[] }> {
  const exp = load(dir);
  const r = await collect(exp.inputs.map((i) => join(CASES, dir, i.path)));
  const malformed = r.reports.reduce((n, f) => n + f.malformed, 0);
  const lines = r.diagnostics.filter((d) => d.severity !== "info").map((d) => d.line ?? -1);
  return { events: r.events, malformed, lines };
}

describe("cases: ingest counters from expected.json", () => {
  it("finds all six cases", () => {
    assert.equal(caseDirs.length, 6);
  });
  for (const dir of caseDirs) {
    it(dir, async () => {
      const exp = load(dir);
      const got = await readCase(dir);
      assert.equal(got.events.length, exp.expect.ingest.events_total);
      assert.equal(got.malformed, exp.expect.ingest.malformed_records);
    });
  }
});

describe("cases: the fields behind every expected row", () => {
  for (const dir of caseDirs) {
    it(dir, async () => {
      const exp = load(dir);
      const { events } = await readCase(dir);
      for (const row of exp.expect.rows) {
        const sysmon = events.find((e) => e.eventId === 1 && e.data.ProcessId === row.process_id);
        const sec = events.find((e) => e.eventId === 4688 && e.data.NewProcessId === row.process_id);
        const e = sysmon ?? sec;
        assert.ok(e, `${dir}: no event for process_id ${row.process_id}`);
        assert.equal(e.computer, row.dest);
        if (sysmon !== undefined) {
          assert.equal(e.data.CommandLine, row.process);
          assert.equal(e.data.ParentProcessId ?? "null", row.parent_process_id);
          const user = e.data.User ?? "";
          assert.equal(user.slice(user.lastIndexOf("\\") + 1), row.user);
          // UtcTime where present; the ECS line of case 06 has none and uses @timestamp (its README).
          const time = e.data.UtcTime ?? e.timeCreated ?? "";
          assert.equal(time.slice(0, 19).replace(" ", "T"), row.firstTime);
        } else {
          assert.equal(e.data.ProcessId, row.parent_process_id);
          assert.equal(e.timeCreated?.slice(0, 19), row.firstTime);
          const target = e.data.TargetUserName;
          assert.equal(target !== undefined && target !== "-" ? target : e.data.SubjectUserName, row.user);
          // Here the command line's first token has a backslash, so process is CommandLine verbatim.
          assert.equal(e.data.CommandLine, row.process);
        }
      }
    });
  }
});

describe("cases: exact values from the READMEs", () => {
  it("01: values keep their ingested case; OriginalFileName '-' is read as '-'", async () => {
    const { events } = await readCase("01-case-insensitive-match");
    assert.equal(events[0].data.Image, "C:\\WINDOWS\\SYSTEM32\\WINRS.EXE");
    assert.equal(events[0].data.User, "CORP\\alice");
    assert.equal(events[1].data.OriginalFileName, "-");
    assert.equal(events[0].provider, "Microsoft-Windows-Sysmon");
    assert.equal(events[0].channel, "Microsoft-Windows-Sysmon/Operational");
  });

  it("02: renamed binary keeps its on-disk Image and PE OriginalFileName; the 4688 has none", async () => {
    const { events } = await readCase("02-renamed-binary-original-file-name");
    assert.equal(events[0].data.Image, "C:\\Users\\Public\\svchelper.exe");
    assert.equal(events[0].data.OriginalFileName, "winrs.exe");
    assert.equal(events[2].data.Image, "C:\\Temp\\winrs.exe");
    assert.equal(events[2].data.OriginalFileName, "payload.exe");
    assert.equal(events[3].eventId, 4688);
    assert.equal(events[3].data.OriginalFileName, undefined);
  });

  it("03: 4688 v1 has no ParentProcessName and no Target*; Sysmon ParentImage '-'; trimmed JSON lacks ParentProcessId", async () => {
    const { events } = await readCase("03-missing-parent-null-by-fields");
    const v1 = events.find((e) => e.eventId === 4688);
    assert.ok(v1);
    assert.equal(v1.version, 1);
    assert.equal(v1.data.ParentProcessName, undefined);
    assert.equal(v1.data.TargetUserName, undefined);
    assert.equal(v1.data.SubjectUserName, "svc_backup");
    const dash = events.find((e) => e.computer === "WS-05.corp.example");
    assert.equal(dash?.data.ParentImage, "-");
    assert.equal(dash?.data.ParentCommandLine, "-");
    const trimmed = events.find((e) => e.computer === "SRV-APP-05.corp.example");
    assert.ok(trimmed);
    assert.equal(trimmed.data.ParentProcessId, undefined);
    assert.equal(trimmed.data.ProcessGuid, undefined);
    assert.equal(trimmed.data.CommandLine, 'winrs -r:SRV-DB-02 "sc query MSSQLSERVER"');
  });

  it("04: entities decoded exactly once", async () => {
    const { events } = await readCase("04-xml-entities-in-command-line");
    const cmd = events.map((e) => e.data.CommandLine);
    assert.deepEqual(cmd, [
      'winrs -r:SRV-WEB-04 "cmd /c echo ok && type C:\\inetpub\\logs\\a.log > C:\\temp\\out.txt"',
      "winrs -r:SRV-WEB-04 findstr /c:&quot; C:\\site\\index.html",
      "winrs -r:SRV-WEB-04 \"powershell -c 'Get-Date' <# note #>\"",
    ]);
    assert.equal(events[0].data.ParentCommandLine, '"C:\\Windows\\system32\\cmd.exe" ');
  });

  it("05: the truncated record (line 2) and the binary junk (line 3) are reported; the blank line 4 is not", async () => {
    const { events, lines } = await readCase("05-corrupt-records-are-skipped");
    assert.deepEqual(lines, [2, 3]);
    assert.deepEqual(
      events.map((e) => [e.origin.line, e.computer]),
      [
        [1, "WS-08.corp.example"],
        [5, "WS-09.corp.example"],
      ],
    );
  });

  it("06: layout traps — logger fields are not EventData, args are never re-joined, @timestamp for ECS", async () => {
    const { events } = await readCase("06-json-field-naming-variants");
    const [ecs, raw, flat] = events;
    assert.equal(ecs.data.CommandLine, "winrs -r:SRV-DB-02 ipconfig");
    assert.equal(ecs.data.ProcessId, "7012");
    assert.equal(ecs.data.ParentProcessId, "4480");
    assert.equal(ecs.data.OriginalFileName, "winrs.exe");
    assert.equal(ecs.data.User, "CORP\\alice");
    assert.equal(ecs.data.Image, "C:\\Windows\\System32\\winrs.exe");
    assert.equal(ecs.data.IntegrityLevel, "Medium"); // from winlog.event_data
    assert.equal(ecs.computer, "WS-12.corp.example");
    assert.equal(ecs.timeCreated, "2024-03-07T09:15:02.345Z");
    assert.equal(ecs.timeSource, "timestamp");
    assert.equal(ecs.recordId, 20431);
    assert.equal(raw.data.CommandLine, 'winrs  -remote:SRV-APP-03 "hostname"');
    assert.equal(raw.computer, "WS-13.corp.example");
    assert.equal(flat.data.ProcessId, "7788");
    assert.equal(flat.data.User, "CORP\\carol");
    assert.equal(flat.computer, "WS-14.corp.example");
    assert.equal(flat.provider, "Microsoft-Windows-Sysmon");
    for (const k of [
      "ProcessID",
      "Domain",
      "AccountName",
      "Hostname",
      "EventTime",
      "Message",
      "@timestamp",
    ]) {
      assert.equal(flat.data[k], undefined, k);
    }
    assert.equal(flat.data.Product, "Microsoft® Windows® Operating System");
  });
});

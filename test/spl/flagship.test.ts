/**
 * The flagship search end to end over hand-built Endpoint.Processes records (SEMANTICS §1, §3, §4).
 * Records for case 03 are written from the case README (not from our readers); the expected rows come
 * from the case's expected.json.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { compileSearch, type Row, rawTimeOf } from "../../src/spl/index.js";
import { FLAGSHIP_COLUMNS, FLAGSHIP_SPL, flagshipMacros } from "./flagship-fixture.js";

const DS = "Endpoint.Processes";
const casesDir = new URL("../../../shared/cases/", import.meta.url);

function run(records: Row[], filter?: string) {
  const r = compileSearch(FLAGSHIP_SPL, { macros: flagshipMacros(filter) });
  assert.deepEqual(r.diagnostics, []);
  assert.ok(r.search);
  const s = r.search.start();
  for (const rec of records) s.push(DS, rec);
  return s.finish();
}

const base: Row = {
  dest: "WS-01.corp.example",
  user: "alice",
  parent_process_name: "cmd.exe",
  process_name: "winrs.exe",
  process: "winrs -r:SRV-01 hostname",
  process_id: "100",
  parent_process_id: "99",
  original_file_name: "winrs.exe",
  parent_process: "cmd.exe",
};

describe("flagship search", () => {
  it("reads Endpoint.Processes and the fields it matches and groups on", () => {
    const r = compileSearch(FLAGSHIP_SPL, { macros: flagshipMacros() });
    assert.ok(r.search);
    assert.deepEqual(r.search.datasets, ["Endpoint.Processes"]);
    assert.deepEqual(r.search.fieldsUsed.get(DS), [
      "_time",
      "dest",
      "original_file_name",
      "parent_process_id",
      "parent_process_name",
      "process",
      "process_id",
      "process_name",
      "user",
    ]);
  });

  it('case 03: null parent_process_id becomes "null", placeholders are values (expected.json)', () => {
    const expected = JSON.parse(
      readFileSync(new URL("03-missing-parent-null-by-fields/expected.json", casesDir), "utf8"),
    ) as { expect: { rows: Record<string, unknown>[] } };
    const records: Row[] = [
      {
        _time: Date.parse("2024-03-05T12:00:00.250Z") / 1000,
        dest: "SRV-OLD-05.corp.example",
        user: "svc_backup",
        parent_process_name: "unknown",
        parent_process: "unknown",
        process_name: "winrs.exe",
        process: "C:\\Windows\\system32\\winrs.exe -r:SRV-DB-02 net localgroup administrators",
        process_id: "0x9f4",
        parent_process_id: "0x5d8",
        original_file_name: "unknown",
      },
      {
        _time: Date.parse("2024-03-05T12:05:00.750Z") / 1000,
        dest: "WS-05.corp.example",
        user: "dave",
        parent_process_name: "-",
        parent_process: "-",
        process_name: "winrs.exe",
        process: "winrs -r:SRV-DB-02 hostname",
        process_id: "4120",
        parent_process_id: "3104",
        original_file_name: "winrs.exe",
      },
      {
        _time: Date.parse("2024-03-05T12:10:00.409Z") / 1000,
        dest: "SRV-APP-05.corp.example",
        user: "svc_deploy",
        parent_process_name: "powershell.exe",
        parent_process: "powershell.exe -NoProfile -File C:\\deploy\\check.ps1",
        process_name: "winrs.exe",
        process: 'winrs -r:SRV-DB-02 "sc query MSSQLSERVER"',
        process_id: "5512",
        original_file_name: "winrs.exe",
      },
    ];
    const out = run(records);
    assert.deepEqual(out.columns, FLAGSHIP_COLUMNS);
    const want = expected.expect.rows.map((r) => {
      const { risk_score: _s, risk_message: _m, ...rest } = r;
      return rest;
    });
    const key = (r: Record<string, unknown>) => JSON.stringify(FLAGSHIP_COLUMNS.map((c) => r[c]));
    assert.deepEqual(out.rows.map(key).sort(), want.map(key).sort());
    assert.equal(out.rows.length, 3);
  });

  it("groups identical by-fields, counts as a number, min/max times truncated to the second", () => {
    const out = run([
      { ...base, _time: 1709640000.999 },
      { ...base, _time: 1709640059.5, process_name: "WINRS.EXE" },
      { ...base, _time: 1709640030 },
    ]);
    // process_name differs in case → two groups; by-field values keep their case.
    assert.deepEqual(out.rows, [
      {
        dest: "WS-01.corp.example",
        user: "alice",
        parent_process_name: "cmd.exe",
        process_name: "WINRS.EXE",
        process: "winrs -r:SRV-01 hostname",
        process_id: "100",
        parent_process_id: "99",
        count: 1,
        firstTime: "2024-03-05T12:00:59",
        lastTime: "2024-03-05T12:00:59",
      },
      {
        dest: "WS-01.corp.example",
        user: "alice",
        parent_process_name: "cmd.exe",
        process_name: "winrs.exe",
        process: "winrs -r:SRV-01 hostname",
        process_id: "100",
        parent_process_id: "99",
        count: 2,
        firstTime: "2024-03-05T12:00:00",
        lastTime: "2024-03-05T12:00:30",
      },
    ]);
    assert.equal(rawTimeOf(out.rows[1], "lastTime"), 1709640030);
    assert.equal(rawTimeOf(out.rows[1], "firstTime"), 1709640000.999);
  });

  it("known gap kept: /r: and Unicode-dash spellings do not match; -remote: does", () => {
    const out = run([
      { ...base, _time: 1, process: "winrs /r:SRV-01 hostname" },
      { ...base, _time: 2, process: "winrs \u2013r:SRV-01 hostname" },
      { ...base, _time: 3, process: "winrs \u2014r:SRV-01 hostname" },
      { ...base, _time: 4, process: "winrs -REMOTE:SRV-01 hostname" },
    ]);
    assert.deepEqual(
      out.rows.map((r) => r.process),
      ["winrs -REMOTE:SRV-01 hostname"],
    );
  });

  it("original_file_name alone selects a renamed binary; * spans line breaks", () => {
    const out = run([
      {
        ...base,
        _time: 5,
        process_name: "rs.exe",
        original_file_name: "WinRS.exe",
        process: "rs.exe\r\n-r:X a",
      },
      { ...base, _time: 6, process_name: "rs.exe", original_file_name: "unknown", process: "rs.exe -r:X" },
    ]);
    assert.deepEqual(
      out.rows.map((r) => r.process),
      ["rs.exe\r\n-r:X a"],
    );
  });

  it("a user filter macro excludes rows after tstats", () => {
    const out = run(
      [
        { ...base, _time: 1, dest: "ADMIN-01" },
        { ...base, _time: 2, dest: "WS-02" },
      ],
      "search NOT dest=admin-*",
    );
    assert.deepEqual(
      out.rows.map((r) => r.dest),
      ["WS-02"],
    );
  });
});

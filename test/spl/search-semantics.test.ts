/**
 * SEMANTICS §4, rule by rule, through the tstats where clause and the search command, with values
 * worked out from the spec (not from our output).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Row } from "../../src/spl/index.js";
import { compileErrors, over, rows } from "./harness.js";

/** ids of the records the where clause selects (tstats count by id). */
function ids(where: string, records: Row[]): string[] {
  const out = rows(
    `| tstats count from datamodel=Endpoint.Processes where ${where} by Processes.id`,
    records,
  );
  return out.map((r) => String(r["Processes.id"]));
}

const procs: Row[] = [
  { id: "1", process_name: "winrs.exe", process: "winrs -r:host cmd" },
  { id: "2", process_name: "WinRS.EXE", process: "WINRS -REMOTE:host cmd" },
  { id: "3", process_name: "winrs", process: "winrs\r\n-r:host" },
  { id: "4", process_name: "cmd.exe", process: "C:\\Windows\\System32\\cmd.exe /c" },
  { id: "5", process_name: "cmd.exe", process: 'say "hi" now' },
];

describe("search-language value matching (SEMANTICS §4)", () => {
  it("compares values case-insensitively", () => {
    assert.deepEqual(ids("Processes.process_name=WINRS.EXE", procs), ["1", "2"]);
  });

  it("treats field names case-sensitively", () => {
    assert.deepEqual(ids("Processes.Process_Name=winrs.exe", procs), []);
  });

  it("a value without * must match the whole field", () => {
    assert.deepEqual(ids("Processes.process_name=winrs", procs), ["3"]);
    assert.deepEqual(ids("Processes.process_name=winrs*", procs), ["1", "2", "3"]);
  });

  it("* matches any run of characters including none and line breaks", () => {
    assert.deepEqual(ids('Processes.process="*-r:*"', procs), ["1", "3"]);
    assert.deepEqual(ids("Processes.process=winrs*-r:host", procs), ["3"]);
    assert.deepEqual(ids("Processes.process=*", procs), ["1", "2", "3", "4", "5"]);
  });

  it('inside quotes \\\\ is one backslash and \\" a quote; other backslashes are kept', () => {
    assert.deepEqual(ids('Processes.process="C:\\\\Windows\\\\System32\\\\*"', procs), ["4"]);
    assert.deepEqual(ids('Processes.process="C:\\Windows\\System32\\*"', procs), ["4"]);
    assert.deepEqual(ids('Processes.process="say \\"hi\\" now"', procs), ["5"]);
    // bare values use the same escapes (ESCU writes `process_path=*\\Windows\\*`)
    assert.deepEqual(ids("Processes.process=C:\\\\Windows\\\\System32\\\\*", procs), ["4"]);
    assert.deepEqual(ids("Processes.process=*\\\\cmd.exe*", procs), ["4"]);
    // `\*` is a backslash followed by a wildcard: * cannot be escaped.
    assert.deepEqual(ids('Processes.process="*System32\\*"', procs), ["4"]);
  });

  it("allows spaces around = and bare or quoted values alike", () => {
    assert.deepEqual(ids("Processes.process_name = cmd.exe", procs), ["4", "5"]);
    assert.deepEqual(ids('Processes.process_name= "cmd.exe"', procs), ["4", "5"]);
    assert.deepEqual(ids('"Processes.process_name"="cmd.exe"', procs), ["4", "5"]);
  });

  it("IN is an OR of case-insensitive wildcard equalities", () => {
    assert.deepEqual(ids('Processes.process_name IN ("CMD.EXE", "win*.exe")', procs), ["1", "2", "4", "5"]);
    assert.deepEqual(ids("Processes.process_name IN (winrs)", procs), ["3"]);
    assert.deepEqual(ids('Processes.process_name IN (,"winrs",)', procs), ["3"]);
  });
});

const abc: Row[] = [
  { id: "1", a: "1", b: "0", c: "1" },
  { id: "2", a: "0", b: "0", c: "1" },
  { id: "3", a: "1", b: "1", c: "0" },
  { id: "4", a: "1", b: "0", c: "0" },
  { id: "5", b: "1" },
];

describe("search-language boolean rules (SEMANTICS §4)", () => {
  it("OR binds tighter than AND: A AND B OR C is A AND (B OR C)", () => {
    assert.deepEqual(ids("Processes.a=1 AND Processes.b=1 OR Processes.c=1", abc), ["1", "3"]);
    // the reading (A AND B) OR C would also select id 2
  });

  it("juxtaposition means AND, with the same precedence", () => {
    assert.deepEqual(ids("Processes.a=1 Processes.b=1 OR Processes.c=1", abc), ["1", "3"]);
    assert.deepEqual(ids("Processes.a=1 Processes.c=1", abc), ["1"]);
  });

  it("NOT binds tighter than OR", () => {
    // (NOT a=1) OR b=1: ids 2 (a=0), 3 (b=1), 5 (no a)
    assert.deepEqual(ids("NOT Processes.a=1 OR Processes.b=1", abc), ["2", "3", "5"]);
  });

  it("NOT f=v also matches events without f; f!=v only events with f", () => {
    assert.deepEqual(ids("NOT Processes.a=1", abc), ["2", "5"]);
    assert.deepEqual(ids("Processes.a!=1", abc), ["2"]);
  });

  it("parentheses group", () => {
    assert.deepEqual(ids("(Processes.a=1 AND Processes.b=1) OR Processes.c=1", abc), ["1", "2", "3"]);
  });

  it("operators are upper-case only: a lower-case 'and' is a search term", () => {
    const d = compileErrors(
      "| tstats count from datamodel=Endpoint.Processes where Processes.a=1 and Processes.b=1 by Processes.id",
    );
    assert.equal(d[0].code, "spl-unsupported");
    assert.match(d[0].message, /bare search term 'and'/);
  });

  it("the search command uses the same rules over result rows", () => {
    const out = over(
      [
        { id: "1", a: "1", b: "0", c: "1" },
        { id: "2", a: "0", b: "0", c: "1" },
        { id: "3", name: "WinRS.exe" },
      ],
      "search a=1 AND b=1 OR c=1 OR name=winrs.EXE",
    );
    assert.deepEqual(
      out.rows.map((r) => r.id),
      ["1"],
    );
  });
});

describe("where/eval boolean rules differ (SEMANTICS §4)", () => {
  const data = [
    { id: "1", a: "1", b: "0", c: "0", name: "winrs.exe" },
    { id: "2", a: "0", b: "1", c: "1", name: "WINRS.EXE" },
    { id: "3", a: "0", b: "1", c: "0", name: "x" },
  ];

  it("AND binds tighter than OR: a=1 OR b=1 AND c=1 is a=1 OR (b=1 AND c=1)", () => {
    const out = over(data, 'where a="1" OR b="1" AND c="1"');
    assert.deepEqual(
      out.rows.map((r) => r.id),
      ["1", "2"],
    );
  });

  it("a non-boolean where expression keeps no row and warns", () => {
    const out = over(data, "where a");
    assert.deepEqual(out.rows, []);
    assert.equal(out.diagnostics[0].code, "spl-runtime");
  });

  it("= is case-sensitive and literal (no wildcards)", () => {
    assert.deepEqual(
      over(data, 'where name="WINRS.EXE"').rows.map((r) => r.id),
      ["2"],
    );
    assert.deepEqual(
      over(data, 'where name="winrs*"').rows.map((r) => r.id),
      [],
    );
  });
});

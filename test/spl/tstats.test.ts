/**
 * tstats aggregation rules (SEMANTICS §4): count, count(f), min/max numeric vs lexicographic,
 * values() distinct and sorted, dc, earliest/latest, span, null and multivalue by-fields, column
 * order, options. Expected values worked out by hand from the spec.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compileSearch, createMacroTable, type Row } from "../../src/spl/index.js";
import { compileErrors, run } from "./harness.js";

const T0 = Date.UTC(2024, 2, 5, 12, 0, 0) / 1000; // 1709640000

function tstats(rest: string, records: Row[]) {
  return run(`| tstats ${rest}`, records);
}

describe("tstats aggregates", () => {
  const recs: Row[] = [
    { _time: T0 + 20, dest: "h1", pid: "9", name: "b", size: "abc" },
    { _time: T0 + 10, dest: "h1", pid: "10", name: "a", size: "10" },
    { _time: T0 + 30, dest: "h1", pid: "9", name: "B", size: "9" },
    { _time: T0 + 5, dest: "h1", name: "a" },
  ];

  it("count is a number of events; count(f) counts only events with f", () => {
    const out = tstats(
      "count count(Processes.pid) from datamodel=Endpoint.Processes by Processes.dest",
      recs,
    );
    assert.deepEqual(out.rows, [{ "Processes.dest": "h1", count: 4, "count(Processes.pid)": 3 }]);
    assert.deepEqual(out.columns, ["Processes.dest", "count", "count(Processes.pid)"]);
  });

  it("min/max are numeric when all values are numeric", () => {
    const out = tstats(
      "min(Processes.pid) as lo max(Processes.pid) as hi from datamodel=Endpoint.Processes by Processes.dest",
      recs,
    );
    // lexicographically "9" > "10"; numerically 10 > 9
    assert.deepEqual(out.rows, [{ "Processes.dest": "h1", lo: "9", hi: "10" }]);
  });

  it("min/max are lexicographic when some value is not numeric", () => {
    const out = tstats(
      "min(Processes.size) as lo max(Processes.size) as hi from datamodel=Endpoint.Processes by Processes.dest",
      recs,
    );
    // text order of "abc", "10", "9": "10" < "9" < "abc"
    assert.deepEqual(out.rows, [{ "Processes.dest": "h1", lo: "10", hi: "abc" }]);
  });

  it("values() is distinct and sorted lexicographically (upper case first); dc counts distinct", () => {
    const out = tstats(
      "values(Processes.name) dc(Processes.name) as n from datamodel=Endpoint.Processes by Processes.dest",
      recs,
    );
    assert.deepEqual(out.rows, [{ "Processes.dest": "h1", "values(Processes.name)": ["B", "a", "b"], n: 3 }]);
  });

  it("earliest/latest take the value at the smallest/largest _time", () => {
    const out = tstats(
      "earliest(Processes.name) as e latest(Processes.name) as l min(_time) as t0 max(_time) as t1 from datamodel=Endpoint.Processes by Processes.dest",
      recs,
    );
    assert.deepEqual(out.rows, [{ "Processes.dest": "h1", e: "a", l: "B", t0: T0 + 5, t1: T0 + 30 }]);
  });

  it("without by-fields gives one row, also over no events", () => {
    assert.deepEqual(tstats("count from datamodel=Endpoint.Processes", recs).rows, [{ count: 4 }]);
    assert.deepEqual(tstats("count from datamodel=Endpoint.Processes", []).rows, [{ count: 0 }]);
  });
});

describe("tstats by-fields", () => {
  const recs: Row[] = [
    { _time: T0, dest: "h2", user: "bob", parent_process_id: "1" },
    { _time: T0 + 1, dest: "h1", user: ["alice", "bob"], parent_process_id: "2" },
    { _time: T0 + 2, dest: "h1" },
  ];

  it("drops rows whose by-field is null without fillnull_value", () => {
    const out = tstats(
      "count from datamodel=Endpoint.Processes by Processes.dest Processes.parent_process_id",
      recs,
    );
    assert.deepEqual(out.rows, [
      { "Processes.dest": "h1", "Processes.parent_process_id": "2", count: 1 },
      { "Processes.dest": "h2", "Processes.parent_process_id": "1", count: 1 },
    ]);
  });

  it("keeps them as the given string with fillnull_value", () => {
    const out = tstats(
      "fillnull_value=null count from datamodel=Endpoint.Processes by Processes.dest Processes.parent_process_id",
      recs,
    );
    assert.deepEqual(out.rows, [
      { "Processes.dest": "h1", "Processes.parent_process_id": "2", count: 1 },
      { "Processes.dest": "h1", "Processes.parent_process_id": "null", count: 1 },
      { "Processes.dest": "h2", "Processes.parent_process_id": "1", count: 1 },
    ]);
  });

  it("a multivalue by-field puts the event in one group per value", () => {
    const out = tstats("count from datamodel=Endpoint.Processes by Processes.user", recs);
    assert.deepEqual(out.rows, [
      { "Processes.user": "alice", count: 1 },
      { "Processes.user": "bob", count: 2 },
    ]);
  });

  it("rows are sorted lexicographically by the by-field text (numeric-looking text too)", () => {
    const out = tstats("count from datamodel=Endpoint.Processes by Processes.process_id", [
      { process_id: "9" },
      { process_id: "100" },
      { process_id: "10" },
      { process_id: "0x1f" },
    ]);
    assert.deepEqual(
      out.rows.map((r) => r["Processes.process_id"]),
      ["0x1f", "10", "100", "9"],
    );
  });

  it("span= buckets _time to multiples of the span", () => {
    const out = tstats("count from datamodel=Endpoint.Processes by _time span=1h", [
      { _time: T0 + 3599.9 },
      { _time: T0 + 3600 },
      { _time: T0 - 0.5 },
    ]);
    assert.deepEqual(out.rows, [
      { _time: T0 - 3600, count: 1 },
      { _time: T0, count: 1 },
      { _time: T0 + 3600, count: 1 },
    ]);
  });

  it("by-fields come first, then aggregates in written order; rows sorted by the by-fields", () => {
    const out = tstats(
      "max(_time) as last count from datamodel=Endpoint.Processes by Processes.user, Processes.dest",
      recs,
    );
    assert.deepEqual(out.columns, ["Processes.user", "Processes.dest", "last", "count"]);
    assert.deepEqual(
      out.rows.map((r) => [r["Processes.user"], r["Processes.dest"]]),
      [
        ["alice", "h1"],
        ["bob", "h1"],
        ["bob", "h2"],
      ],
    );
  });
});

describe("tstats options and errors", () => {
  it("accepts summariesonly/allow_old_summaries (no effect) and rejects unknown options", () => {
    const ok = run(
      "| tstats summariesonly=true allow_old_summaries=false count from datamodel=Endpoint.Processes",
      [{}],
    );
    assert.deepEqual(ok.rows, [{ count: 1 }]);
    const d = compileErrors("| tstats bogus=1 count from datamodel=Endpoint.Processes");
    assert.equal(d[0].code, "spl-unsupported");
    assert.match(d[0].message, /tstats option 'bogus'/);
    assert.equal(d[0].searchOffset, 9);
  });

  it("prestats=true and unknown functions are unsupported", () => {
    assert.equal(
      compileErrors("| tstats prestats=true count from datamodel=Endpoint.Processes")[0].code,
      "spl-unsupported",
    );
    const d = compileErrors("| tstats perc95(Processes.x) from datamodel=Endpoint.Processes");
    assert.equal(d[0].code, "spl-unsupported");
    assert.match(d[0].message, /tstats function 'perc95'/);
  });

  it("datamodel=Model names the CIM root dataset; nodename= is unsupported", () => {
    const c = compileSearch(
      "| tstats count from datamodel=Network_Traffic where All_Traffic.dest_port=445 by All_Traffic.dest",
      { macros: createMacroTable([]) },
    );
    assert.ok(c.search);
    assert.deepEqual(c.search.datasets, ["Network_Traffic.All_Traffic"]);
    assert.deepEqual(c.search.fieldsUsed.get("Network_Traffic.All_Traffic"), ["dest", "dest_port"]);
    const d = compileErrors(
      "| tstats count from datamodel=Network_Traffic where nodename=All_Traffic.Traffic_By_Action.Blocked_Traffic",
    );
    assert.match(d[0].message, /nodename=/);
    assert.match(
      compileErrors("| tstats count from datamodel=Endpoint")[0].message,
      /datamodel=Endpoint: name a dataset/,
    );
  });

  it("reads only records of its own dataset", () => {
    const c = compileSearch("| tstats count from datamodel=Endpoint.Processes", {
      macros: createMacroTable([]),
    });
    assert.ok(c.search);
    const s = c.search.start();
    s.push("Endpoint.Registry", { _time: 1 });
    s.push("Endpoint.Processes", { _time: 2 });
    assert.deepEqual(s.finish().rows, [{ count: 1 }]);
  });
});

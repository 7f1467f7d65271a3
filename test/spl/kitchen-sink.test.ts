/**
 * A kitchen-sink search (STYLE convention 13): one pipeline through every stage — macros with
 * arguments, comments, tstats with IN/NOT/!=/span/values/dc, rename, convert, eval, where, lookup,
 * join, stats, sort, table — over hand-built records, with the expected rows worked out by hand.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Row } from "../../src/spl/index.js";
import { run, table } from "./harness.js";

const T0 = Date.UTC(2024, 2, 5, 12, 0, 0) / 1000;

const records: Row[] = [
  // h1: two cmd.exe runs in the same hour, one powershell run an hour later
  {
    _time: T0 + 10,
    dest: "h1",
    user: "alice",
    process_name: "cmd.exe",
    process: "cmd.exe /c whoami",
    parent_process_name: "explorer.exe",
  },
  {
    _time: T0 + 20,
    dest: "h1",
    user: "bob",
    process_name: "CMD.EXE",
    process: "cmd.exe /c net user",
    parent_process_name: "explorer.exe",
  },
  {
    _time: T0 + 3700,
    dest: "h1",
    user: "alice",
    process_name: "powershell.exe",
    process: "powershell -enc AAA",
    parent_process_name: "cmd.exe",
  },
  // h2: excluded by NOT parent=services.exe, and one without a user (null by-field, no fillnull)
  {
    _time: T0 + 30,
    dest: "h2",
    user: "carol",
    process_name: "cmd.exe",
    process: "cmd.exe /c dir",
    parent_process_name: "services.exe",
  },
  {
    _time: T0 + 40,
    dest: "h2",
    process_name: "cmd.exe",
    process: "cmd.exe /c ver",
    parent_process_name: "explorer.exe",
  },
  // h3: a process not in the list
  {
    _time: T0 + 50,
    dest: "h3",
    user: "dave",
    process_name: "notepad.exe",
    process: "notepad",
    parent_process_name: "explorer.exe",
  },
  // h3: powershell with a parent other than services.exe
  {
    _time: T0 + 60,
    dest: "h3",
    user: "dave",
    process_name: "powershell.exe",
    process: "powershell -nop",
    parent_process_name: "WINWORD.EXE",
  },
];

const macros = [
  { name: "shells", args: [], definition: 'Processes.process_name IN ("cmd.exe", "powershell*")' },
  { name: "not_parent", args: ["p"], definition: "NOT Processes.parent_process_name=$p$" },
  { name: "ctime", args: ["f"], definition: 'convert timeformat="%Y-%m-%d %H:%M" ctime($f$)' },
];

const tables = {
  owners: table([
    { host: "h1", owner: "IT" },
    { host: "h3", owner: "Sales" },
  ]),
};

const SPL = `| tstats count dc(Processes.user) as users values(Processes.process_name) as names min(_time) as first
    from datamodel=Endpoint.Processes
    where \`shells\` \`not_parent(services.exe)\` \`\`\`only shells not started by services\`\`\`
    by _time span=1h Processes.dest Processes.user
| \`drop_dm_object_name(Processes)\`
| \`ctime(first)\`
| eval label=upper(dest) . ":" . user, many=if(count > 1, "yes", "no")
| where NOT like(user, "b%")
| lookup owners host AS dest OUTPUT owner
| stats sum(count) as total values(label) as labels values(owner) as owner by dest
| sort - total
| table dest total labels owner`;

describe("kitchen-sink search", () => {
  it("runs every stage and gives the rows worked out by hand", () => {
    const out = run(SPL, records, { macros, tables });
    // tstats groups (by _time hour, dest, user), after `shells` and NOT parent=services.exe:
    //   (T0, h1, alice) count 1; (T0, h1, bob) count 1; (T0+3600, h1, alice) count 1;
    //   h2/carol dropped by NOT; h2 without user dropped (null by-field); notepad not a shell;
    //   (T0, h3, dave) count 1 (powershell under WINWORD.EXE)
    // where NOT like(user, "b%") drops bob's group; stats by dest: h1 total 2 (two alice groups,
    // one distinct label), h3 total 1; sort - total; lookup adds the owner
    assert.deepEqual(out.columns, ["dest", "total", "labels", "owner"]);
    assert.deepEqual(out.rows, [
      { dest: "h1", total: 2, labels: "H1:alice", owner: "IT" },
      { dest: "h3", total: 1, labels: "H3:dave", owner: "Sales" },
    ]);
  });

  it("the tstats stage alone: columns, span buckets, values() and dc()", () => {
    const out = run(SPL.split("\n| `drop")[0], records, { macros, tables });
    assert.deepEqual(out.columns, [
      "_time",
      "Processes.dest",
      "Processes.user",
      "count",
      "users",
      "names",
      "first",
    ]);
    assert.deepEqual(out.rows, [
      {
        _time: T0,
        "Processes.dest": "h1",
        "Processes.user": "alice",
        count: 1,
        users: 1,
        names: "cmd.exe",
        first: T0 + 10,
      },
      {
        _time: T0,
        "Processes.dest": "h1",
        "Processes.user": "bob",
        count: 1,
        users: 1,
        names: "CMD.EXE",
        first: T0 + 20,
      },
      {
        _time: T0,
        "Processes.dest": "h3",
        "Processes.user": "dave",
        count: 1,
        users: 1,
        names: "powershell.exe",
        first: T0 + 60,
      },
      {
        _time: T0 + 3600,
        "Processes.dest": "h1",
        "Processes.user": "alice",
        count: 1,
        users: 1,
        names: "powershell.exe",
        first: T0 + 3700,
      },
    ]);
  });
});

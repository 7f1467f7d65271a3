/**
 * Row commands (issue 4) with exact values: rename, convert, table, fields, stats, eventstats, dedup,
 * sort, head, fillnull, regex, rex, bin, mvexpand, makemv, lookup, inputlookup, join, search
 * subsearches.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Row, rawTimeOf } from "../../src/spl/index.js";
import { compileErrors, over, run, table } from "./harness.js";

const people: Record<string, string>[] = [
  { name: "b", n: "10", host: "h1" },
  { name: "a", n: "9", host: "h2" },
  { name: "c", n: "x", host: "h1" },
  { name: "a", n: "2" },
];

describe("rename", () => {
  it("wildcards fill the new name; position kept; an existing target is replaced", () => {
    const out = over([{ "P.a": "1", "P.b": "2", b: "old", z: "3" }], 'rename "P.*" as * | rename z as "Z z"');
    assert.deepEqual(out.columns, ["a", "b", "Z z"]);
    assert.deepEqual(out.rows, [{ a: "1", b: "2", "Z z": "3" }]);
  });

  it("several wildcards and comma-separated pairs", () => {
    const out = over([{ "x.1.y": "v", k: "w" }], "rename x.*.* as *_*, k AS K");
    assert.deepEqual(out.rows, [{ "1_y": "v", K: "w" }]);
  });
});

describe("convert", () => {
  it("ctime formats epoch seconds in UTC, truncating; default format; AS; non-numeric left alone", () => {
    const out = over(
      [{ t: "1709640059.999", u: "abc", v: "0" }],
      'convert timeformat="%Y-%m-%dT%H:%M:%S" ctime(t) ctime(u) | convert ctime(v) AS w',
    );
    assert.deepEqual(out.rows, [{ t: "2024-03-05T12:00:59", u: "abc", v: "0", w: "01/01/1970 00:00:00" }]);
    assert.deepEqual(out.columns, ["t", "u", "v", "w"]);
    assert.equal(rawTimeOf(out.rows[0], "t"), 1709640059.999);
    assert.equal(rawTimeOf(out.rows[0], "w"), 0);
  });

  it("an unsupported strftime directive is reported", () => {
    const d = compileErrors('| inputlookup t | convert timeformat="%Y %K" ctime(x)', {
      tables: { t: table([]) },
    });
    assert.equal(d[0].code, "spl-unsupported");
    assert.match(d[0].message, /'%K'/);
  });
});

describe("table and fields", () => {
  it("table keeps listed fields in list order, wildcards in column order, missing ones as empty columns", () => {
    const out = over([{ b1: "1", a: "2", b2: "3", c: "4" }], "table c, b* nothere");
    assert.deepEqual(out.columns, ["c", "b1", "b2", "nothere"]);
    assert.deepEqual(out.rows, [{ c: "4", b1: "1", b2: "3" }]);
  });

  it("fields - removes; fields keeps only the listed ones", () => {
    assert.deepEqual(over([{ a: "1", b: "2", c: "3" }], "fields - b").columns, ["a", "c"]);
    assert.deepEqual(over([{ a: "1", b: "2", c: "3" }], "fields -b, c").columns, ["a"]);
    const kept = over([{ a: "1", b: "2", c: "3" }], "fields c, a, zz");
    assert.deepEqual(kept.columns, ["c", "a"]);
    assert.deepEqual(kept.rows, [{ c: "3", a: "1" }]);
  });
});

describe("stats and eventstats", () => {
  it("stats groups by fields (null by-field left out), sorted, aggregates in written order", () => {
    const out = over(people, "stats count values(name) as names max(n) by host");
    assert.deepEqual(out.columns, ["host", "count", "names", "max(n)"]);
    assert.deepEqual(out.rows, [
      { host: "h1", count: 2, names: ["b", "c"], "max(n)": "x" },
      { host: "h2", count: 1, names: "a", "max(n)": "9" },
    ]);
  });

  it("stats without by: one row; sum/avg/dc/min over numeric values", () => {
    const out = over(people, "stats count dc(name) as dc sum(n) as s avg(n) as a min(n) as lo");
    // n values: 10, 9, x, 2 → min is lexicographic because "x" is not numeric
    assert.deepEqual(out.rows, [{ count: 4, dc: 3, s: 21, a: 7, lo: "10" }]);
    assert.deepEqual(over([], "stats count").rows, [{ count: 0 }]);
  });

  it("stdev/var are sample statistics, stdevp/varp population; range, median, mode", () => {
    // numeric n: 10, 9, 2 (x is not numeric): mean 7, squared deviations 9 + 4 + 25 = 38
    const out = over(
      people,
      "stats var(n) as v stdev(n) as sd varp(n) as vp range(n) as r median(n) as m mode(name) as mo",
    );
    assert.deepEqual(out.rows, [{ v: 19, sd: Math.sqrt(19), vp: 38 / 3, r: 8, m: 9, mo: "a" }]);
    // even count: the higher of the two middle values
    assert.deepEqual(over([{ n: "4" }, { n: "1" }, { n: "3" }, { n: "2" }], "stats median(n) as m").rows, [
      { m: 3 },
    ]);
  });

  it("wildcard aggregates expand over the columns", () => {
    const out = over([{ h: "1", p: "a", q: "b" }], "stats latest(*) as last_* by h");
    assert.deepEqual(out.rows, [{ h: "1", last_p: "a", last_q: "b" }]);
  });

  it("fn(eval(expr)) aggregates the expression; a false comparison is no value", () => {
    const out = over(
      people,
      'stats count(eval(host="h1")) as on_h1 sum(eval(if(isnum(n), n * 2, 0))) as s by name',
    );
    assert.deepEqual(out.rows, [
      { name: "a", on_h1: 0, s: 22 },
      { name: "b", on_h1: 1, s: 20 },
      { name: "c", on_h1: 1, s: 0 },
    ]);
    const d = compileErrors("| tstats count(eval(x=1)) from datamodel=Endpoint.Processes");
    assert.match(d[0].message, /eval\(\.\.\.\)\) in tstats/);
  });

  it("eventstats adds group aggregates to every row", () => {
    const out = over(people, "eventstats count as per_host by host");
    assert.deepEqual(
      out.rows.map((r) => r.per_host),
      [2, 1, 2, undefined],
    );
    assert.deepEqual(out.columns, ["name", "n", "host", "per_host"]);
  });
});

describe("dedup, sort, head, fillnull", () => {
  it("dedup keeps the first row per value; rows without the field are dropped unless keepempty", () => {
    assert.deepEqual(
      over(people, "dedup host").rows.map((r) => r.name),
      ["b", "a"],
    );
    assert.deepEqual(
      over(people, "dedup host keepempty=true").rows.map((r) => r.name),
      ["b", "a", "a"],
    );
    assert.deepEqual(
      over(people, "dedup 2 host").rows.map((r) => r.name),
      ["b", "a", "c"],
    );
  });

  it("sort: numeric when both numeric else text; - descends; limits", () => {
    assert.deepEqual(
      over(people, "sort 0 n").rows.map((r) => r.n),
      ["2", "9", "10", "x"],
    );
    assert.deepEqual(
      over(people, "sort - n").rows.map((r) => r.n),
      ["x", "10", "9", "2"],
    );
    assert.deepEqual(
      over(people, "sort str(n)").rows.map((r) => r.n),
      ["10", "2", "9", "x"],
    );
    assert.deepEqual(
      over(people, "sort 2 name, -n").rows.map((r) => [r.name, r.n]),
      [
        ["a", "9"],
        ["a", "2"],
      ],
    );
  });

  it("head", () => {
    assert.equal(over(people, "head 3").rows.length, 3);
    assert.equal(over(people, "head").rows.length, 4);
  });

  it("fillnull fills every column (default 0) or the listed ones", () => {
    assert.deepEqual(over(people, "fillnull").rows[3], { name: "a", n: "2", host: "0" });
    const listed = over(people, "fillnull value=NA host extra");
    assert.deepEqual(listed.rows[3], { name: "a", n: "2", host: "NA", extra: "NA" });
    assert.deepEqual(listed.columns, ["name", "n", "host", "extra"]);
  });
});

describe("regex and rex", () => {
  const cmds: Record<string, string>[] = [
    { id: "1", p: 'cmd.exe /c "whoami"' },
    { id: "2", p: "powershell -enc AAAA" },
    { id: "3" },
  ];

  it('regex field="re" keeps matches; != keeps the rest, including rows without the field', () => {
    assert.deepEqual(
      over(cmds, 'regex p="-enc\\s+\\w+"').rows.map((r) => r.id),
      ["2"],
    );
    assert.deepEqual(
      over(cmds, 'regex p!="(?i)POWERSHELL"').rows.map((r) => r.id),
      ["1", "3"],
    );
  });

  it("rex extracts named groups; max_match gives a multivalue", () => {
    const out = over(
      [{ p: "a=1 b=2 c=3" }],
      'rex field=p "(?<k>\\w)=(?<v>\\d)" | rex field=p max_match=0 "(?P<all>\\d)"',
    );
    assert.deepEqual(out.rows[0], { p: "a=1 b=2 c=3", k: "a", v: "1", all: ["1", "2", "3"] });
    assert.deepEqual(out.columns, ["p", "k", "v", "all"]);
  });

  it("regex and rex on _raw are unsupported", () => {
    assert.equal(
      compileErrors('| inputlookup t | regex "x"', { tables: { t: table([]) } })[0].code,
      "spl-unsupported",
    );
  });
});

describe("bin, mvexpand, makemv", () => {
  it("bin floors _time to the span", () => {
    const out = over([{ _time: "1709640059" }, { _time: "1709643600" }], "bin _time span=1h");
    assert.deepEqual(
      out.rows.map((r) => r._time),
      [1709640000, 1709643600],
    );
  });

  it("bucket is bin under another name: the same rows as bin on the same input", () => {
    // 1709640000 = 2024-03-05T12:00:00Z (an hour boundary: 474900 * 3600); 1709596800 = that day's midnight.
    const data: Record<string, string>[] = [
      { _time: "1709640059", n: "25" }, // 12:00:59
      { _time: "1709643599", n: "-5" }, // 12:59:59
      { _time: "1709643600", n: "x" }, // 13:00:00
      { _time: "1709640359" }, // 12:05:59
    ];
    // [arguments, the field they write, its value in each row after the command]
    const cases: [string, string, unknown[]][] = [
      ["_time span=1h", "_time", [1709640000, 1709640000, 1709643600, 1709640000]],
      ["_time span=5m", "_time", [1709640000, 1709643300, 1709643600, 1709640300]],
      ["_time span=1d", "_time", [1709596800, 1709596800, 1709596800, 1709596800]],
      // A numeric span on a number, into a new field; floor, so -5 goes down to -10; "x" and a missing n get none.
      ["n span=10 AS b", "b", [20, -10, undefined, undefined]],
    ];
    for (const [args, field, expected] of cases) {
      const bin = over(data, `bin ${args}`);
      const bucket = over(data, `bucket ${args}`);
      assert.deepEqual(bucket.rows, bin.rows, args);
      assert.deepEqual(bucket.columns, bin.columns, args);
      assert.deepEqual(
        bucket.rows.map((r) => r[field]),
        expected,
        args,
      );
    }
    const intoB = over(data, "bucket n span=10 AS b");
    assert.deepEqual(intoB.columns, ["_time", "n", "b"]);
    assert.deepEqual(
      intoB.rows.map((r) => [r._time, r.n]),
      data.map((r) => [r._time, r.n]),
      "AS b leaves _time and n as they were",
    );
    // The same limits: no automatic bins, no bins= option. The messages quote the text as written
    // (`near '…'`), so only what comes before that is compared with bin's.
    const tables = { t: table(data) };
    const cut = (ds: { code: string; message: string }[]) =>
      ds.map((d) => [d.code, d.message.replace(/ near '.*'$/s, "")]);
    const limits: [string, string][] = [
      ["_time", "bin without span= (automatic bins) at expanded search line 1, column 19"],
      // `| inputlookup t | bucket ` is 25 characters: the option starts at column 26.
      ["bins=10 _time", "bin option 'bins' at expanded search line 1, column 26"],
    ];
    for (const [rest, message] of limits) {
      const bucket = compileErrors(`| inputlookup t | bucket ${rest}`, { tables });
      assert.deepEqual(cut(bucket), [["spl-unsupported", message]], rest);
      const bin = compileErrors(`| inputlookup t | bucket ${rest}`.replace("bucket", "bin"), { tables });
      assert.deepEqual(
        cut(bin),
        [["spl-unsupported", message.replace(/column 26$/, "column 23")]],
        `bin ${rest}`,
      );
    }
  });

  it("mvexpand gives one row per value; makemv splits text", () => {
    const out = over([{ id: "1", v: "a b  c" }], "makemv v | mvexpand v");
    assert.deepEqual(out.rows, [
      { id: "1", v: "a" },
      { id: "1", v: "b" },
      { id: "1", v: "c" },
    ]);
    const tok = over([{ v: "x-1,y 2" }], 'makemv tokenizer="([a-z])" v');
    assert.deepEqual(tok.rows[0].v, ["x", "y"]);
  });
});

describe("addtotals", () => {
  it("adds the row sum of the listed numeric fields (wildcards), non-numeric skipped", () => {
    const out = over(
      [
        { a: "1", b: "2.5", c: "x", d: "10" },
        { a: "y", c: "z" },
      ],
      "addtotals fieldname=Score a, b c",
    );
    assert.deepEqual(
      out.rows.map((r) => r.Score),
      [3.5, 0],
    );
    assert.deepEqual(out.columns, ["a", "b", "c", "d", "Score"]);
    assert.deepEqual(over([{ x1: "1", x2: "2", y: "4" }], "addtotals x*").rows[0], {
      x1: "1",
      x2: "2",
      y: "4",
      Total: 3,
    });
  });
});

describe("transaction", () => {
  it("groups by the field, splits on maxpause (newest first), merges values, counts events", () => {
    const out = over(
      [
        { dest: "h1", _time: "0", p: "b" },
        { dest: "h1", _time: "100", p: "a" },
        { dest: "h1", _time: "500", p: "c" },
        { dest: "h1", _time: "600", p: "c" },
        { dest: "h2", _time: "50", p: "z" },
        { _time: "70", p: "no dest" },
      ],
      "eval _time=tonumber(_time) | transaction dest maxpause=5m",
    );
    assert.deepEqual(out.rows, [
      { dest: "h1", p: "c", _time: 500, duration: 100, eventcount: 2 },
      { dest: "h2", p: "z", _time: 50, duration: 0, eventcount: 1 },
      { dest: "h1", p: ["a", "b"], _time: 0, duration: 100, eventcount: 2 },
    ]);
    assert.deepEqual(out.columns, ["dest", "_time", "p", "duration", "eventcount"]);
  });

  it("several fields or startswith are unsupported", () => {
    const tables = { t: table([]) };
    assert.equal(compileErrors("| inputlookup t | transaction a b", { tables })[0].code, "spl-unsupported");
    assert.equal(
      compileErrors('| inputlookup t | transaction a startswith="x"', { tables })[0].code,
      "spl-unsupported",
    );
  });
});

describe("lookup", () => {
  const tables = {
    exact: table([
      { name: "a", color: "red" },
      { name: "b", color: "blue" },
      { name: "a", color: "green" },
    ]),
    wild: table(
      [
        { pattern: "*.EXE", kind: "binary" },
        { pattern: "*.ps1", kind: "script" },
      ],
      {
        wildcardFields: ["pattern"],
        caseSensitive: false,
        maxMatches: 1,
        minMatches: 1,
        defaultMatch: "false",
      },
    ),
  };

  it("exact, case-sensitive match; several matches give a multivalue; no match clears OUTPUT fields", () => {
    const out = over(
      [
        { name: "a", c: "old" },
        { name: "A", c: "old" },
      ],
      "lookup exact name OUTPUT color AS c",
      { tables },
    );
    assert.deepEqual(out.rows, [{ name: "a", c: ["red", "green"] }, { name: "A" }]);
    assert.deepEqual(out.columns, ["name", "c"]);
    const kept = over([{ name: "A", color: "old" }], "lookup exact name OUTPUTNEW color", { tables });
    assert.deepEqual(kept.rows, [{ name: "A", color: "old" }]);
  });

  it("wildcard and case-insensitive match types, max_matches and default_match", () => {
    const out = over([{ f: "x.exe" }, { f: "y.txt" }], "lookup wild pattern AS f OUTPUTNEW kind", { tables });
    assert.deepEqual(
      out.rows.map((r) => r.kind),
      ["binary", "false"],
    );
  });

  it("an unknown lookup is an error", () => {
    assert.match(
      compileErrors("| inputlookup t | lookup nope x", { tables: { t: table([]) } })[0].message,
      /lookup 'nope'/,
    );
  });
});

describe("subsearches and join over the same data", () => {
  const recs: Row[] = [
    { _time: 1, dest: "h1", process_id: "10", parent_process_id: "1", process_name: "cmd.exe" },
    { _time: 2, dest: "h1", process_id: "11", parent_process_id: "10", process_name: "reg.exe" },
    { _time: 3, dest: "h2", process_id: "20", parent_process_id: "1", process_name: "cmd.exe" },
  ];
  const head =
    "| tstats count from datamodel=Endpoint.Processes where Processes.process_name=cmd.exe by Processes.dest Processes.process_id | `drop_dm_object_name(Processes)`";

  it("search [subsearch] keeps rows matching any subsearch row", () => {
    const out = run(
      `${head} | search [| tstats count from datamodel=Endpoint.Processes where Processes.process_name=reg.exe by Processes.parent_process_id Processes.dest | \`drop_dm_object_name(Processes)\` | rename parent_process_id as process_id | table process_id dest]`,
      recs,
    );
    assert.deepEqual(out.rows, [{ dest: "h1", process_id: "10", count: 1 }]);
  });

  it("an empty subsearch matches everything (NOT ())", () => {
    const out = run(
      `${head} | search [| tstats count from datamodel=Endpoint.Processes where Processes.process_name=nothing by Processes.dest | table dest]`,
      recs,
    );
    assert.equal(out.rows.length, 2);
  });

  it("join adds the subsearch fields to matching rows; type=left keeps the others", () => {
    const sub =
      "[| tstats values(Processes.process_name) as child from datamodel=Endpoint.Processes where Processes.process_name=reg.exe by Processes.parent_process_id | rename Processes.parent_process_id as process_id]";
    const inner = run(`${head} | join process_id ${sub}`, recs);
    assert.deepEqual(inner.rows, [{ dest: "h1", process_id: "10", count: 1, child: "reg.exe" }]);
    assert.deepEqual(inner.columns, ["dest", "process_id", "count", "child"]);
    const left = run(`${head} | join type=left process_id ${sub}`, recs);
    assert.deepEqual(
      left.rows.map((r) => r.child),
      ["reg.exe", undefined],
    );
  });

  it("append adds the subsearch's rows and new columns", () => {
    const out = run(
      `${head} | append [| tstats count as n from datamodel=Endpoint.Processes by Processes.dest]`,
      recs,
    );
    assert.deepEqual(out.rows, [
      { dest: "h1", process_id: "10", count: 1 },
      { dest: "h2", process_id: "20", count: 1 },
      { "Processes.dest": "h1", n: 2 },
      { "Processes.dest": "h2", n: 1 },
    ]);
    assert.deepEqual(out.columns, ["dest", "process_id", "count", "Processes.dest", "n"]);
  });

  it("makeresults gives count rows at the search time", () => {
    const out = run("| makeresults count=2 | eval x=1");
    assert.equal(out.rows.length, 2);
    assert.equal(typeof out.rows[0]._time, "number");
    assert.deepEqual(out.columns, ["_time", "x"]);
  });

  it("a time modifier in a tstats where clause is unsupported, not a field compared (Splunk takes it as the time range)", () => {
    for (const [where, field] of [
      ["earliest=0 Processes.process_name=x", "earliest"],
      ["Processes.process_name=x (Latest=-1d OR Processes.dest=h1)", "Latest"],
      ["NOT _index_earliest IN (1, 2)", "_index_earliest"],
    ]) {
      const d = compileErrors(
        `| tstats count from datamodel=Endpoint.Processes where ${where} by Processes.dest`,
      );
      assert.equal(d[0].code, "spl-unsupported");
      assert.match(d[0].message, new RegExp(`^time modifier '${field}=' in a tstats where clause`));
    }
    // A field whose name only contains the word is a field.
    const out = run(
      "| tstats count from datamodel=Endpoint.Processes where Processes.earliest_seen=* by Processes.dest",
      recs,
    );
    assert.deepEqual(out.rows, []);
  });

  it("a tstats where clause can use an inputlookup subsearch", () => {
    const out = run(
      "| tstats count from datamodel=Endpoint.Processes where [| inputlookup names | rename n as Processes.process_name] by Processes.dest",
      recs,
      { tables: { names: table([{ n: "REG.exe" }]) } },
    );
    assert.deepEqual(out.rows, [{ "Processes.dest": "h1", count: 1 }]);
  });
});

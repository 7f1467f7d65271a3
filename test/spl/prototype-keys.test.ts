/**
 * Field names that are also members of Object.prototype (`toString`, `constructor`, `valueOf`, `__proto__`, …)
 * are field names like any other: a row without the field has no value there (not the inherited member), and a
 * `__proto__` field is set as a field of the row (not as its prototype). Each search is checked against the
 * result the same search gives for an ordinary missing field.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { whereExplainer } from "../../src/spl/explain-where.js";
import { createMacroTable, type Row } from "../../src/spl/index.js";
import { compileErrors, over, rows, table } from "./harness.js";

/** A row with exactly these own fields (`__proto__` included, which an object literal would make the prototype). */
function own(entries: [string, Row[string]][]): Row {
  return Object.fromEntries(entries);
}

const two = [{ a: "1" }, { a: "2" }];

describe("a field named like an Object.prototype member, missing from the row, has no value", () => {
  it("eval and where", () => {
    const out = over(
      two,
      'eval x=if(isnull(toString),"null","set"), y=typeof(constructor), z=valueOf | table a x y z',
    );
    assert.deepEqual(out.rows, [
      { a: "1", x: "null", y: "Invalid" },
      { a: "2", x: "null", y: "Invalid" },
    ]);
    assert.deepEqual(over(two, "where isnotnull(hasOwnProperty)").rows, []);
    assert.deepEqual(over(two, 'eval m=mvfilter(match(toString, "."))').rows, two);
  });

  it("search terms", () => {
    assert.deepEqual(over(two, "search toString=*").rows, []);
    assert.deepEqual(over(two, "search toString!=x").rows, []);
    assert.deepEqual(over(two, "search NOT constructor=x").rows, two);
    assert.deepEqual(over(two, "search valueOf IN (a, b)").rows, []);
    assert.deepEqual(over(two, "search isPrototypeOf<5").rows, []);
  });

  it("a subsearch's rows without the field add no term for it", () => {
    const s = table([{ a: "1" }, { a: "2", toString: "z" }]);
    assert.deepEqual(over(two, "search [| inputlookup s]", { tables: { s } }).rows, [{ a: "1" }]);
  });

  it("table, stats, eventstats, fillnull", () => {
    const t = over(two, "table a toString");
    assert.deepEqual(t.rows, two);
    assert.deepEqual(t.columns, ["a", "toString"]);
    assert.deepEqual(over(two, "stats count values(toString) as v by a").rows, [
      { a: "1", count: 1 },
      { a: "2", count: 1 },
    ]);
    assert.deepEqual(over(two, "stats count by constructor").rows, []);
    assert.deepEqual(over(two, "eventstats count by toString").rows, two);
    assert.deepEqual(over(two, "fillnull value=0 toString | table a toString").rows, [
      { a: "1", toString: "0" },
      { a: "2", toString: "0" },
    ]);
  });

  it("dedup, join, convert, makemv, rex, regex, mvexpand, sort, transaction", () => {
    assert.deepEqual(over(two, "dedup toString").rows, []);
    assert.deepEqual(over(two, "join toString [| inputlookup t]").rows, []);
    assert.deepEqual(over(two, "convert ctime(toString)").rows, two);
    assert.deepEqual(over(two, "makemv toString").rows, two);
    assert.deepEqual(over(two, 'rex field=toString "(?<x>.)"').rows, two);
    assert.deepEqual(over(two, 'regex toString="."').rows, []);
    assert.deepEqual(over(two, "mvexpand toString").rows, two);
    const sorted: Record<string, string>[] = [{ a: "2" }, { a: "1", toString: "x" }];
    assert.deepEqual(over(sorted, "sort toString").rows, sorted);
    assert.deepEqual(
      over(
        [
          { b: "x", a: "2" },
          { b: "x", toString: "y" },
        ],
        "eval _time=1 | transaction b",
      ).rows,
      [{ b: "x", a: "2", toString: "y", _time: 1, duration: 0, eventcount: 2 }],
    );
  });

  it("lookup: a table row without the output column gives no value", () => {
    const data: Record<string, string>[] = [{ k: "1" }, { k: "2", constructor: "c" }];
    const t2 = table(data);
    const expected: Row[] = [{ a: "1" }, { a: "2", constructor: "c" }];
    assert.deepEqual(over(two, "lookup t2 k AS a OUTPUT constructor", { tables: { t2 } }).rows, expected);
  });

  it("tstats by-fields, aggregates and where clause", () => {
    const records = [{ process_name: "a" }];
    assert.deepEqual(
      rows("| tstats count from datamodel=Endpoint.Processes by Processes.toString", records),
      [],
    );
    assert.deepEqual(
      rows(
        "| tstats count values(Processes.constructor) as c from datamodel=Endpoint.Processes by Processes.process_name",
        records,
      ),
      [{ "Processes.process_name": "a", count: 1, c: null }],
    );
    assert.deepEqual(
      rows(
        "| tstats count from datamodel=Endpoint.Processes where Processes.toString=* by Processes.process_name",
        records,
      ),
      [],
    );
    assert.deepEqual(
      rows("| tstats fillnull_value=x count from datamodel=Endpoint.Processes by Processes.valueOf", records),
      [{ "Processes.valueOf": "x", count: 1 }],
    );
  });

  it("the where explainer shows no values for the field", () => {
    const x = whereExplainer(
      "| tstats count from datamodel=Endpoint.Processes where Processes.toString!=x by Processes.dest",
      createMacroTable([]),
    );
    assert.ok(x);
    assert.deepEqual(
      x.explain({ dest: "h" }).map((o) => [o.matched, o.values]),
      [[false, []]],
    );
  });
});

describe("a field named __proto__ is a field of the row", () => {
  const one = [{ a: "1" }];

  it("eval sets it (text or multivalue), and the row keeps its prototype", () => {
    const out = over(one, 'eval __proto__="v" | table a __proto__');
    assert.deepEqual(out.rows, [
      own([
        ["a", "1"],
        ["__proto__", "v"],
      ]),
    ]);
    const mv = over(one, 'eval __proto__=split("p,q", ",") | eval n=mvcount(length)').rows;
    assert.deepEqual(mv, [
      own([
        ["a", "1"],
        ["__proto__", ["p", "q"]],
      ]),
    ]);
    assert.equal(Object.getPrototypeOf(mv[0]), Object.prototype);
  });

  it("rename, stats, tstats, rex, bin, convert, addtotals, fillnull, eventstats set it", () => {
    assert.deepEqual(over(one, "rename a as __proto__").rows, [own([["__proto__", "1"]])]);
    assert.deepEqual(over(one, "stats count as __proto__").rows, [own([["__proto__", 1]])]);
    assert.deepEqual(rows("| tstats count as __proto__ from datamodel=Endpoint.Processes", [{ dest: "h" }]), [
      own([["__proto__", 1]]),
    ]);
    assert.deepEqual(over(one, 'rex field=a "(?<__proto__>.)"').rows, [
      own([
        ["a", "1"],
        ["__proto__", "1"],
      ]),
    ]);
    assert.deepEqual(over(one, "bin a as __proto__ span=1").rows, [
      own([
        ["a", "1"],
        ["__proto__", 1],
      ]),
    ]);
    assert.deepEqual(over(one, "convert ctime(a) as __proto__").rows, [
      own([
        ["a", "1"],
        ["__proto__", "01/01/1970 00:00:01"],
      ]),
    ]);
    assert.deepEqual(over(one, "addtotals fieldname=__proto__").rows, [
      own([
        ["a", "1"],
        ["__proto__", 1],
      ]),
    ]);
    assert.deepEqual(over(one, "fillnull __proto__").rows, [
      own([
        ["a", "1"],
        ["__proto__", "0"],
      ]),
    ]);
    assert.deepEqual(over(one, "eventstats count as __proto__").rows, [
      own([
        ["a", "1"],
        ["__proto__", 1],
      ]),
    ]);
  });

  it("a lookup table's __proto__ column is read and grouped by", () => {
    const data = [JSON.parse('{"a": "1", "__proto__": "k"}') as Record<string, string>];
    assert.deepEqual(over(data, "table a __proto__").rows, [
      own([
        ["a", "1"],
        ["__proto__", "k"],
      ]),
    ]);
    assert.deepEqual(over(data, "stats count by __proto__").rows, [
      own([
        ["__proto__", "k"],
        ["count", 1],
      ]),
    ]);
  });
});

describe("names looked up in the engine's own tables", () => {
  it("a data model named like an Object.prototype member has no root dataset", () => {
    for (const name of ["toString", "constructor", "valueOf", "__proto__"]) {
      const d = compileErrors(`| tstats count from datamodel=${name}`);
      assert.deepEqual(
        d.map((x) => [x.code, x.message.replace(/ at expanded search.*/, "")]),
        [["spl-unsupported", `datamodel=${name}: name a dataset as Model.Dataset (e.g. Endpoint.Processes)`]],
      );
    }
  });

  it("a span whose unit is an Object.prototype member is not a span", () => {
    const d = compileErrors("| tstats count from datamodel=Endpoint.Processes by _time span=1constructor");
    assert.deepEqual(
      d.map((x) => [x.code, x.message.replace(/ at expanded search.*/, "")]),
      [["spl-unsupported", "span=1constructor (supported: s, m, h, d units)"]],
    );
    const b = compileErrors("| inputlookup t | bin _time span=2constructor", { tables: { t: table([]) } });
    assert.deepEqual(
      b.map((x) => [x.code, x.message.replace(/ at expanded search.*/, "")]),
      [["spl-unsupported", "bin span=2constructor"]],
    );
  });

  it("relative_time with a unit that is an Object.prototype member is null", () => {
    const out = over(
      [{ x: "1" }],
      'eval a=relative_time(34560000, "-1constructor"), b=relative_time(34560000, "@constructor"), c=relative_time(34560000, "-1d@d") | table a b c',
    );
    assert.deepEqual(out.rows, [{ c: 34473600 }]);
  });

  it("a POSIX class named like an Object.prototype member is not supported", () => {
    for (const name of ["toString", "constructor", "__proto__"]) {
      const d = compileErrors(`| inputlookup t | regex a="[[:${name}:]]"`, { tables: { t: table([]) } });
      assert.deepEqual(
        d.map((x) => [x.code, x.message.replace(/ at expanded search.*/, "")]),
        [["spl-unsupported", `POSIX class [:${name}:] is not supported`]],
      );
    }
    assert.deepEqual(over([{ a: "x1" }, { a: "yz" }], 'regex a="[[:digit:]]"').rows, [{ a: "x1" }]);
  });
});

/**
 * The eval language (issue 4): types, null propagation, multivalues, operators and every function,
 * with values worked out from Splunk's documented behaviour.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { FieldValue } from "../../src/spl/index.js";
import { compileErrors, over } from "./harness.js";

const base = { s: "AbC", n: "12", m: "x" };

/** Evaluates one expression over one row (fields s, n, m) and returns the assigned value. */
function ev(expr: string, row: Record<string, string> = base): FieldValue {
  const out = over([row], `eval out=${expr}`);
  return out.rows[0].out;
}

const cases: [string, FieldValue][] = [
  // conditionals and tests
  ['if(n=="12", "y", "n")', "y"],
  ['if(missing=="12", "y", "n")', "n"],
  ['case(n=="1", "one", n=="12", "twelve")', "twelve"],
  ['case(n=="1", "one")', undefined],
  ["coalesce(missing, n, s)", "12"],
  ['if(isnull(missing) AND isnotnull(s), "t", "f")', "t"],
  ['if(like(s, "A_C"), "t", "f")', "t"],
  ['if(like(s, "a%"), "t", "f")', "f"],
  ['if(match(s, "^A.C$"), "t", "f")', "t"],
  ['if(match(s, "B"), "t", "f")', "f"],
  ['if(in(s, "x", "AbC"), "t", "f")', "t"],
  ['if(s IN ("abc", "x"), "t", "f")', "f"],
  ['if(n IN ("1", "12"), "t", "f")', "t"],
  ['if(isnum(n) AND isstr(s) AND NOT isnum(s), "t", "f")', "t"],
  ["typeof(n)", "Number"],
  ["typeof(s)", "String"],
  ["typeof(missing)", "Invalid"],
  ['nullif(n, "12")', undefined],
  ['validate(isnum(n), "bad n", len(s) > 5, "long")', "long"],
  // strings
  ["lower(s)", "abc"],
  ["upper(s)", "ABC"],
  ['len("héllo")', 5],
  ['substr("string", 1, 3)', "str"],
  ['substr("string", 3)', "ring"],
  ['substr("string", -3)', "ing"],
  ['replace("a-b-c", "-", "+")', "a+b+c"],
  ['replace("abc", "(b)", "[\\1]")', "a[b]c"],
  ['trim("  x  ")', "x"],
  ['ltrim("xxay", "x")', "ay"],
  ['rtrim("ayxx", "x")', "ay"],
  ['urldecode("a%20b%2Fc")', "a b/c"],
  ["tostring(1/4)", "0.25"],
  ["tostring(3.0)", "3"],
  ['tostring(255, "hex")', "0xff"],
  ['tostring(1234567.891, "commas")', "1,234,567.89"],
  ['tostring(3725, "duration")', "01:02:05"],
  ['tonumber("0x1f", 16)', 31],
  ['tonumber("12")', 12],
  ['tonumber("abc")', undefined],
  ['md5("abc")', "900150983cd24fb0d6963f7d28e17f72"],
  // math
  ["round(2.5)", 3],
  ["round(-2.5)", -3],
  ["round(3.14159, 2)", 3.14],
  ["floor(2.7)", 2],
  ["ceiling(2.1)", 3],
  ["abs(-3)", 3],
  ["pow(2, 10)", 1024],
  ["log(100)", 2],
  ['max(1, 3, "2")', 3],
  ['max(1, "abc")', "abc"],
  ['min(1, "abc")', 1],
  // operators, implicit conversion, null propagation
  ["n + 1", 13],
  ['"1" + "2"', 3],
  ['"a" + "b"', "ab"],
  ["1 . 2", "12"],
  ['s . "-" . n', "AbC-12"],
  ["s . missing", undefined],
  ["n + missing", undefined],
  ["n / 0", undefined],
  ["n % 5", 2],
  ["-n", -12],
  ['if("10" > "9", "num", "text")', "num"],
  ['if("abc" < "abd", "t", "f")', "t"],
  ['if("A" == "a", "t", "f")', "f"],
  ['if(missing != "x", "t", "f")', "f"],
  ['if(1 == 1 XOR 2 == 2, "t", "f")', "f"],
  // multivalue
  ['split("a,b,c", ",")', ["a", "b", "c"]],
  ['mvcount(split("a,b,c", ","))', 3],
  ['mvindex(split("a,b,c", ","), 1)', "b"],
  ['mvindex(split("a,b,c", ","), -1)', "c"],
  ['mvindex(split("a,b,c", ","), 0, 1)', ["a", "b"]],
  ['mvjoin(split("a,b", ","), ";")', "a;b"],
  ['mvappend("a", split("b,c", ","), missing)', ["a", "b", "c"]],
  ['mvdedup(split("b,a,b", ","))', ["b", "a"]],
  ['mvsort(split("b,B,a", ","))', ["B", "a", "b"]],
  ['mvzip(split("a,b", ","), split("1,2", ","))', ["a,1", "b,2"]],
  ['mvfind(split("ab,cd", ","), "^c")', 1],
  ['if(split("a,b", ",") == "b", "any", "none")', "any"],
  // time (UTC)
  ['strftime(0, "%Y-%m-%dT%H:%M:%S")', "1970-01-01T00:00:00"],
  ['strftime(1709640059.999, "%F %T.%3N")', "2024-03-05 12:00:59.999"],
  [
    'strftime(1709640059.999, "%6N %Q %s %j %a %b %p %I %y %z %Z")',
    "999000 999 1709640059 065 Tue Mar PM 12 24 +0000 UTC",
  ],
  ['strptime("2024-03-05 12:00:00", "%Y-%m-%d %H:%M:%S")', 1709640000],
  ['strptime("05/Mar/2024:12:00:00 +0100", "%d/%b/%Y:%H:%M:%S %z")', 1709636400],
  ['relative_time(1709640059, "-1d@d")', 1709510400],
  ['relative_time(1709640059, "@h+30m")', 1709641800],
  ['if(cidrmatch("10.0.0.0/8", "10.1.2.3") AND NOT cidrmatch("10.0.0.0/8", "11.0.0.1"), "t", "f")', "t"],
];

describe("eval functions and operators (exact values)", () => {
  for (const [expr, want] of cases) {
    it(`${expr} → ${JSON.stringify(want)}`, () => {
      assert.deepEqual(ev(expr), want);
    });
  }

  it("mvfilter keeps the values of its one field that satisfy the expression", () => {
    const out = over([base], 'eval m=split("ab,ba,ac", ",") | eval f=mvfilter(match(m, "^a"))');
    assert.deepEqual(out.rows[0].f, ["ab", "ac"]);
  });

  it("assignments run left to right; null removes a field; new fields are appended as columns", () => {
    const out = over([base], 'eval a=n+1, b=a*2, s=null(), "c d"=1');
    assert.deepEqual(out.rows[0], { n: "12", m: "x", a: 13, b: 26, "c d": 1 });
    assert.deepEqual(out.columns, ["s", "n", "m", "a", "b", "c d"]);
  });

  it("now() is the same for every row of a run", () => {
    const out = over([base, base], "eval t=now()");
    assert.equal(out.rows[0].t, out.rows[1].t);
    assert.equal(typeof out.rows[0].t, "number");
  });

  it("an invalid regex built from data is a runtime warning and no match, not a crash", () => {
    const out = over(
      [
        { p: "cmd.exe", pat: "?" },
        { p: "cmd.exe", pat: "CMD" },
      ],
      'where match(p, "(?i)" . pat)',
    );
    assert.deepEqual(
      out.rows.map((r) => r.pat),
      ["CMD"],
    );
    assert.equal(out.diagnostics.length, 1);
    assert.equal(out.diagnostics[0].code, "spl-runtime");
    assert.equal(out.diagnostics[0].severity, "warning");
    assert.match(out.diagnostics[0].message, /pattern "\(\?i\)\?" built from data/);
  });

  it("assigning a boolean-form expression is an error, as in Splunk", () => {
    const tables = { t: { columns: ["s"], rows: [] } };
    for (const expr of ['s="a"', "isnull(s)", 'NOT match(s, "x")', "a=1 OR b=2"]) {
      const d = compileErrors(`| inputlookup t | eval x=${expr}`, { tables });
      assert.equal(d[0].code, "spl-syntax", expr);
      assert.match(d[0].message, /cannot be assigned a boolean result/);
    }
  });

  it("wrong arity and invalid regexes are compile errors", () => {
    const a = compileErrors("| inputlookup t | eval x=substr(s)", {
      tables: { t: { columns: ["s"], rows: [] } },
    });
    assert.equal(a[0].code, "spl-syntax");
    assert.match(a[0].message, /substr\(\) takes 2 to 3 arguments, got 1/);
    const r = compileErrors('| inputlookup t | where match(s, "(?>a)")', {
      tables: { t: { columns: ["s"], rows: [] } },
    });
    assert.equal(r[0].code, "spl-unsupported");
  });
});

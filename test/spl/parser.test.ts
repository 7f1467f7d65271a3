/**
 * The parser: precedence, syntax-error positions, unsupported constructs, and the round trip
 * print(parse(q)) → parse gives the same tree (STYLE convention 10).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { EvalExpr, SearchExpr } from "../../src/spl/ast.js";
import { parseEvalExpr } from "../../src/spl/parse-eval-expr.js";
import { parseSearchExpr } from "../../src/spl/parse-search-expr.js";
import { Parser } from "../../src/spl/parser.js";
import { printEvalExpr, printSearchExpr } from "../../src/spl/print.js";
import { compileErrors } from "./harness.js";

function search(text: string): SearchExpr {
  return parseSearchExpr(new Parser(text));
}
function evalExpr(text: string): EvalExpr {
  return parseEvalExpr(new Parser(text));
}

/** The tree without spans, for comparing parses of different texts. */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(shape);
  if (v && typeof v === "object") {
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k]) => k !== "span" && k !== "quoted" && k !== "text")
        .map(([k, x]) => [k, shape(x)]),
    );
  }
  return v;
}

describe("search expression grammar", () => {
  it("A AND B OR C parses as A AND (B OR C); NOT binds tightest", () => {
    assert.equal(printSearchExpr(search("a=1 AND b=2 OR c=3")), '(a="1" AND (b="2" OR c="3"))');
    assert.equal(printSearchExpr(search("NOT a=1 OR b=2 c=3")), '((NOT a="1" OR b="2") AND c="3")');
    assert.equal(printSearchExpr(search('f IN (x, "y z")')), 'f IN ("x", "y z")');
  });

  it("round-trips through the printer", () => {
    const cases = [
      'Processes.process_name=winrs.exe OR Processes.original_file_name="winrs.exe" (p="*-r:*" OR p="*-remote:*")',
      'NOT (a=1 b!=2) OR c>=3 d IN (x, "y\\\\z", "q\\"")',
      '"quoted field"="v" x<5 NOT NOT y=*',
    ];
    for (const q of cases) {
      const first = search(q);
      assert.deepEqual(shape(search(printSearchExpr(first))), shape(first), q);
    }
  });
});

describe("eval expression grammar", () => {
  it("NOT > AND > OR, comparison above concatenation and arithmetic", () => {
    assert.equal(
      printEvalExpr(evalExpr("a=1 OR b=1 AND NOT c=1")),
      "(('a' = 1) OR (('b' = 1) AND (NOT ('c' = 1))))",
    );
    assert.equal(printEvalExpr(evalExpr('x . "s" + 1 * 2 == y')), "((('x' . \"s\") + (1 * 2)) == 'y')");
  });

  it("round-trips through the printer", () => {
    const cases = [
      'if(isnull(x), "none", lower(x)) . "-" . tostring(round(n / 3, 2))',
      "case(a > 1 AND b < 2, 1, NOT c LIKE \"a%\", -2, true(), 3) XOR d != 'e f'",
    ];
    for (const q of cases) {
      const first = evalExpr(q);
      assert.deepEqual(shape(evalExpr(printEvalExpr(first))), shape(first), q);
    }
  });
});

describe("pipeline errors", () => {
  it("names the position of a syntax error (line and column in the expanded search)", () => {
    const d = compileErrors(
      "| tstats count from datamodel=Endpoint.Processes\n  where (Processes.a=1\n  by Processes.dest",
    );
    assert.equal(d[0].code, "spl-syntax");
    assert.equal(d[0].searchOffset, 74);
    assert.match(d[0].message, /^expected '\)', found 'by' at expanded search line 3, column 3/);
  });

  it("an unknown command is spl-unsupported at its name", () => {
    const d = compileErrors("| tstats count from datamodel=Endpoint.Processes | xmlkv dest");
    assert.equal(d[0].code, "spl-unsupported");
    assert.equal(d[0].searchOffset, 51);
    assert.match(d[0].message, /command .xmlkv./);
  });

  it("an unknown eval function or command option is an error, not a no-op", () => {
    const f = compileErrors("| tstats count from datamodel=Endpoint.Processes | eval x=frobnicate(count)");
    assert.equal(f[0].code, "spl-unsupported");
    assert.match(f[0].message, /eval function 'frobnicate'/);
    const o = compileErrors("| tstats count from datamodel=Endpoint.Processes | dedup count sortby -count");
    assert.equal(o[0].code, "spl-unsupported");
  });

  it("a raw-event search (no tstats) is unsupported, whatever its first token", () => {
    for (const q of [
      "index=main sourcetype=x | stats count",
      '("result.status" IN ("A*") NOT x=1) | stats count',
    ]) {
      const d = compileErrors(q);
      assert.equal(d[0].code, "spl-unsupported");
      assert.equal(d[0].searchOffset, 0);
      assert.match(d[0].message, /raw-event search/);
    }
  });

  it("an aggregate's AS name may carry attached parentheses", () => {
    const d = compileErrors(
      "| tstats count from datamodel=Endpoint.Processes | stats values(count) as flags(inheritance) by x | xmlkv",
    );
    assert.match(d[0].message, /command .xmlkv./);
  });
});

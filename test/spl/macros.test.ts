/**
 * Macro expansion (SEMANTICS §2): arguments, quoting, nesting, comments, arity, errors and the
 * positions they report.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compileSearch, createMacroTable, filterMacroName, type MacroDef } from "../../src/spl/index.js";
import { expandMacros, MAX_MACRO_DEPTH } from "../../src/spl/macros/expand.js";

function expand(text: string, defs: MacroDef[]) {
  return expandMacros(text, createMacroTable(defs));
}

describe("macro expansion", () => {
  it("substitutes $arg$; splits on commas outside quotes and drops one pair of quotes", () => {
    const r = expand('`m(x, "b,c")`', [{ name: "m", args: ["a", "b"], definition: "f=$a$ g=$b$ h=$c$" }]);
    assert.equal(r.text, "f=x g=b,c h=$c$");
    assert.deepEqual(r.errors, []);
  });

  it("keys macros by name and arity", () => {
    const defs = [
      { name: "m", args: [], definition: "zero" },
      { name: "m", args: ["a"], definition: "one $a$" },
    ];
    assert.equal(expand("`m` `m(1)` `m()`", defs).text, "zero one 1 zero");
    const r = expand("`m(1,2)`", defs);
    assert.equal(r.errors[0].code, "spl-unknown-macro");
    assert.match(r.errors[0].message, /`m\(2\)`/);
  });

  it("expands nested macros, including in arguments' results", () => {
    const defs = [
      { name: "outer", args: ["f"], definition: "`inner($f$)` AND `leaf`" },
      { name: "inner", args: ["g"], definition: "($g$=1)" },
      { name: "leaf", args: [], definition: "z=2" },
    ];
    const r = expand("search `outer(y)`", defs);
    assert.equal(r.text, "search (y=1) AND z=2");
    // origins: innermost ranges inside the outer one
    const inner = r.origins.find((o) => o.macro === "inner(1)");
    assert.deepEqual(inner && r.text.slice(inner.start, inner.end), "(y=1)");
  });

  it("removes ```comments``` and keeps a lone or malformed backtick as text", () => {
    assert.equal(expand("a ```note `x` ``` b", []).text, "a  b");
    assert.equal(expand('eval q=split(p, "`")', []).text, 'eval q=split(p, "`")');
  });

  it("reports an unterminated comment", () => {
    const r = expand("a ```note", []);
    assert.equal(r.errors[0].code, "spl-syntax");
    assert.equal(r.errors[0].at.start, 2);
  });

  it("detects recursion and limits depth", () => {
    const self = expand("`a`", [
      { name: "a", args: [], definition: "`b`" },
      { name: "b", args: [], definition: "`a`" },
    ]);
    assert.match(self.errors[0].message, /calls itself \(a → b → a\)/);
    const chain: MacroDef[] = [];
    for (let i = 0; i <= MAX_MACRO_DEPTH + 1; i++)
      chain.push({ name: `m${i}`, args: [], definition: `\`m${i + 1}\`` });
    chain.push({ name: `m${MAX_MACRO_DEPTH + 2}`, args: [], definition: "end" });
    assert.match(expand("`m0`", chain).errors[0].message, /nested deeper than 20/);
  });

  it("drop_dm_object_name is built in and works with and without quotes", () => {
    const tbl = createMacroTable([]);
    assert.equal(expandMacros("`drop_dm_object_name(Processes)`", tbl).text, 'rename "Processes.*" as *');
    assert.equal(expandMacros('`drop_dm_object_name("Processes")`', tbl).text, 'rename "Processes.*" as *');
  });

  it("generates the filter macro name from the detection name", () => {
    assert.equal(
      filterMacroName("Remote Process Instantiation via WinRM and Winrs"),
      "remote_process_instantiation_via_winrm_and_winrs_filter",
    );
    assert.equal(filterMacroName("A-b.c/D e"), "a_b_c_d_e_filter");
  });
});

describe("diagnostics name positions in the expanded search and the macro", () => {
  const macros = createMacroTable([{ name: "bad", args: [], definition: "where (x=1" }]);

  it("a syntax error from a macro names it", () => {
    const r = compileSearch("| tstats count from datamodel=Endpoint.Processes\n| `bad`", {
      macros,
      origin: { detection: "D", file: "d.yml" },
    });
    assert.equal(r.search, undefined);
    assert.equal(r.expanded, "| tstats count from datamodel=Endpoint.Processes\n| where (x=1");
    const [d] = r.diagnostics;
    assert.equal(d.code, "spl-syntax");
    assert.equal(d.searchOffset, 61);
    assert.equal(d.file, "d.yml");
    assert.equal(d.detection, "D");
    assert.match(d.message, /expected '\)'.*line 2, column 13 \(from macro `bad`\)/);
  });

  it("an unknown macro called from another macro names the caller", () => {
    const m = createMacroTable([{ name: "outer", args: [], definition: "search a=1 `missing`" }]);
    const r = compileSearch("| tstats count from datamodel=Endpoint.Processes | `outer`", { macros: m });
    assert.equal(r.diagnostics[0].code, "spl-unknown-macro");
    assert.match(r.diagnostics[0].message, /unknown macro `missing`.*\(from macro `outer`\)/);
  });

  it("an unknown macro is spl-unknown-macro at its position", () => {
    const r = compileSearch("| tstats count from datamodel=Endpoint.Processes | `nope(1)`", { macros });
    assert.equal(r.diagnostics[0].code, "spl-unknown-macro");
    assert.equal(r.diagnostics[0].searchOffset, 51);
    assert.match(r.diagnostics[0].message, /unknown macro `nope\(1\)`/);
  });
});

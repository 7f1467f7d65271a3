/**
 * Precompiled wildcard matchers (SEMANTICS §4): every pattern shape gives the same answers as the
 * rule "case-insensitive, * = any run including none and line breaks, whole value".
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compileWildcard } from "../../src/spl/exec/wildcard.js";

const cases: [string, string, boolean][] = [
  ["winrs.exe", "WINRS.EXE", true],
  ["winrs.exe", "winrs.exe ", false],
  ["winrs.exe", "winrsXexe", false],
  ["win*", "WinRS.exe", true],
  ["*.EXE", "cmd.exe", true],
  ["*.exe", "cmd.exe.bak", false],
  ["*-r:*", "winrs\n-r:x", true],
  ["*-r:*", "-r:", true],
  ["*-r:*", "/r:", false],
  ["c*d", "cd", true],
  ["c*d", "c", false],
  ["a*b*c", "a\r\nXbYc", true],
  ["a*b*c", "acb", false],
  ["*(x)[y]+?.^$|\\*", "zz(x)[y]+?.^$|\\w", true],
  ["*", "", true],
  ["**", "anything", true],
  ["", "", true],
  ["", "x", false],
  ["straße", "STRASSE", false],
  ["k", "\u212a", true],
];

describe("compileWildcard", () => {
  for (const [pattern, text, want] of cases) {
    it(`${JSON.stringify(pattern)} vs ${JSON.stringify(text)} → ${want}`, () => {
      assert.equal(compileWildcard(pattern)(text), want);
    });
  }

  it("case-sensitive mode (lookups with case_sensitive_match)", () => {
    assert.equal(compileWildcard("*.EXE", false)("a.exe"), false);
    assert.equal(compileWildcard("*.EXE", false)("a.EXE"), true);
  });

  it("agrees with a RegExp oracle on every pattern and text up to 4 characters over {a, B, *, newline}", () => {
    const alphabet = ["a", "B", "*", "\n"];
    const all = (n: number): string[] => {
      let out = [""];
      const acc = [""];
      for (let len = 1; len <= n; len++) {
        out = out.flatMap((p) => alphabet.map((c) => p + c));
        acc.push(...out);
      }
      return acc;
    };
    const patterns = all(4);
    const texts = all(4).filter((t) => !t.includes("*"));
    for (const pattern of patterns) {
      const oracle = new RegExp(
        `^${pattern
          .split("*")
          .map((s) => s.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&"))
          .join(".*")}$`,
        "is",
      );
      const m = compileWildcard(pattern);
      for (const text of texts)
        assert.equal(m(text), oracle.test(text), `${JSON.stringify(pattern)} ${JSON.stringify(text)}`);
    }
  });
});

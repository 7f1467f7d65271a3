/**
 * The lexer: modes, quoting and escapes (SEMANTICS §4), error positions, and a bounded token count
 * for any input (STYLE convention 10).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Lexer } from "../../src/spl/lexer.js";
import { SplError } from "../../src/spl/source.js";
import type { LexMode } from "../../src/spl/token.js";

function lex(text: string, mode: LexMode): [string, string][] {
  const l = new Lexer(text);
  const out: [string, string][] = [];
  let pos = 0;
  for (;;) {
    const t = l.read(pos, mode);
    if (t.kind === "eof") return out;
    out.push([t.kind, t.value]);
    pos = t.end;
  }
}

describe("lexer", () => {
  it("search mode: words stop at = != < > ( ) [ ] | , and quotes", () => {
    assert.deepEqual(lex('a.b=*x* c!=d (e) [f] | g, "h i"', "search"), [
      ["word", "a.b"],
      ["op", "="],
      ["word", "*x*"],
      ["word", "c"],
      ["op", "!="],
      ["word", "d"],
      ["lparen", "("],
      ["word", "e"],
      ["rparen", ")"],
      ["lbracket", "["],
      ["word", "f"],
      ["rbracket", "]"],
      ["pipe", "|"],
      ["word", "g"],
      ["comma", ","],
      ["string", "h i"],
    ]);
  });

  it("value mode keeps = < > ! and attached balanced parentheses in the word", () => {
    assert.deepEqual(lex("*--type=gpu* *GetCurrent()* x)", "value"), [
      ["word", "*--type=gpu*"],
      ["word", "*GetCurrent()*"],
      ["word", "x"],
      ["rparen", ")"],
    ]);
  });

  it('strings: \\\\ is one backslash, \\" a quote, other backslashes kept', () => {
    assert.deepEqual(lex('"C:\\\\Win\\\\*" "say \\"hi\\"" "a\\b\\*"', "search"), [
      ["string", "C:\\Win\\*"],
      ["string", 'say "hi"'],
      ["string", "a\\b\\*"],
    ]);
  });

  it('bare words: \\\\ is one backslash, \\" a quote that does not end the word; other backslashes kept', () => {
    assert.deepEqual(lex("C:\\\\x\\y", "search"), [["word", "C:\\x\\y"]]);
    assert.deepEqual(lex('*\\"privileged\\":true* |', "value"), [
      ["word", '*"privileged":true*'],
      ["pipe", "|"],
    ]);
  });

  it("expression mode: identifiers with dots, numbers, operators, 'quoted fields'", () => {
    assert.deepEqual(lex("Processes.dest . 'a b' + 1.5e2 - x>=2 == \"s\"", "expr"), [
      ["word", "Processes.dest"],
      ["op", "."],
      ["field", "a b"],
      ["op", "+"],
      ["number", "1.5e2"],
      ["op", "-"],
      ["word", "x"],
      ["op", ">="],
      ["number", "2"],
      ["op", "=="],
      ["string", "s"],
    ]);
  });

  it("an unterminated string is an error at the opening quote", () => {
    assert.throws(
      () => lex('a="b', "search"),
      (e: unknown) => e instanceof SplError && e.code === "spl-syntax" && e.at.start === 2,
    );
  });

  it("every short input over a small alphabet lexes to at most one token per character", () => {
    const alphabet = ['"', "\\", "=", "(", ")", "*", "a", " ", "|", "!"];
    const inputs: string[] = [""];
    for (let len = 1; len <= 4; len++) {
      const prev = inputs.filter((s) => s.length === len - 1);
      for (const p of prev) for (const c of alphabet) inputs.push(p + c);
    }
    for (const text of inputs) {
      for (const mode of ["search", "value", "expr"] as const) {
        try {
          assert.ok(lex(text, mode).length <= text.length, text);
        } catch (e) {
          if (!(e instanceof SplError)) throw e;
        }
      }
    }
  });
});

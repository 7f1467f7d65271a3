/**
 * SPL lexer: reads one token at a given offset in a given mode (see `LexMode`). It is driven by the
 * parser, which knows which mode applies; it never splits on `|` by pattern.
 *
 * In `value` mode a `(` inside a word (not at its start) opens a balanced group that belongs to the
 * word, so `process=*GetCurrent()*` is one value.
 *
 * Quoting (SEMANTICS §4): inside double quotes `\\` is one backslash and `\"` a quote; any other
 * backslash is kept as written. Bare words (search and value modes) follow the same escapes, plus
 * `\|`, and an escaped character never ends the word: ESCU writes `TargetImage=*\\lsass.exe` for
 * events that hold `C:\Windows\...\lsass.exe` (Splunk: "backslash escape sequences are still
 * expanded inside quotation marks", i.e. they are expanded outside them too).
 */
import { SplError, span } from "./source.js";
import type { LexMode, Token, TokenKind } from "./token.js";

const SEARCH_STOP = new Set([" ", "\t", "\n", "\r", "(", ")", "[", "]", "|", ",", '"', "=", "<", ">"]);
const VALUE_STOP = new Set([" ", "\t", "\n", "\r", "(", ")", "[", "]", "|", ",", '"']);

/** Bare words: `\\` is one backslash, `\"` a quote, `\|` a pipe; any other backslash is kept. */
function decodeBare(text: string): string {
  if (!text.includes("\\")) return text;
  return text.replace(/\\([\\"|])/g, "$1");
}

function isSpace(c: string): boolean {
  return c === " " || c === "\t" || c === "\n" || c === "\r";
}
function isDigit(c: string): boolean {
  return c >= "0" && c <= "9";
}
function isIdentStart(c: string): boolean {
  return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_";
}
function isIdentChar(c: string): boolean {
  return isIdentStart(c) || isDigit(c);
}

export class Lexer {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }

  /** Offset of the first non-space character at or after `pos`. */
  skipSpace(pos: number): number {
    while (pos < this.text.length && isSpace(this.text[pos])) pos++;
    return pos;
  }

  read(pos: number, mode: LexMode): Token {
    const t = this.text;
    const start = this.skipSpace(pos);
    if (start >= t.length) return this.tok("eof", start, start, "");
    const c = t[start];
    switch (c) {
      case "|":
        return this.tok("pipe", start, start + 1);
      case "(":
        return this.tok("lparen", start, start + 1);
      case ")":
        return this.tok("rparen", start, start + 1);
      case "[":
        return this.tok("lbracket", start, start + 1);
      case "]":
        return this.tok("rbracket", start, start + 1);
      case ",":
        return this.tok("comma", start, start + 1);
      case '"':
        return this.readString(start);
    }
    if (mode === "expr") return this.readExpr(start);
    if (mode === "search") {
      const op = this.readCompareOp(start);
      if (op) return op;
    }
    const stop = mode === "value" ? VALUE_STOP : SEARCH_STOP;
    let end = start;
    let depth = 0;
    while (end < t.length) {
      const ch = t[end];
      if (mode === "value" && ch === "(" && end > start) {
        depth++;
        end++;
        continue;
      }
      if (mode === "value" && ch === ")" && depth > 0) {
        depth--;
        end++;
        continue;
      }
      if (ch === "\\" && end + 1 < t.length) {
        end += 2;
        continue;
      }
      if (stop.has(ch)) break;
      if (mode === "search" && ch === "!" && t[end + 1] === "=") break;
      end++;
    }
    if (end === start) {
      // a lone `!` or similar: make it a one-character word so the parser can report it
      end = start + 1;
    }
    return this.tok("word", start, end, decodeBare(t.slice(start, end)));
  }

  private readCompareOp(start: number): Token | undefined {
    const t = this.text;
    const two = t.slice(start, start + 2);
    if (two === "!=" || two === "<=" || two === ">=" || two === "==") return this.tok("op", start, start + 2);
    const c = t[start];
    if (c === "=" || c === "<" || c === ">") return this.tok("op", start, start + 1);
    return undefined;
  }

  private readExpr(start: number): Token {
    const t = this.text;
    const c = t[start];
    if (c === "'") {
      const close = t.indexOf("'", start + 1);
      if (close < 0)
        throw new SplError("spl-syntax", "unterminated single-quoted field name", span(start, t.length));
      return this.tok("field", start, close + 1, t.slice(start + 1, close));
    }
    const op = this.readCompareOp(start);
    if (op) return op;
    if (c === "+" || c === "-" || c === "*" || c === "/" || c === "%" || c === "!") {
      return this.tok("op", start, start + 1);
    }
    if (isDigit(c) || (c === "." && isDigit(t[start + 1] ?? ""))) {
      const m = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(t.slice(start, start + 64));
      const end = start + (m ? m[0].length : 1);
      if (end < t.length && isIdentChar(t[end])) return this.readIdent(start);
      return this.tok("number", start, end);
    }
    if (c === ".") return this.tok("op", start, start + 1);
    if (isIdentStart(c)) return this.readIdent(start);
    throw new SplError("spl-syntax", `unexpected character '${c}' in expression`, span(start, start + 1));
  }

  /** Identifier: letters, digits, `_`, and `.` between identifier characters (`Processes.dest`). */
  private readIdent(start: number): Token {
    const t = this.text;
    let end = start;
    while (end < t.length) {
      if (isIdentChar(t[end])) end++;
      else if (t[end] === "." && end > start && isIdentChar(t[end + 1] ?? "")) end++;
      else break;
    }
    return this.tok("word", start, end);
  }

  private readString(start: number): Token {
    const t = this.text;
    let value = "";
    let i = start + 1;
    while (i < t.length) {
      const c = t[i];
      if (c === "\\" && i + 1 < t.length) {
        const n = t[i + 1];
        if (n === "\\" || n === '"') {
          value += n;
          i += 2;
          continue;
        }
        value += c;
        i++;
        continue;
      }
      if (c === '"') return this.tok("string", start, i + 1, value);
      value += c;
      i++;
    }
    throw new SplError("spl-syntax", "unterminated quoted string", span(start, t.length));
  }

  private tok(kind: TokenKind, start: number, end: number, value?: string): Token {
    const text = this.text.slice(start, end);
    return { kind, text, value: value ?? text, start, end };
  }
}

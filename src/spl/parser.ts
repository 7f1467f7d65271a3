/**
 * Recursive-descent parser primitives (STYLE convention 9): `peek`/`next`/`expect` over the lexer in
 * a given mode, keyword checks, option parsing and a token limit against hostile input. The grammar of
 * each command lives in `commands/<name>.ts`; the shared expression grammars in `parse-search-expr.ts`
 * and `parse-eval-expr.ts`; the pipeline in `parse.ts`.
 */
import type { FieldNode, OptionNode, Pipeline } from "./ast.js";
import { Lexer } from "./lexer.js";
import { type Span, SplError, span } from "./source.js";
import type { LexMode, Token, TokenKind } from "./token.js";

export const MAX_TOKENS = 100_000;

export class Parser {
  readonly lexer: Lexer;
  /** Offset where the next token starts (before skipping spaces). */
  pos = 0;
  private count = 0;
  private cache: { pos: number; mode: LexMode; tok: Token } | undefined;
  /** Parses `[ pipeline ]` here; installed by `parse.ts` (commands such as join call it). */
  parseSubsearch: (p: Parser) => Pipeline = () => {
    throw new Error("internal error: no subsearch parser installed");
  };

  readonly text: string;

  constructor(text: string) {
    this.text = text;
    this.lexer = new Lexer(text);
  }

  peek(mode: LexMode = "search"): Token {
    const c = this.cache;
    if (c && c.pos === this.pos && c.mode === mode) return c.tok;
    const tok = this.lexer.read(this.pos, mode);
    this.cache = { pos: this.pos, mode, tok };
    return tok;
  }

  /** The token after the next one (both read in `mode`). */
  peek2(mode: LexMode = "search", secondMode: LexMode = mode): Token {
    const first = this.peek(mode);
    return this.lexer.read(first.end, secondMode);
  }

  next(mode: LexMode = "search"): Token {
    const tok = this.peek(mode);
    this.pos = tok.end;
    if (++this.count > MAX_TOKENS)
      throw new SplError("spl-syntax", `search longer than ${MAX_TOKENS} tokens`, tok);
    return tok;
  }

  expect(kind: TokenKind, mode: LexMode, what: string): Token {
    const tok = this.peek(mode);
    if (tok.kind !== kind) this.unexpected(tok, what);
    return this.next(mode);
  }

  /** True if the next token is the bare word `word` (case-insensitive unless `exactCase`). */
  isWord(word: string, mode: LexMode = "search", exactCase = false): boolean {
    const tok = this.peek(mode);
    if (tok.kind !== "word") return false;
    return exactCase ? tok.text === word : tok.text.toLowerCase() === word.toLowerCase();
  }

  eatWord(word: string, mode: LexMode = "search", exactCase = false): Token | undefined {
    return this.isWord(word, mode, exactCase) ? this.next(mode) : undefined;
  }

  eat(kind: TokenKind, mode: LexMode = "search"): Token | undefined {
    return this.peek(mode).kind === kind ? this.next(mode) : undefined;
  }

  /** At `|`, `]` or the end: the current command has no more arguments. */
  atCommandEnd(): boolean {
    const k = this.peek("search").kind;
    return k === "eof" || k === "pipe" || k === "rbracket";
  }

  /** `name=value` next (the value read as a word or string)? */
  atOption(): boolean {
    const tok = this.peek("search");
    if (tok.kind !== "word") return false;
    const after = this.lexer.read(tok.end, "search");
    return after.kind === "op" && after.text === "=" && after.start === tok.end;
  }

  /** Reads `name=value`; the value may be quoted. */
  parseOption(): OptionNode {
    const name = this.expect("word", "search", "an option name");
    this.expect("op", "search", "'='");
    const v = this.peek("value");
    if (v.kind !== "word" && v.kind !== "string") this.unexpected(v, `a value for ${name.text}`);
    this.next("value");
    return { name: name.text, value: v.value, span: span(name.start, v.end) };
  }

  /** A field name (bare word or quoted string), as in field lists. */
  parseFieldName(what = "a field name"): FieldNode {
    const tok = this.peek("search");
    if (tok.kind !== "word" && tok.kind !== "string") this.unexpected(tok, what);
    this.next("search");
    return { name: tok.value, span: span(tok.start, tok.end) };
  }

  /** Comma- or space-separated field names until the command ends or a keyword in `stop`. */
  parseFieldList(stop: readonly string[] = []): FieldNode[] {
    const out: FieldNode[] = [];
    for (;;) {
      if (this.atCommandEnd()) break;
      if (this.eat("comma")) continue;
      const tok = this.peek("search");
      if (tok.kind === "word" && stop.includes(tok.text.toLowerCase())) break;
      if (tok.kind !== "word" && tok.kind !== "string") break;
      out.push(this.parseFieldName());
    }
    return out;
  }

  describe(tok: Token): string {
    return tok.kind === "eof" ? "end of search" : `'${tok.text}'`;
  }

  unexpected(tok: Token, expected: string): never {
    throw new SplError("spl-syntax", `expected ${expected}, found ${this.describe(tok)}`, tok);
  }

  error(message: string, at: Span): never {
    throw new SplError("spl-syntax", message, at);
  }

  unsupported(message: string, at: Span): never {
    throw new SplError("spl-unsupported", message, at);
  }
}

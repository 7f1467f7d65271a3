/**
 * Tokens of the SPL lexer. `text` is the raw source slice, `value` the decoded value
 * (quotes removed and escapes applied for strings).
 */

export type TokenKind =
  | "eof"
  | "pipe"
  | "lparen"
  | "rparen"
  | "lbracket"
  | "rbracket"
  | "comma"
  /** `= == != < <= > >=` and, in expression mode, `+ - * / % .` */
  | "op"
  /** A double-quoted string. */
  | "string"
  /** A bare run of characters (search mode) or an identifier (expression mode). */
  | "word"
  /** A number literal (expression mode only). */
  | "number"
  /** A single-quoted field name (expression mode only). */
  | "field";

/**
 * SPL is context-sensitive, so the parser says how to read the next token:
 * - `search`: command arguments and search terms; words stop at spaces, `( ) [ ] | , " = < >` and `!=`.
 * - `value`: the value after `=` in a search term; like `search` but `= < > !` belong to the word.
 * - `expr`: eval/where expressions: identifiers, numbers, operators, `'quoted field'`.
 */
export type LexMode = "search" | "value" | "expr";

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

/**
 * Positions in SPL text. Tokens and AST nodes carry `[start, end)` offsets into the EXPANDED search;
 * line and column are computed only when a diagnostic is made (STYLE convention 2).
 */

export interface Span {
  readonly start: number;
  readonly end: number;
}

export function span(start: number, end: number): Span {
  return { start, end };
}

/** 1-based line and column of `offset` in `text` (lines split on `\n`). */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const stop = Math.min(offset, text.length);
  for (let i = 0; i < stop; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: stop - lineStart + 1 };
}

/** A located problem found while compiling; turned into a `Diagnostic` by `compileSearch`. */
export type SplErrorCode = "spl-syntax" | "spl-unsupported" | "spl-unknown-macro" | "spl-runtime";

export class SplError extends Error {
  readonly code: SplErrorCode;
  readonly at: Span;
  /** The macro whose definition holds the problem, when the expander knows it. */
  readonly macro?: string;
  constructor(code: SplErrorCode, message: string, at: Span, macro?: string) {
    super(message);
    this.name = "SplError";
    this.code = code;
    this.at = { start: at.start, end: at.end };
    if (macro !== undefined) this.macro = macro;
  }
}

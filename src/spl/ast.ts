/**
 * The SPL syntax tree. Every node carries a `span` into the expanded search text.
 * Command nodes are produced by the parser of each command (`commands/<name>.ts`).
 */
import type { Span } from "./source.js";

// ---- search language (search command, tstats where) -------------------------------------------

export interface SearchValue {
  /** The decoded value (quotes removed, `\\` and `\"` unescaped). `*` is a wildcard either way. */
  readonly value: string;
  readonly quoted: boolean;
  readonly span: Span;
}

export type CompareOp = "=" | "!=" | "<" | "<=" | ">" | ">=";

export type SearchExpr =
  | { readonly kind: "and"; readonly operands: readonly SearchExpr[]; readonly span: Span }
  | { readonly kind: "or"; readonly operands: readonly SearchExpr[]; readonly span: Span }
  | { readonly kind: "not"; readonly operand: SearchExpr; readonly span: Span }
  | {
      readonly kind: "compare";
      readonly field: string;
      readonly op: CompareOp;
      readonly value: SearchValue;
      readonly span: Span;
    }
  | {
      readonly kind: "in";
      readonly field: string;
      readonly values: readonly SearchValue[];
      readonly span: Span;
    }
  | { readonly kind: "term"; readonly value: SearchValue; readonly span: Span }
  /** `[ subsearch ]`: its results become `(f=v AND ...) OR (...)` (Splunk's implicit `format`). */
  | { readonly kind: "subsearch"; readonly pipeline: Pipeline; readonly span: Span };

// ---- eval expressions (eval, where, stats eval(...)) -------------------------------------------

export type BinaryOp =
  | "OR"
  | "XOR"
  | "AND"
  | "="
  | "=="
  | "!="
  | "<"
  | "<="
  | ">"
  | ">="
  | "LIKE"
  | "+"
  | "-"
  | "."
  | "*"
  | "/"
  | "%";

export type EvalExpr =
  | { readonly kind: "number"; readonly value: number; readonly text: string; readonly span: Span }
  | { readonly kind: "string"; readonly value: string; readonly span: Span }
  | { readonly kind: "field"; readonly name: string; readonly span: Span }
  | { readonly kind: "call"; readonly name: string; readonly args: readonly EvalExpr[]; readonly span: Span }
  | { readonly kind: "unary"; readonly op: "-" | "NOT"; readonly operand: EvalExpr; readonly span: Span }
  | {
      readonly kind: "binary";
      readonly op: BinaryOp;
      readonly left: EvalExpr;
      readonly right: EvalExpr;
      readonly span: Span;
    };

// ---- commands ------------------------------------------------------------------------------------

export interface OptionNode {
  readonly name: string;
  readonly value: string;
  readonly span: Span;
}

export interface FieldNode {
  readonly name: string;
  readonly span: Span;
}

/** An aggregate call as in tstats/stats: `count`, `values(f)`, `min(_time) as firstTime`. */
export interface AggregateNode {
  /** Lower-case function name as written (`distinct_count` is kept, mapped later). */
  readonly fn: string;
  /** Field argument; undefined for bare `count`. */
  readonly field?: string;
  /** `eval(...)` argument of stats, when used. */
  readonly expr?: EvalExpr;
  /** Output name: the `as` name, else the text as written (`values(Processes.process)`). */
  readonly as: string;
  /** True when `as name` was written. */
  readonly explicitAs: boolean;
  readonly span: Span;
}

export interface GenericCommand {
  readonly kind: string;
  readonly span: Span;
}

export interface Pipeline {
  readonly commands: readonly CommandNode[];
  readonly span: Span;
  /** True when the pipeline began with `|` (a generating command such as tstats follows). */
  readonly leadingPipe: boolean;
}

/** Any parsed command; each command module narrows `kind` to its own node type. */
export type CommandNode = GenericCommand;

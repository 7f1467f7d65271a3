/**
 * What an eval function provides: its arity and a compiler from argument closures to a closure.
 * Each family lives in its own file (cond, string, math, mv, time, net); `registry.ts` joins them.
 */
import type { EvalExpr } from "../ast.js";
import type { EvalValue } from "../exec/eval-value.js";
import type { Span, SplError } from "../source.js";
import type { Row } from "../types.js";

export type Compiled = (row: Row) => EvalValue;

/** Per-search state shared by compiled closures: the search time and runtime warnings. */
export interface RunState {
  /** The search time (`now()`), set when a run finishes pushing records. */
  now: number;
  /** Problems met while running (e.g. a regex built from data that is invalid); drained by finish(). */
  readonly warnings: SplError[];
}

export interface EvalEnv {
  readonly clock: RunState;
  warn(e: SplError): void;
  /** Compiles a nested expression (used by mvfilter). */
  compile(expr: EvalExpr): Compiled;
}

export interface FunctionSpec {
  readonly min: number;
  readonly max: number;
  compile(args: readonly Compiled[], nodes: readonly EvalExpr[], env: EvalEnv, at: Span): Compiled;
}

export type FunctionTable = Record<string, FunctionSpec>;

/** A function of fixed arguments that returns null whenever one of them is null. */
export function strict(min: number, max: number, f: (...args: EvalValue[]) => EvalValue): FunctionSpec {
  return {
    min,
    max,
    compile(args) {
      if (args.length === 1) {
        const [a] = args;
        return (r) => {
          const v = a(r);
          return v === null ? null : f(v);
        };
      }
      return (r) => {
        const vs = args.map((a) => a(r));
        if (vs.some((v) => v === null)) return null;
        return f(...vs);
      };
    },
  };
}

/** A function that sees null arguments itself. */
export function lenient(min: number, max: number, f: (...args: EvalValue[]) => EvalValue): FunctionSpec {
  return {
    min,
    max,
    compile(args) {
      return (r) => f(...args.map((a) => a(r)));
    },
  };
}

/** The literal string value of an argument node, when it is one (for precompiling patterns). */
export function literalString(node: EvalExpr): string | undefined {
  return node.kind === "string" ? node.value : undefined;
}

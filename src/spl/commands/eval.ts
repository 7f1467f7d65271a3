/**
 * `eval field = expression [, field = expression ...]` (issue 4). Assignments run left to right, each
 * seeing the previous ones. A new field becomes the last column; assigning null removes the value.
 * An expression that is boolean by its form (a comparison, AND/OR/NOT, isnull(), match(), ...) is
 * rejected, as Splunk does ("Fields cannot be assigned a boolean result").
 */
import type { EvalExpr, FieldNode } from "../ast.js";
import { compileEval } from "../exec/eval.js";
import { toField } from "../exec/eval-value.js";
import { setField } from "../exec/row-field.js";
import type { Stage } from "../exec/stage.js";
import { parseEvalExpr } from "../parse-eval-expr.js";
import { type Span, SplError, span } from "../source.js";
import { defineCommand } from "./command-spec.js";

export interface EvalNode {
  readonly kind: "eval";
  readonly span: Span;
  readonly assignments: readonly { readonly field: FieldNode; readonly expr: EvalExpr }[];
}

const BOOLEAN_OPS = new Set(["AND", "OR", "XOR", "=", "==", "!=", "<", "<=", ">", ">=", "LIKE"]);
const BOOLEAN_FUNCTIONS = new Set([
  "isnull",
  "isnotnull",
  "isnum",
  "isint",
  "isstr",
  "like",
  "match",
  "cidrmatch",
  "in",
  "true",
  "false",
  "searchmatch",
]);

/** Whether an expression's value is known to be boolean without running it (Splunk rejects those). */
function isBooleanExpr(e: EvalExpr): boolean {
  if (e.kind === "binary") return BOOLEAN_OPS.has(e.op);
  if (e.kind === "unary") return e.op === "NOT";
  if (e.kind === "call") return BOOLEAN_FUNCTIONS.has(e.name.toLowerCase());
  return false;
}

export const evalCommand = defineCommand<EvalNode>({
  name: "eval",
  parse(p, nameTok) {
    const assignments: { field: FieldNode; expr: EvalExpr }[] = [];
    for (;;) {
      // The target is read like a command argument (it may contain `-`, as in `feature_-value=`),
      // or as a 'quoted' field name.
      const quoted = p.text[p.lexer.skipSpace(p.pos)] === "'";
      const mode = quoted ? "expr" : "search";
      const t = p.peek(mode);
      if (t.kind !== "word" && t.kind !== "field" && t.kind !== "string") {
        p.unexpected(t, "a field name to assign");
      }
      p.next(mode);
      const eq = p.peek("expr");
      if (eq.kind !== "op" || eq.text !== "=") p.unexpected(eq, `'=' after ${t.text}`);
      p.next("expr");
      const expr = parseEvalExpr(p);
      assignments.push({ field: { name: t.value, span: span(t.start, t.end) }, expr });
      if (!p.eat("comma", "expr")) break;
    }
    if (!p.atCommandEnd()) p.unexpected(p.peek("expr"), "',' or the end of the eval");
    return { kind: "eval", span: span(nameTok.start, p.pos), assignments };
  },
  build(node, ctx): Stage {
    for (const a of node.assignments) {
      if (isBooleanExpr(a.expr)) {
        throw new SplError(
          "spl-syntax",
          `eval ${a.field.name}: fields cannot be assigned a boolean result (use if(condition, value, value))`,
          a.expr.span,
        );
      }
    }
    const steps = node.assignments.map((a) => ({ name: a.field.name, f: compileEval(a.expr, ctx.clock) }));
    return {
      kind: "rows",
      stage: {
        run(input) {
          const columns = [...input.columns];
          for (const s of steps) if (!columns.includes(s.name)) columns.push(s.name);
          for (const row of input.rows) {
            for (const s of steps) {
              const v = toField(s.f(row));
              if (v === null || v === undefined) delete row[s.name];
              else setField(row, s.name, v);
            }
          }
          return { rows: input.rows, columns };
        },
      },
    };
  },
});

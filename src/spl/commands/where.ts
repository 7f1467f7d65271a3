/**
 * `where <eval expression>` keeps rows for which the expression is true (issue 4). Comparisons are
 * case-sensitive and literal (no wildcards), unlike `search`; null is not true.
 */
import type { EvalExpr } from "../ast.js";
import { compileEval } from "../exec/eval.js";
import type { Stage } from "../exec/stage.js";
import { parseEvalExpr } from "../parse-eval-expr.js";
import { type Span, span } from "../source.js";
import { defineCommand } from "./command-spec.js";

export interface WhereNode {
  readonly kind: "where";
  readonly span: Span;
  readonly expr: EvalExpr;
}

export const whereCommand = defineCommand<WhereNode>({
  name: "where",
  parse(p, nameTok) {
    const expr = parseEvalExpr(p);
    if (!p.atCommandEnd()) p.unexpected(p.peek("expr"), "an operator or the end of the where clause");
    return { kind: "where", span: span(nameTok.start, p.pos), expr };
  },
  build(node, ctx): Stage {
    const f = compileEval(node.expr, ctx.clock);
    return {
      kind: "rows",
      stage: { run: (input) => ({ rows: input.rows.filter((r) => f(r) === true), columns: input.columns }) },
    };
  },
});

/**
 * `where <eval expression>` keeps rows for which the expression is true (issue 4). Comparisons are
 * case-sensitive and literal (no wildcards), unlike `search`; null is not true. A value that is not
 * a boolean (e.g. `where count`) keeps no row and gives an `spl-runtime` warning.
 */
import type { EvalExpr } from "../ast.js";
import { compileEval } from "../exec/eval.js";
import type { Stage } from "../exec/stage.js";
import { parseEvalExpr } from "../parse-eval-expr.js";
import { type Span, SplError, span } from "../source.js";
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
    const clock = ctx.clock;
    const at = node.expr.span;
    return {
      kind: "rows",
      stage: {
        run(input) {
          let warned = false;
          const rows = input.rows.filter((r) => {
            const v = f(r);
            if (v === true) return true;
            if (v !== false && v !== null && !warned) {
              warned = true;
              clock.warnings.push(
                new SplError(
                  "spl-runtime",
                  "the where expression gave a value that is not true or false",
                  at,
                ),
              );
            }
            return false;
          });
          return { rows, columns: input.columns };
        },
      },
    };
  },
});

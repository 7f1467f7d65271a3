/**
 * `search <expression>` over result rows, with the same search-language rules as the tstats where
 * clause (SEMANTICS §4). `search *` keeps every row. A search without a leading `|` is an implicit
 * `search` command. Subsearches run (over the same data) when the stage runs, before filtering.
 */
import type { SearchExpr } from "../ast.js";
import { compileSearchExpr, subsearchesIn } from "../exec/search-match.js";
import { runPipeline, type Stage } from "../exec/stage.js";
import { parseSearchExpr } from "../parse-search-expr.js";
import { type Span, span } from "../source.js";
import { defineCommand } from "./command-spec.js";

export interface SearchNode {
  readonly kind: "search";
  readonly span: Span;
  readonly expr: SearchExpr;
}

export const searchCommand = defineCommand<SearchNode>({
  name: "search",
  parse(p, nameTok) {
    const expr = parseSearchExpr(p);
    if (!p.atCommandEnd()) p.unexpected(p.peek("search"), "'|' or the end of the search");
    return { kind: "search", span: span(nameTok.start, p.pos), expr };
  },
  build(node, ctx): Stage {
    const subs = subsearchesIn(node.expr);
    if (subs.length === 0) {
      const pred = compileSearchExpr(node.expr);
      if (node.expr.kind === "term" && /^\*+$/.test(node.expr.value.value)) {
        return { kind: "rows", stage: { run: (t) => t } };
      }
      return {
        kind: "rows",
        stage: { run: (input) => ({ rows: input.rows.filter(pred), columns: input.columns }) },
      };
    }
    const built = new Map(subs.map((s) => [s, ctx.buildPipeline(s.pipeline)]));
    // Check everything else compiles now, with empty subsearch results.
    compileSearchExpr(node.expr, undefined, () => ({ rows: [], columns: [] }));
    return {
      kind: "rows",
      stage: {
        run(input, runCtx) {
          const tables = new Map([...built].map(([s, p]) => [s, runPipeline(p, runCtx)]));
          const pred = compileSearchExpr(
            node.expr,
            undefined,
            (s) => tables.get(s) ?? { rows: [], columns: [] },
          );
          return { rows: input.rows.filter(pred), columns: input.columns };
        },
      },
    };
  },
});

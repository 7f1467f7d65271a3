/**
 * `search <expression>` over result rows, with the same search-language rules as the tstats where
 * clause (SEMANTICS §4). `search *` keeps every row. A search without a leading `|` is an implicit
 * `search` command.
 */
import type { SearchExpr } from "../ast.js";
import { compileSearchExpr } from "../exec/search-match.js";
import type { Stage } from "../exec/stage.js";
import { parseSearchExpr } from "../parse-search-expr.js";
import { type Span, SplError, span } from "../source.js";
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
  build(node): Stage {
    const pred = compileSearchExpr(node.expr);
    if (node.expr.kind === "term" && /^\*+$/.test(node.expr.value.value)) {
      return { kind: "rows", stage: { run: (t) => t } };
    }
    return {
      kind: "rows",
      stage: {
        run(input) {
          return { rows: input.rows.filter(pred), columns: input.columns };
        },
      },
    };
  },
});

export function notGenerating(name: string, at: Span): never {
  throw new SplError("spl-unsupported", `'${name}' as the first command (only tstats generates results)`, at);
}

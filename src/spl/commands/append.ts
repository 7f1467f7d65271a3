/**
 * `append [subsearch]` (issue 4 corpus): the subsearch's rows after the current ones; its new columns
 * after the current columns. The subsearch runs over the same data. Options are unsupported.
 *
 * `| makeresults [count=N]`: a generating command giving N rows (default 1) with `_time` = the search
 * time, reading no data.
 */
import type { OptionNode, Pipeline } from "../ast.js";
import { runPipeline, type Stage } from "../exec/stage.js";
import { type Span, SplError, span } from "../source.js";
import type { Row } from "../types.js";
import { defineCommand } from "./command-spec.js";

export interface AppendNode {
  readonly kind: "append";
  readonly span: Span;
  readonly subsearch: Pipeline;
}

export interface MakeresultsNode {
  readonly kind: "makeresults";
  readonly span: Span;
  readonly options: readonly OptionNode[];
}

export const appendCommand = defineCommand<AppendNode>({
  name: "append",
  parse(p, nameTok) {
    if (p.atOption()) {
      const o = p.parseOption();
      p.unsupported(`append option '${o.name}'`, o.span);
    }
    const subsearch = p.parseSubsearch(p);
    if (!p.atCommandEnd()) p.unexpected(p.peek("search"), "the end of append");
    return { kind: "append", span: span(nameTok.start, p.pos), subsearch };
  },
  build(node, ctx): Stage {
    const sub = ctx.buildPipeline(node.subsearch);
    return {
      kind: "rows",
      stage: {
        run(input, runCtx) {
          const more = runPipeline(sub, runCtx);
          const columns = [...input.columns];
          for (const c of more.columns) if (!columns.includes(c)) columns.push(c);
          return { rows: [...input.rows, ...more.rows], columns };
        },
      },
    };
  },
});

export const makeresultsCommand = defineCommand<MakeresultsNode>({
  name: "makeresults",
  generating: true,
  parse(p, nameTok) {
    const options: OptionNode[] = [];
    while (p.atOption()) options.push(p.parseOption());
    if (!p.atCommandEnd()) p.unexpected(p.peek("search"), "the end of makeresults");
    return { kind: "makeresults", span: span(nameTok.start, p.pos), options };
  },
  build(node, ctx): Stage {
    let count = 1;
    for (const o of node.options) {
      if (o.name.toLowerCase() === "count" && /^\d+$/.test(o.value)) count = Number(o.value);
      else if (!(o.name.toLowerCase() === "annotate" && /^(?:f|false|0)$/i.test(o.value))) {
        throw new SplError("spl-unsupported", `makeresults option '${o.name}=${o.value}'`, o.span);
      }
    }
    const clock = ctx.clock;
    return {
      kind: "source",
      source: {
        datasets: [],
        fieldsUsed: new Map(),
        start: () => ({
          push() {},
          finish() {
            const now = Math.floor(clock.now);
            const rows: Row[] = Array.from({ length: count }, () => ({ _time: now }));
            return { rows, columns: ["_time"] };
          },
        }),
      },
    };
  },
});

/**
 * `stats aggregates [by fields]` and `eventstats aggregates [by fields]` (issue 4).
 *
 * - Functions as in `exec/aggregate.ts`: count, count(f), dc/distinct_count, values, list, min, max,
 *   earliest, latest, first, last, sum, avg/mean.
 * - stats: one row per group, by-fields then aggregates, sorted by the by-field values; without
 *   by-fields one row even over no input (count 0). A row whose by-field is null is left out.
 * - eventstats: every row is kept; each gets its group's aggregates as new fields (rows with a null
 *   by-field get none). New fields become the last columns.
 */
import type { AggregateNode, FieldNode } from "../ast.js";
import { aggregatorFactory, isAggregateFunction } from "../exec/aggregate.js";
import { compileEval } from "../exec/eval.js";
import { toField } from "../exec/eval-value.js";
import { type AggPlan, groupRows } from "../exec/group.js";
import { setField } from "../exec/row-field.js";
import type { Stage } from "../exec/stage.js";
import { escapeRegExp } from "../exec/wildcard.js";
import type { RunState } from "../functions/function-spec.js";
import { parseAggregates } from "../parse-aggregate.js";
import type { Parser } from "../parser.js";
import { type Span, SplError, span } from "../source.js";
import type { Token } from "../token.js";
import type { Row } from "../types.js";
import { defineCommand } from "./command-spec.js";

export interface StatsNode {
  readonly kind: "stats" | "eventstats";
  readonly span: Span;
  readonly aggregates: readonly AggregateNode[];
  readonly by: readonly FieldNode[];
}

function parseStats(kind: "stats" | "eventstats") {
  return (p: Parser, nameTok: Token): StatsNode => {
    while (p.atOption()) {
      const o = p.parseOption();
      p.unsupported(`${kind} option '${o.name}'`, o.span);
    }
    const aggregates = parseAggregates(p, ["by"]);
    if (aggregates.length === 0) p.error(`${kind} needs at least one aggregate such as count`, nameTok);
    let by: FieldNode[] = [];
    if (p.eatWord("by")) {
      by = p.parseFieldList();
      if (by.length === 0) p.unexpected(p.peek("search"), "a by-field");
    }
    if (!p.atCommandEnd()) p.unexpected(p.peek("search"), `'|' or the end of ${kind}`);
    return { kind, span: span(nameTok.start, p.pos), aggregates, by };
  };
}

/**
 * `fn(eval(expr))` aggregates the expression's value per row; a true comparison counts as 1 and a
 * false one as no value, so `count(eval(status="404"))` counts the matching rows.
 */
export function aggPlans(aggs: readonly AggregateNode[], command: string, clock: RunState): AggPlan[] {
  return aggs.map((a) => {
    if (!isAggregateFunction(a.fn))
      throw new SplError("spl-unsupported", `${command} function '${a.fn}'`, a.span);
    if (a.expr) {
      const f = compileEval(a.expr, clock);
      const get = (row: Row) => {
        const v = f(row);
        return v === true ? 1 : v === false ? null : toField(v);
      };
      return { field: undefined, get, factory: aggregatorFactory(a.fn, true), name: a.as };
    }
    if (a.fn !== "count" && a.field === undefined) {
      throw new SplError("spl-syntax", `${a.fn} needs a field: ${a.fn}(field)`, a.span);
    }
    return { field: a.field, factory: aggregatorFactory(a.fn, a.field !== undefined), name: a.as };
  });
}

/**
 * Expands wildcard aggregates (`latest(*) as *`, `values(process_*)`) over the input's columns: every
 * column that matches, is not a by-field and does not start with `_`; the name fills the `as`
 * pattern's `*` with the text the field's `*` matched (default `fn(field)`).
 */
export function expandWildcards(
  plans: readonly AggPlan[],
  nodes: readonly AggregateNode[],
  columns: readonly string[],
  by: readonly string[],
): AggPlan[] {
  const out: AggPlan[] = [];
  plans.forEach((plan, i) => {
    const field = plan.field;
    if (field === undefined || !field.includes("*")) {
      out.push(plan);
      return;
    }
    const re = new RegExp(`^${field.split("*").map(escapeRegExp).join("(.*)")}$`, "s");
    const node = nodes[i];
    const asWritten = node.explicitAs && node.as.includes("*");
    for (const c of columns) {
      if (by.includes(c) || c.startsWith("_")) continue;
      const m = re.exec(c);
      if (!m) continue;
      let name = `${node.fn}(${c})`;
      if (asWritten) {
        let k = 1;
        name = node.as.replace(/\*/g, () => m[k++] ?? "");
      }
      out.push({ field: c, factory: plan.factory, name });
    }
  });
  return out;
}

export const statsCommand = defineCommand<StatsNode>({
  name: "stats",
  parse: parseStats("stats"),
  build(node, ctx): Stage {
    const plans = aggPlans(node.aggregates, "stats", ctx.clock);
    const by = node.by.map((f) => f.name);
    return {
      kind: "rows",
      stage: {
        run(input) {
          const aggs = expandWildcards(plans, node.aggregates, input.columns, by);
          const columns = [...by, ...aggs.map((a) => a.name)];
          const groups = groupRows(input.rows, by, aggs);
          if (by.length === 0 && groups.length === 0) {
            groups.push({ keys: [], aggs: aggs.map((a) => a.factory()), members: [] });
          }
          const rows = groups.map((g) => {
            const row: Row = {};
            by.forEach((f, i) => {
              setField(row, f, g.keys[i]);
            });
            aggs.forEach((a, i) => {
              const v = g.aggs[i].result();
              if (v !== null && v !== undefined) setField(row, a.name, v);
            });
            return row;
          });
          return { rows, columns: [...columns] };
        },
      },
    };
  },
});

export const eventstatsCommand = defineCommand<StatsNode>({
  name: "eventstats",
  parse: parseStats("eventstats"),
  build(node, ctx): Stage {
    const plans = aggPlans(node.aggregates, "eventstats", ctx.clock);
    const by = node.by.map((f) => f.name);
    return {
      kind: "rows",
      stage: {
        run(input) {
          const aggs = expandWildcards(plans, node.aggregates, input.columns, by);
          const groups = groupRows(input.rows, by, aggs);
          if (by.length === 0 && groups.length === 0 && input.rows.length > 0) {
            throw new Error("internal error: eventstats lost its rows");
          }
          for (const g of groups) {
            const values = g.aggs.map((a) => a.result());
            for (const i of new Set(g.members)) {
              const row = input.rows[i];
              aggs.forEach((a, k) => {
                const v = values[k];
                if (v === null || v === undefined) delete row[a.name];
                else setField(row, a.name, v);
              });
            }
          }
          const columns = [...input.columns];
          for (const a of aggs) if (!columns.includes(a.name)) columns.push(a.name);
          return { rows: input.rows, columns };
        },
      },
    };
  },
});

/**
 * `join [type=inner|left|outer] [max=N] [overwrite=bool] [field, ...] [ subsearch ]` (issue 4).
 * The subsearch runs over the same data as the main search (its tstats is fed the same records).
 *
 * - Rows join when every join field has the same value (exact, case-sensitive; a multivalue is
 *   compared as its whole list); a row with a null join field never joins.
 * - Without fields, the fields common to both results are used.
 * - `max` (default 1) subsearch rows per main row, in subsearch order; `max=0` means all.
 * - type=inner (default) drops main rows without a match; left/outer keeps them unchanged.
 * - overwrite=true (default): subsearch values replace main values of the same field.
 * - Columns: the main columns, then the subsearch's new columns.
 */
import type { FieldNode, OptionNode, Pipeline } from "../ast.js";
import { copyRawTimes } from "../exec/raw-time.js";
import { fieldValue, setField } from "../exec/row-field.js";
import { runPipeline, type Stage } from "../exec/stage.js";
import { isNull, scalarToString, valuesOf } from "../exec/values.js";
import { type Span, SplError, span } from "../source.js";
import type { Row } from "../types.js";
import { defineCommand } from "./command-spec.js";

export interface JoinNode {
  readonly kind: "join";
  readonly span: Span;
  readonly options: readonly OptionNode[];
  readonly fields: readonly FieldNode[];
  readonly subsearch: Pipeline;
}

const TRUE = /^(?:t|true|1)$/i;

export const joinCommand = defineCommand<JoinNode>({
  name: "join",
  parse(p, nameTok) {
    const options: OptionNode[] = [];
    const fields: FieldNode[] = [];
    while (p.peek("search").kind !== "lbracket") {
      if (p.atCommandEnd()) p.unexpected(p.peek("search"), "a subsearch [ ... ]");
      if (p.eat("comma")) continue;
      if (p.atOption()) options.push(p.parseOption());
      else fields.push(p.parseFieldName());
    }
    const subsearch = p.parseSubsearch(p);
    if (!p.atCommandEnd()) p.unexpected(p.peek("search"), "the end of join");
    return { kind: "join", span: span(nameTok.start, p.pos), options, fields, subsearch };
  },
  build(node, ctx): Stage {
    let type = "inner";
    let max = 1;
    let overwrite = true;
    for (const o of node.options) {
      const n = o.name.toLowerCase();
      const v = o.value.toLowerCase();
      if (n === "type" && (v === "inner" || v === "left" || v === "outer")) type = v;
      else if (n === "max" && /^\d+$/.test(v)) max = Number(v);
      else if (n === "overwrite") overwrite = TRUE.test(v);
      else if (n === "usetime" && !TRUE.test(v)) continue;
      else throw new SplError("spl-unsupported", `join option '${o.name}=${o.value}'`, o.span);
    }
    const sub = ctx.buildPipeline(node.subsearch);
    const listed = node.fields.map((f) => f.name);
    const limit = max === 0 ? Number.POSITIVE_INFINITY : max;
    return {
      kind: "rows",
      stage: {
        run(input, runCtx) {
          const right = runPipeline(sub, runCtx);
          const fields = listed.length > 0 ? listed : input.columns.filter((c) => right.columns.includes(c));
          const key = (r: Row) =>
            fields.some((f) => isNull(fieldValue(r, f)))
              ? undefined
              : JSON.stringify(fields.map((f) => valuesOf(fieldValue(r, f)).map(scalarToString)));
          const index = new Map<string, Row[]>();
          for (const r of right.rows) {
            const k = key(r);
            if (k === undefined) continue;
            const list = index.get(k) ?? [];
            list.push(r);
            index.set(k, list);
          }
          const rows: Row[] = [];
          for (const left of input.rows) {
            const k = key(left);
            const matches = k === undefined ? [] : (index.get(k) ?? []).slice(0, limit);
            if (matches.length === 0) {
              if (type !== "inner") rows.push(left);
              continue;
            }
            for (const m of matches) {
              const merged: Row = { ...left };
              for (const [f, v] of Object.entries(m)) {
                if (isNull(v)) continue;
                if (overwrite || isNull(fieldValue(merged, f))) setField(merged, f, v);
              }
              copyRawTimes(left, merged);
              rows.push(merged);
            }
          }
          const columns = [...input.columns];
          for (const c of right.columns) if (!columns.includes(c)) columns.push(c);
          return { rows, columns };
        },
      },
    };
  },
});

/**
 * `transaction field [maxpause=D] [maxspan=D] [maxevents=N] [connected=bool] [mvlist=false]`
 * (ESCU corpus), over result rows that carry `_time` (epoch seconds):
 *
 * - Rows are grouped by the field's value (one field only; rows without it are dropped) and, within a
 *   group, walked from the newest `_time` back, as Splunk does: a row joins the open transaction when
 *   the gap to the previous (newer) row is ≤ maxpause, the transaction then spans ≤ maxspan and holds
 *   < maxevents rows (default 1000); otherwise a new transaction starts.
 * - Each transaction is one row: every field's distinct values sorted lexicographically (mvlist=false,
 *   Splunk's default), `_time` = the earliest row's, `duration` = latest − earliest, `eventcount`.
 * - Transactions come out newest first. Columns: the input columns, then `duration`, `eventcount`.
 * - Several fields, `startswith`/`endswith`, `mvlist=true`, `keepevicted` are unsupported.
 */
import type { FieldNode, OptionNode } from "../ast.js";
import { fieldValue, setField } from "../exec/row-field.js";
import type { Stage } from "../exec/stage.js";
import { compareText, fromList, isNull, scalarToString, valuesOf } from "../exec/values.js";
import { type Span, SplError, span } from "../source.js";
import type { Row, Scalar } from "../types.js";
import { defineCommand } from "./command-spec.js";
import { parseSpan } from "./time-span.js";

export interface TransactionNode {
  readonly kind: "transaction";
  readonly span: Span;
  readonly fields: readonly FieldNode[];
  readonly options: readonly OptionNode[];
}

const FALSE = /^(?:f|false|0)$/i;

export const transactionCommand = defineCommand<TransactionNode>({
  name: "transaction",
  parse(p, nameTok) {
    const fields: FieldNode[] = [];
    const options: OptionNode[] = [];
    while (!p.atCommandEnd()) {
      if (p.eat("comma")) continue;
      if (p.atOption()) options.push(p.parseOption());
      else fields.push(p.parseFieldName());
    }
    return { kind: "transaction", span: span(nameTok.start, p.pos), fields, options };
  },
  build(node): Stage {
    if (node.fields.length !== 1) {
      throw new SplError("spl-unsupported", "transaction with other than exactly one field", node.span);
    }
    let maxpause = Number.POSITIVE_INFINITY;
    let maxspan = Number.POSITIVE_INFINITY;
    let maxevents = 1000;
    for (const o of node.options) {
      const n = o.name.toLowerCase();
      const duration = () => {
        const d = parseSpan(o.value);
        if (d === undefined)
          throw new SplError("spl-unsupported", `transaction ${o.name}=${o.value}`, o.span);
        return d;
      };
      if (n === "maxpause") maxpause = duration();
      else if (n === "maxspan") maxspan = duration();
      else if (n === "maxevents" && /^\d+$/.test(o.value)) maxevents = Number(o.value) || 1000;
      else if (n === "connected") continue;
      else if ((n === "mvlist" || n === "keepevicted") && FALSE.test(o.value)) continue;
      else throw new SplError("spl-unsupported", `transaction option '${o.name}=${o.value}'`, o.span);
    }
    const field = node.fields[0].name;
    return {
      kind: "rows",
      stage: {
        run(input) {
          const time = (r: Row) => {
            const t = r._time;
            return typeof t === "number" ? t : Number(scalarToString(valuesOf(t)[0] ?? ""));
          };
          const groups = new Map<string, Row[]>();
          for (const r of input.rows) {
            const value = fieldValue(r, field);
            if (isNull(value)) continue;
            const key = JSON.stringify(valuesOf(value).map(scalarToString));
            const list = groups.get(key) ?? [];
            list.push(r);
            groups.set(key, list);
          }
          const txns: Row[][] = [];
          for (const list of groups.values()) {
            const sorted = [...list].sort((a, b) => time(b) - time(a));
            let cur: Row[] = [];
            for (const r of sorted) {
              const t = time(r);
              if (
                cur.length > 0 &&
                time(cur[cur.length - 1]) - t <= maxpause &&
                time(cur[0]) - t <= maxspan &&
                cur.length < maxevents
              ) {
                cur.push(r);
                continue;
              }
              if (cur.length > 0) txns.push(cur);
              cur = [r];
            }
            if (cur.length > 0) txns.push(cur);
          }
          const rows = txns.map(merge);
          rows.sort((a, b) => (b._time as number) - (a._time as number));
          const columns = [...input.columns.filter((c) => c !== "duration" && c !== "eventcount")];
          if (!columns.includes("_time")) columns.push("_time");
          columns.push("duration", "eventcount");
          return { rows, columns };

          function merge(events: Row[]): Row {
            const out: Row = {};
            const names = new Set(events.flatMap((e) => Object.keys(e)));
            for (const name of names) {
              if (name === "_time") continue;
              const seen = new Map<string, Scalar>();
              for (const e of events) {
                for (const v of valuesOf(fieldValue(e, name))) seen.set(scalarToString(v), v);
              }
              const sorted = [...seen.keys()].sort(compareText).map((k) => seen.get(k) as Scalar);
              const v = fromList(sorted);
              if (v !== null) setField(out, name, v);
            }
            const newest = time(events[0]);
            const oldest = time(events[events.length - 1]);
            out._time = oldest;
            out.duration = newest - oldest;
            out.eventcount = events.length;
            return out;
          }
        },
      },
    };
  },
});

/**
 * `addtotals [row=true] [col=false] [fieldname=Total] [field ...]` (ESCU corpus): adds to each row
 * the sum of its numeric values in the listed fields (wildcards allowed; all fields when none are
 * listed), as a new last column. Non-numeric and missing values are skipped; a row with none gets 0.
 * A multivalue counts each numeric value. `col=true`, `labelfield`, `label` are unsupported.
 */
import type { FieldNode, OptionNode } from "../ast.js";
import { nameMatcher } from "../exec/field-pattern.js";
import { fieldValue, setField } from "../exec/row-field.js";
import type { Stage } from "../exec/stage.js";
import { asNumber, valuesOf } from "../exec/values.js";
import { type Span, SplError, span } from "../source.js";
import { defineCommand } from "./command-spec.js";

export interface AddtotalsNode {
  readonly kind: "addtotals";
  readonly span: Span;
  readonly options: readonly OptionNode[];
  readonly fields: readonly FieldNode[];
}

export const addtotalsCommand = defineCommand<AddtotalsNode>({
  name: "addtotals",
  parse(p, nameTok) {
    const options: OptionNode[] = [];
    const fields: FieldNode[] = [];
    while (!p.atCommandEnd()) {
      if (p.eat("comma")) continue;
      if (p.atOption()) options.push(p.parseOption());
      else fields.push(p.parseFieldName());
    }
    return { kind: "addtotals", span: span(nameTok.start, p.pos), options, fields };
  },
  build(node): Stage {
    let target = "Total";
    for (const o of node.options) {
      const n = o.name.toLowerCase();
      if (n === "fieldname") target = o.value;
      else if (n === "row" && /^(?:t|true|1)$/i.test(o.value)) continue;
      else if (n === "col" && /^(?:f|false|0)$/i.test(o.value)) continue;
      else throw new SplError("spl-unsupported", `addtotals option '${o.name}=${o.value}'`, o.span);
    }
    const matchers = node.fields.map((f) => nameMatcher(f.name));
    const selected = (c: string) => c !== target && (matchers.length === 0 || matchers.some((m) => m(c)));
    return {
      kind: "rows",
      stage: {
        run(input) {
          const fields = input.columns.filter(selected);
          for (const r of input.rows) {
            let sum = 0;
            for (const f of fields) {
              for (const v of valuesOf(fieldValue(r, f))) {
                const n = asNumber(v);
                if (n !== undefined) sum += n;
              }
            }
            setField(r, target, sum);
          }
          const columns = input.columns.includes(target) ? input.columns : [...input.columns, target];
          return { rows: input.rows, columns };
        },
      },
    };
  },
});

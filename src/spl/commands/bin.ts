/**
 * `bin`/`bucket [span=X] field [AS new]` (issue 4): `_time` (or any field with a time span such as
 * `1h`) is floored to a multiple of the span in epoch seconds (UTC); a numeric field with a numeric
 * span is floored to a multiple of it. `bins=`, `minspan=`, `start=`/`end=` are unsupported.
 */
import type { FieldNode, OptionNode } from "../ast.js";
import { fieldValue, setField } from "../exec/row-field.js";
import type { Stage } from "../exec/stage.js";
import { asNumber, valuesOf } from "../exec/values.js";
import { type Span, SplError, span } from "../source.js";
import { defineCommand } from "./command-spec.js";
import { parseSpan } from "./time-span.js";

export interface BinNode {
  readonly kind: "bin";
  readonly span: Span;
  readonly options: readonly OptionNode[];
  readonly field: FieldNode;
  readonly as?: FieldNode;
}

export const binCommand = defineCommand<BinNode>({
  name: "bin",
  parse(p, nameTok) {
    const options: OptionNode[] = [];
    let field: FieldNode | undefined;
    let as: FieldNode | undefined;
    while (!p.atCommandEnd()) {
      if (p.atOption()) {
        options.push(p.parseOption());
        continue;
      }
      if (field && p.eatWord("as")) {
        as = p.parseFieldName("a name after 'as'");
        continue;
      }
      if (field) p.unexpected(p.peek("search"), "an option or 'as'");
      field = p.parseFieldName();
    }
    if (!field) return p.error("bin needs a field", nameTok);
    return { kind: "bin", span: span(nameTok.start, p.pos), options, field, as };
  },
  build(node): Stage {
    let size: number | undefined;
    for (const o of node.options) {
      if (o.name.toLowerCase() !== "span")
        throw new SplError("spl-unsupported", `bin option '${o.name}'`, o.span);
      size = parseSpan(o.value);
      if (size === undefined) throw new SplError("spl-unsupported", `bin span=${o.value}`, o.span);
    }
    if (size === undefined)
      throw new SplError("spl-unsupported", "bin without span= (automatic bins)", node.span);
    const step = size;
    const from = node.field.name;
    const to = node.as?.name ?? from;
    return {
      kind: "rows",
      stage: {
        run(input) {
          for (const r of input.rows) {
            const v = valuesOf(fieldValue(r, from))[0];
            if (v === undefined) continue;
            const n = asNumber(v);
            if (n === undefined) continue;
            setField(r, to, Math.floor(n / step) * step);
          }
          const columns = input.columns.includes(to) ? input.columns : [...input.columns, to];
          return { rows: input.rows, columns };
        },
      },
    };
  },
});

/**
 * `mvexpand field [limit=N]` (issue 4): one row per value of the field (the first N values with
 * `limit`), other fields copied. A row without the field is kept unchanged.
 */
import type { FieldNode, OptionNode } from "../ast.js";
import { copyRawTimes } from "../exec/raw-time.js";
import { fieldValue } from "../exec/row-field.js";
import type { Stage } from "../exec/stage.js";
import { valuesOf } from "../exec/values.js";
import { type Span, SplError, span } from "../source.js";
import type { Row } from "../types.js";
import { defineCommand } from "./command-spec.js";

export interface MvexpandNode {
  readonly kind: "mvexpand";
  readonly span: Span;
  readonly field: FieldNode;
  readonly options: readonly OptionNode[];
}

export const mvexpandCommand = defineCommand<MvexpandNode>({
  name: "mvexpand",
  parse(p, nameTok) {
    const options: OptionNode[] = [];
    let field: FieldNode | undefined;
    while (!p.atCommandEnd()) {
      if (p.atOption()) options.push(p.parseOption());
      else if (!field) field = p.parseFieldName();
      else p.unexpected(p.peek("search"), "the end of mvexpand");
    }
    if (!field) return p.error("mvexpand needs a field", nameTok);
    return { kind: "mvexpand", span: span(nameTok.start, p.pos), field, options };
  },
  build(node): Stage {
    let limit = Number.POSITIVE_INFINITY;
    for (const o of node.options) {
      if (o.name.toLowerCase() !== "limit" || !/^\d+$/.test(o.value)) {
        throw new SplError("spl-unsupported", `mvexpand option '${o.name}'`, o.span);
      }
      limit = Number(o.value);
    }
    const f = node.field.name;
    return {
      kind: "rows",
      stage: {
        run(input) {
          const rows: Row[] = [];
          for (const r of input.rows) {
            const list = valuesOf(fieldValue(r, f));
            if (list.length <= 1) {
              rows.push(r);
              continue;
            }
            for (const v of list.slice(0, limit)) {
              const copy = { ...r, [f]: v };
              copyRawTimes(r, copy);
              rows.push(copy);
            }
          }
          return { rows, columns: input.columns };
        },
      },
    };
  },
});

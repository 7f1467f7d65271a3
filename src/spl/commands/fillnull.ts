/**
 * `fillnull [value=X] [field ...]` (issue 4): fills null fields with X (default "0"). Without a field
 * list it fills every column of the current results; listed fields that are not columns yet are added.
 */
import type { FieldNode } from "../ast.js";
import { fieldValue, setField } from "../exec/row-field.js";
import type { Stage } from "../exec/stage.js";
import { isNull } from "../exec/values.js";
import { type Span, SplError, span } from "../source.js";
import { defineCommand } from "./command-spec.js";

export interface FillnullNode {
  readonly kind: "fillnull";
  readonly span: Span;
  readonly value: string;
  readonly fields: readonly FieldNode[];
}

export const fillnullCommand = defineCommand<FillnullNode>({
  name: "fillnull",
  parse(p, nameTok) {
    let value = "0";
    while (p.atOption()) {
      const o = p.parseOption();
      if (o.name.toLowerCase() !== "value")
        throw new SplError("spl-unsupported", `fillnull option '${o.name}'`, o.span);
      value = o.value;
    }
    const fields = p.parseFieldList();
    if (!p.atCommandEnd()) p.unexpected(p.peek("search"), "a field name");
    return { kind: "fillnull", span: span(nameTok.start, p.pos), value, fields };
  },
  build(node): Stage {
    const listed = node.fields.map((f) => f.name);
    if (listed.some((f) => f.includes("*"))) {
      throw new SplError("spl-unsupported", "fillnull with a wildcard field", node.span);
    }
    return {
      kind: "rows",
      stage: {
        run(input) {
          const columns = [...input.columns];
          for (const f of listed) if (!columns.includes(f)) columns.push(f);
          const targets = listed.length > 0 ? listed : columns;
          for (const r of input.rows) {
            for (const f of targets) if (isNull(fieldValue(r, f))) setField(r, f, node.value);
          }
          return { rows: input.rows, columns };
        },
      },
    };
  },
});

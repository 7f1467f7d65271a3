/**
 * `| inputlookup NAME` (issue 4): a generating command whose results are the lookup table's rows,
 * columns in file order; empty cells are null. It reads no data model. `where`, `append=true`,
 * `start`/`max` are unsupported.
 */
import type { FieldNode, OptionNode } from "../ast.js";
import { fieldValue, setField } from "../exec/row-field.js";
import type { Stage } from "../exec/stage.js";
import { type Span, SplError, span } from "../source.js";
import type { Row } from "../types.js";
import { defineCommand } from "./command-spec.js";

export interface InputlookupNode {
  readonly kind: "inputlookup";
  readonly span: Span;
  readonly options: readonly OptionNode[];
  readonly name: FieldNode;
}

export const inputlookupCommand = defineCommand<InputlookupNode>({
  name: "inputlookup",
  generating: true,
  parse(p, nameTok) {
    const options: OptionNode[] = [];
    while (p.atOption()) options.push(p.parseOption());
    const name = p.parseFieldName("a lookup name");
    while (p.atOption()) options.push(p.parseOption());
    if (p.isWord("where")) p.unsupported("inputlookup ... where", p.peek("search"));
    if (!p.atCommandEnd()) p.unexpected(p.peek("search"), "the end of inputlookup");
    return { kind: "inputlookup", span: span(nameTok.start, p.pos), options, name };
  },
  build(node, ctx): Stage {
    for (const o of node.options) {
      if (!(o.name.toLowerCase() === "append" && /^(?:f|false|0)$/i.test(o.value))) {
        throw new SplError("spl-unsupported", `inputlookup option '${o.name}=${o.value}'`, o.span);
      }
    }
    const table = ctx.lookups?.get(node.name.name);
    if (!table) {
      throw new SplError(
        "spl-unsupported",
        `lookup '${node.name.name}' is not defined or cannot be read`,
        node.name.span,
      );
    }
    const columns = [...table.columns];
    return {
      kind: "source",
      source: {
        datasets: [],
        fieldsUsed: new Map(),
        start: () => ({
          push() {},
          finish() {
            const rows = table.rows.map((r) => {
              const row: Row = {};
              for (const c of columns) {
                const v = fieldValue(r, c);
                if (v !== undefined && v !== "") setField(row, c, v);
              }
              return row;
            });
            return { rows, columns: [...columns] };
          },
        }),
      },
    };
  },
});

/**
 * `table f1 f2 ...` (wildcards allowed): keeps the listed fields, in list order; a wildcard selects
 * matching columns in their current order; a listed field no row has is still a column (empty).
 * `fields [+|-] f1, f2 ...`: `-` removes the listed fields; otherwise keeps only them, in list order
 * (literal names that no row has are not added).
 */
import type { FieldNode } from "../ast.js";
import { nameMatcher, selectColumns } from "../exec/field-pattern.js";
import { copyRawTimes } from "../exec/raw-time.js";
import { fieldValue, setField } from "../exec/row-field.js";
import type { Stage, Table } from "../exec/stage.js";
import { type Span, span } from "../source.js";
import type { Row } from "../types.js";
import { defineCommand } from "./command-spec.js";

export interface TableNode {
  readonly kind: "table";
  readonly span: Span;
  readonly fields: readonly FieldNode[];
}

export interface FieldsNode {
  readonly kind: "fields";
  readonly span: Span;
  readonly remove: boolean;
  readonly fields: readonly FieldNode[];
}

function project(input: Table, columns: string[]): Table {
  const rows = input.rows.map((r) => {
    const out: Row = {};
    for (const c of columns) {
      const v = fieldValue(r, c);
      if (v !== undefined && v !== null) setField(out, c, v);
    }
    copyRawTimes(r, out);
    return out;
  });
  return { rows, columns };
}

export const tableCommand = defineCommand<TableNode>({
  name: "table",
  parse(p, nameTok) {
    const fields = p.parseFieldList();
    if (!p.atCommandEnd()) p.unexpected(p.peek("search"), "a field name");
    if (fields.length === 0) p.error("table needs at least one field", nameTok);
    return { kind: "table", span: span(nameTok.start, p.pos), fields };
  },
  build(node): Stage {
    const names = node.fields.map((f) => f.name);
    return {
      kind: "rows",
      stage: { run: (input) => project(input, selectColumns(input.columns, names, true)) },
    };
  },
});

export const fieldsCommand = defineCommand<FieldsNode>({
  name: "fields",
  parse(p, nameTok) {
    let remove = false;
    const sign = p.peek("search");
    if (sign.kind === "word" && (sign.text === "-" || sign.text === "+")) {
      p.next("search");
      remove = sign.text === "-";
    }
    let fields = p.parseFieldList();
    if (!p.atCommandEnd()) p.unexpected(p.peek("search"), "a field name");
    if (fields.length === 0) p.error("fields needs at least one field", nameTok);
    // `fields -a, b` is `fields - a, b`
    const first = fields[0];
    if (sign.kind === "word" && sign.text === first.name && /^[-+]./.test(first.name)) {
      remove = first.name[0] === "-";
      fields = [{ name: first.name.slice(1), span: first.span }, ...fields.slice(1)];
    }
    return { kind: "fields", span: span(nameTok.start, p.pos), remove, fields };
  },
  build(node): Stage {
    const names = node.fields.map((f) => f.name);
    if (node.remove) {
      const ms = names.map(nameMatcher);
      return {
        kind: "rows",
        stage: {
          run(input) {
            const gone = input.columns.filter((c) => ms.some((m) => m(c)));
            for (const r of input.rows) for (const c of gone) delete r[c];
            return { rows: input.rows, columns: input.columns.filter((c) => !gone.includes(c)) };
          },
        },
      };
    }
    return {
      kind: "rows",
      stage: { run: (input) => project(input, selectColumns(input.columns, names, false)) },
    };
  },
});

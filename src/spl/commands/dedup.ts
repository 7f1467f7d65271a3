/**
 * `dedup [N] f1 f2 ... [keepempty=true|false] [consecutive=true|false] [sortby ...]` (issue 4):
 * keeps the first N (default 1) rows for each combination of the fields' values, in input order.
 * Rows where any listed field is null are removed unless `keepempty=true` (then all kept).
 * A multivalue is compared as its whole list. `sortby` is not supported.
 */
import type { FieldNode, OptionNode } from "../ast.js";
import { fieldValue } from "../exec/row-field.js";
import type { Stage } from "../exec/stage.js";
import { isNull, valuesOf } from "../exec/values.js";
import { type Span, SplError, span } from "../source.js";
import { defineCommand } from "./command-spec.js";

export interface DedupNode {
  readonly kind: "dedup";
  readonly span: Span;
  readonly count: number;
  readonly fields: readonly FieldNode[];
  readonly options: readonly OptionNode[];
}

const TRUE = /^(?:t|true|1)$/i;

export const dedupCommand = defineCommand<DedupNode>({
  name: "dedup",
  parse(p, nameTok) {
    let count = 1;
    const first = p.peek("search");
    if (first.kind === "word" && /^\d+$/.test(first.text)) {
      p.next("search");
      count = Number(first.text);
    }
    const fields: FieldNode[] = [];
    const options: OptionNode[] = [];
    while (!p.atCommandEnd()) {
      if (p.eat("comma")) continue;
      if (p.atOption()) {
        options.push(p.parseOption());
        continue;
      }
      if (p.isWord("sortby")) p.unsupported("dedup sortby", p.peek("search"));
      fields.push(p.parseFieldName());
    }
    if (fields.length === 0) p.error("dedup needs at least one field", nameTok);
    return { kind: "dedup", span: span(nameTok.start, p.pos), count, fields, options };
  },
  build(node): Stage {
    let keepEmpty = false;
    let consecutive = false;
    for (const o of node.options) {
      const name = o.name.toLowerCase();
      if (name === "keepempty") keepEmpty = TRUE.test(o.value);
      else if (name === "consecutive") consecutive = TRUE.test(o.value);
      else throw new SplError("spl-unsupported", `dedup option '${o.name}'`, o.span);
    }
    const fields = node.fields.map((f) => f.name);
    const max = node.count;
    return {
      kind: "rows",
      stage: {
        run(input) {
          const seen = new Map<string, number>();
          let prev: string | undefined;
          const rows = input.rows.filter((r) => {
            if (fields.some((f) => isNull(fieldValue(r, f)))) return keepEmpty;
            const key = JSON.stringify(fields.map((f) => valuesOf(fieldValue(r, f)).map(String)));
            if (consecutive) {
              const keep = key !== prev;
              prev = key;
              return keep;
            }
            const n = seen.get(key) ?? 0;
            seen.set(key, n + 1);
            return n < max;
          });
          return { rows, columns: input.columns };
        },
      },
    };
  },
});

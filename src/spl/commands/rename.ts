/**
 * `rename old AS new [, old AS new ...]` (names bare or quoted; `*` wildcards).
 *
 * - Each `*` in the old name captures text that fills the matching `*` of the new name, in order;
 *   both sides must have the same number of `*` (or the new name none).
 * - The renamed column keeps its position; an existing column with the new name is replaced
 *   (its values are dropped, as in Splunk, even in rows where the old field is null).
 * - Pairs apply one after another.
 */
import type { FieldNode } from "../ast.js";
import { renameRawTime } from "../exec/raw-time.js";
import { fieldValue, setField } from "../exec/row-field.js";
import type { Stage, Table } from "../exec/stage.js";
import { escapeRegExp } from "../exec/wildcard.js";
import { type Span, SplError, span } from "../source.js";
import { defineCommand } from "./command-spec.js";

export interface RenameNode {
  readonly kind: "rename";
  readonly span: Span;
  readonly pairs: readonly { readonly from: FieldNode; readonly to: FieldNode }[];
}

export const renameCommand = defineCommand<RenameNode>({
  name: "rename",
  parse(p, nameTok) {
    const pairs: { from: FieldNode; to: FieldNode }[] = [];
    while (!p.atCommandEnd()) {
      if (p.eat("comma")) continue;
      const from = p.parseFieldName("a field to rename");
      if (!p.eatWord("as")) p.unexpected(p.peek("search"), "'as'");
      const to = p.parseFieldName("a new field name after 'as'");
      pairs.push({ from, to });
    }
    if (pairs.length === 0) p.error("rename needs 'old AS new'", nameTok);
    return { kind: "rename", span: span(nameTok.start, p.pos), pairs };
  },
  build(node): Stage {
    const steps = node.pairs.map(({ from, to }) => {
      const stars = from.name.split("*").length - 1;
      const toStars = to.name.split("*").length - 1;
      if (toStars !== 0 && toStars !== stars) {
        throw new SplError(
          "spl-syntax",
          `rename: '${from.name}' and '${to.name}' have different numbers of wildcards`,
          span(from.span.start, to.span.end),
        );
      }
      return { mapName: nameMapper(from.name, to.name) };
    });
    return {
      kind: "rows",
      stage: {
        run(input: Table): Table {
          let { rows, columns } = input;
          for (const step of steps) {
            const moves: [string, string][] = [];
            for (const c of columns) {
              const n = step.mapName(c);
              if (n !== undefined && n !== c) moves.push([c, n]);
            }
            if (moves.length === 0) continue;
            const sources = new Set(moves.map((m) => m[0]));
            const targets = new Map(moves.map((m) => [m[1], m[0]]));
            const next: string[] = [];
            for (const c of columns) {
              if (targets.has(c) && !sources.has(c)) continue;
              const m = moves.find((x) => x[0] === c);
              const name = m ? m[1] : c;
              if (!next.includes(name)) next.push(name);
            }
            columns = next;
            rows = rows.map((row) => {
              const values = moves.map(([f]) => fieldValue(row, f));
              for (const [f] of moves) delete row[f];
              moves.forEach(([, t], i) => {
                const v = values[i];
                if (v === undefined || v === null) delete row[t];
                else setField(row, t, v);
              });
              for (const [f, t] of moves) renameRawTime(row, f, t);
              return row;
            });
          }
          return { rows, columns };
        },
      },
    };
  },
});

/** old → new name function; undefined when the name does not match the old pattern. */
function nameMapper(from: string, to: string): (name: string) => string | undefined {
  if (!from.includes("*")) return (n) => (n === from ? to : undefined);
  const re = new RegExp(`^${from.split("*").map(escapeRegExp).join("(.*)")}$`, "s");
  const toParts = to.split("*");
  return (n) => {
    const m = re.exec(n);
    if (!m) return undefined;
    if (toParts.length === 1) return to;
    let out = toParts[0];
    for (let i = 1; i < toParts.length; i++) out += m[i] + toParts[i];
    return out;
  };
}

/**
 * `lookup NAME field [AS rowfield] [, ...] [OUTPUT|OUTPUTNEW tablefield [AS rowfield] ...]` (issue 4),
 * over the tables the `LookupResolver` gives (content `lookups/`).
 *
 * - A row matches a table row when, for every match field, some value of the row's field equals the
 *   table's value: exactly (case-sensitive unless the table says otherwise), as a `*` wildcard
 *   pattern for `WILDCARD(field)` columns, or as a range for `CIDR(field)` columns (IPv4).
 * - Up to `maxMatches` table rows (table order); several matches give multivalue outputs.
 * - Without OUTPUT every other table column is output under its own name. OUTPUT overwrites the
 *   row's fields; OUTPUTNEW only fills fields the row does not have.
 * - No match: with `minMatches` > 0 and a `defaultMatch`, outputs are set to it; otherwise OUTPUT
 *   (and the default) clears the output fields (Splunk overwrites them with null) and OUTPUTNEW
 *   leaves them alone.
 * - The table is resolved when the search is compiled; an unknown or unreadable lookup is an error.
 */
import type { FieldNode } from "../ast.js";
import { fieldValue, setField } from "../exec/row-field.js";
import type { Stage } from "../exec/stage.js";
import { scalarToString, valuesOf } from "../exec/values.js";
import { compileWildcard, type TextMatcher } from "../exec/wildcard.js";
import { cidrContains } from "../functions/net.js";
import type { Parser } from "../parser.js";
import { type Span, SplError, span } from "../source.js";
import type { LookupTable, Scalar } from "../types.js";
import { defineCommand } from "./command-spec.js";

interface FieldPair {
  readonly table: FieldNode;
  readonly row: FieldNode;
}

export interface LookupNode {
  readonly kind: "lookup";
  readonly span: Span;
  readonly name: FieldNode;
  readonly match: readonly FieldPair[];
  readonly outputMode?: "OUTPUT" | "OUTPUTNEW";
  readonly outputs: readonly FieldPair[];
}

function parsePairs(p: Parser, stopAtOutput: boolean): FieldPair[] {
  const out: FieldPair[] = [];
  while (!p.atCommandEnd()) {
    if (p.eat("comma")) continue;
    if (stopAtOutput && (p.isWord("OUTPUT") || p.isWord("OUTPUTNEW"))) break;
    const table = p.parseFieldName();
    let row = table;
    if (p.eatWord("as")) row = p.parseFieldName("a field name after 'as'");
    out.push({ table, row });
  }
  return out;
}

export const lookupCommand = defineCommand<LookupNode>({
  name: "lookup",
  parse(p, nameTok) {
    while (p.atOption()) {
      const o = p.parseOption();
      const n = o.name.toLowerCase();
      if (n !== "local" && n !== "update") p.unsupported(`lookup option '${o.name}'`, o.span);
    }
    const name = p.parseFieldName("a lookup name");
    const match = parsePairs(p, true);
    let outputMode: LookupNode["outputMode"];
    let outputs: FieldPair[] = [];
    const kw = p.peek("search");
    if (kw.kind === "word" && /^outputnew$/i.test(kw.text)) outputMode = "OUTPUTNEW";
    else if (kw.kind === "word" && /^output$/i.test(kw.text)) outputMode = "OUTPUT";
    if (outputMode) {
      p.next("search");
      outputs = parsePairs(p, false);
      if (outputs.length === 0) p.unexpected(p.peek("search"), `a field after ${outputMode}`);
    }
    if (match.length === 0) p.error("lookup needs at least one match field", nameTok);
    return { kind: "lookup", span: span(nameTok.start, p.pos), name, match, outputMode, outputs };
  },
  build(node, ctx): Stage {
    const table = ctx.lookups?.get(node.name.name);
    if (!table) {
      throw new SplError(
        "spl-unsupported",
        `lookup '${node.name.name}' is not defined or cannot be read`,
        node.name.span,
      );
    }
    for (const m of node.match) {
      if (!table.columns.includes(m.table.name)) {
        throw new SplError(
          "spl-syntax",
          `lookup '${node.name.name}' has no column '${m.table.name}'`,
          m.table.span,
        );
      }
    }
    const matchCols = new Set(node.match.map((m) => m.table.name));
    const outputs =
      node.outputs.length > 0
        ? node.outputs.map((o) => ({ table: o.table.name, row: o.row.name }))
        : table.columns.filter((c) => !matchCols.has(c)).map((c) => ({ table: c, row: c }));
    for (const o of node.outputs) {
      if (!table.columns.includes(o.table.name)) {
        throw new SplError(
          "spl-syntax",
          `lookup '${node.name.name}' has no column '${o.table.name}'`,
          o.table.span,
        );
      }
    }
    const find = buildMatcher(table, node.match);
    const overwrite = node.outputMode !== "OUTPUTNEW";
    const max = table.maxMatches ?? 1000;
    const useDefault = (table.minMatches ?? 0) > 0 && table.defaultMatch !== undefined;
    return {
      kind: "rows",
      stage: {
        run(input) {
          for (const row of input.rows) {
            const hits = find(
              node.match.map((m) => valuesOf(fieldValue(row, m.row.name)).map(scalarToString)),
            ).slice(0, max);
            for (const o of outputs) {
              const had = fieldValue(row, o.row);
              if (!overwrite && had !== undefined && had !== null) continue;
              if (hits.length === 0) {
                if (useDefault) setField(row, o.row, table.defaultMatch as string);
                else if (overwrite) delete row[o.row];
                continue;
              }
              const vals: Scalar[] = [];
              for (const h of hits) {
                const v = fieldValue(table.rows[h], o.table);
                if (v !== undefined && v !== "") vals.push(v);
              }
              if (vals.length === 0) delete row[o.row];
              else setField(row, o.row, vals.length === 1 ? vals[0] : vals);
            }
          }
          const columns = [...input.columns];
          for (const o of outputs) if (!columns.includes(o.row)) columns.push(o.row);
          return { rows: input.rows, columns };
        },
      },
    };
  },
});

/** Returns the indexes of matching table rows for the row's values of each match field. */
function buildMatcher(table: LookupTable, match: readonly FieldPair[]): (values: string[][]) => number[] {
  const caseSensitive = table.caseSensitive !== false;
  const fold = (s: string) => (caseSensitive ? s : s.toLowerCase());
  const cols = match.map((m) => m.table.name);
  const kinds = cols.map((c) =>
    table.wildcardFields?.includes(c) ? "wildcard" : table.cidrFields?.includes(c) ? "cidr" : "exact",
  );
  const patterns: (TextMatcher | undefined)[][] = table.rows.map((r) =>
    cols.map((c, i) =>
      kinds[i] === "wildcard" ? compileWildcard(fieldValue(r, c) ?? "", !caseSensitive) : undefined,
    ),
  );
  const allExact = kinds.every((k) => k === "exact");
  const index = new Map<string, number[]>();
  if (allExact) {
    table.rows.forEach((r, i) => {
      const key = cols.map((c) => fold(fieldValue(r, c) ?? "")).join("\u0000");
      const list = index.get(key) ?? [];
      list.push(i);
      index.set(key, list);
    });
  }
  return (values) => {
    if (values.some((v) => v.length === 0)) return [];
    if (allExact) {
      const hits = new Set<number>();
      for (const combo of product(values))
        for (const i of index.get(combo.map(fold).join("\u0000")) ?? []) hits.add(i);
      return [...hits].sort((a, b) => a - b);
    }
    const out: number[] = [];
    table.rows.forEach((r, i) => {
      const ok = cols.every((c, k) => {
        const want = fieldValue(r, c) ?? "";
        return values[k].some((v) =>
          kinds[k] === "wildcard"
            ? (patterns[i][k] as TextMatcher)(v)
            : kinds[k] === "cidr"
              ? cidrContains(want, v) || want === v
              : fold(want) === fold(v),
        );
      });
      if (ok) out.push(i);
    });
    return out;
  };
}

function product(lists: string[][]): string[][] {
  let acc: string[][] = [[]];
  for (const l of lists) acc = acc.flatMap((p) => l.map((v) => [...p, v]));
  return acc;
}

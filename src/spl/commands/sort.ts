/**
 * `sort [N] [+|-]field ... [desc]` and `head [N]` (issue 4).
 *
 * - sort: stable; each key ascending unless `-`; `num(f)`/`str(f)`/`auto(f)` choose the comparison
 *   (auto: numeric when both values are numeric, else lexicographic, case-sensitive); nulls sort
 *   first ascending. N limits the output; without N, Splunk's default limit of 10000 rows applies;
 *   `sort 0` means no limit. A trailing `desc` reverses the whole order.
 * - head: the first N rows (default 10); `head limit=N` too.
 */
import { fieldValue } from "../exec/row-field.js";
import type { Stage } from "../exec/stage.js";
import { asNumber, compareScalars, compareText, isNull, scalarToString, valuesOf } from "../exec/values.js";
import { type Span, SplError, span } from "../source.js";
import type { FieldValue } from "../types.js";
import { defineCommand } from "./command-spec.js";

export interface SortKey {
  readonly field: string;
  readonly descending: boolean;
  readonly mode: "auto" | "num" | "str";
}

export interface SortNode {
  readonly kind: "sort";
  readonly span: Span;
  readonly limit?: number;
  readonly keys: readonly SortKey[];
  readonly reverse: boolean;
}

export interface HeadNode {
  readonly kind: "head";
  readonly span: Span;
  readonly count: number;
}

function firstValue(v: FieldValue) {
  return valuesOf(v)[0];
}

function compareBy(mode: SortKey["mode"], a: FieldValue, b: FieldValue): number {
  const an = isNull(a);
  const bn = isNull(b);
  if (an || bn) return an === bn ? 0 : an ? -1 : 1;
  const x = firstValue(a);
  const y = firstValue(b);
  if (mode === "str") return compareText(scalarToString(x), scalarToString(y));
  if (mode === "num") {
    const nx = asNumber(x);
    const ny = asNumber(y);
    if (nx === undefined || ny === undefined) return nx === ny ? 0 : nx === undefined ? 1 : -1;
    return nx - ny;
  }
  return compareScalars(x, y);
}

export const sortCommand = defineCommand<SortNode>({
  name: "sort",
  parse(p, nameTok) {
    let limit: number | undefined;
    const keys: SortKey[] = [];
    let reverse = false;
    const first = p.peek("search");
    if (first.kind === "word" && /^\d+$/.test(first.text)) {
      p.next("search");
      limit = Number(first.text);
    }
    let pendingSign: "+" | "-" | undefined;
    while (!p.atCommandEnd()) {
      if (p.eat("comma")) continue;
      if (p.atOption()) {
        const o = p.parseOption();
        if (o.name.toLowerCase() !== "limit" || !/^\d+$/.test(o.value))
          p.unsupported(`sort option '${o.name}'`, o.span);
        limit = Number(o.value);
        continue;
      }
      const t = p.next("search");
      if (t.kind !== "word" && t.kind !== "string") p.unexpected(t, "a sort field");
      if (t.kind === "word" && (t.text === "-" || t.text === "+")) {
        pendingSign = t.text;
        continue;
      }
      if (
        t.kind === "word" &&
        (t.text.toLowerCase() === "desc" || t.text.toLowerCase() === "d") &&
        p.atCommandEnd()
      ) {
        reverse = true;
        continue;
      }
      let text = t.value;
      let descending = pendingSign === "-";
      pendingSign = undefined;
      if (t.kind === "word" && (text.startsWith("-") || text.startsWith("+"))) {
        descending = text[0] === "-";
        text = text.slice(1);
      }
      let mode: SortKey["mode"] = "auto";
      const fn = /^(num|str|auto|ip)$/i.exec(text);
      if (fn && p.peek("search").kind === "lparen") {
        if (fn[1].toLowerCase() === "ip") p.unsupported("sort ip(field)", t);
        mode = fn[1].toLowerCase() as SortKey["mode"];
        p.next("search");
        text = p.parseFieldName().name;
        p.expect("rparen", "search", "')'");
      }
      keys.push({ field: text, descending, mode });
    }
    if (keys.length === 0) p.error("sort needs at least one field", nameTok);
    return { kind: "sort", span: span(nameTok.start, p.pos), limit, keys, reverse };
  },
  build(node): Stage {
    const limit = node.limit === undefined ? 10000 : node.limit === 0 ? Number.POSITIVE_INFINITY : node.limit;
    return {
      kind: "rows",
      stage: {
        run(input) {
          const rows = [...input.rows].sort((a, b) => {
            for (const k of node.keys) {
              const c = compareBy(k.mode, fieldValue(a, k.field), fieldValue(b, k.field));
              if (c !== 0) return (k.descending ? -c : c) * (node.reverse ? -1 : 1);
            }
            return 0;
          });
          return { rows: rows.slice(0, limit), columns: input.columns };
        },
      },
    };
  },
});

export const headCommand = defineCommand<HeadNode>({
  name: "head",
  parse(p, nameTok) {
    let count = 10;
    if (p.atOption()) {
      const o = p.parseOption();
      if (o.name.toLowerCase() !== "limit" || !/^\d+$/.test(o.value))
        p.unsupported(`head option '${o.name}'`, o.span);
      count = Number(o.value);
    } else if (!p.atCommandEnd()) {
      const t = p.next("search");
      if (t.kind !== "word" || !/^\d+$/.test(t.text)) {
        throw new SplError("spl-unsupported", "head with an expression (only a row count is supported)", t);
      }
      count = Number(t.text);
    }
    if (!p.atCommandEnd()) p.unexpected(p.peek("search"), "the end of head");
    return { kind: "head", span: span(nameTok.start, p.pos), count };
  },
  build(node): Stage {
    return {
      kind: "rows",
      stage: { run: (input) => ({ rows: input.rows.slice(0, node.count), columns: input.columns }) },
    };
  },
});

/**
 * `regex field="re"` keeps rows where some value of the field matches the regex (unanchored,
 * case-sensitive, PCRE translated by `exec/pcre.ts`); `regex field!="re"` keeps rows where none does
 * (including rows without the field). Without a field the regex applies to `_raw`, which data-model
 * rows do not have: unsupported.
 *
 * `rex [field=f] [max_match=N] "re"` extracts the regex's named groups into fields: the first match
 * by default; with `max_match` > 1 (or 0, unlimited) every match, as a multivalue. A group that does
 * not take part in a match sets nothing; without a match the row is unchanged. New fields become the
 * last columns, in group order. `mode=sed` is unsupported.
 */
import type { OptionNode } from "../ast.js";
import { compilePcre } from "../exec/pcre.js";
import { fieldValue, setField } from "../exec/row-field.js";
import type { Stage } from "../exec/stage.js";
import { scalarToString, valuesOf } from "../exec/values.js";
import { type Span, SplError, span } from "../source.js";
import type { Scalar } from "../types.js";
import { defineCommand } from "./command-spec.js";

export interface RegexNode {
  readonly kind: "regex";
  readonly span: Span;
  readonly field?: string;
  readonly negate: boolean;
  readonly pattern: string;
  readonly patternSpan: Span;
}

export interface RexNode {
  readonly kind: "rex";
  readonly span: Span;
  readonly options: readonly OptionNode[];
  readonly pattern: string;
  readonly patternSpan: Span;
}

function regexOrError(pattern: string, at: Span, flags = ""): RegExp {
  const r = compilePcre(pattern, flags);
  if (!r.regex) throw new SplError("spl-unsupported", r.error ?? "invalid regex", at);
  return r.regex;
}

export const regexCommand = defineCommand<RegexNode>({
  name: "regex",
  parse(p, nameTok) {
    let field: string | undefined;
    let negate = false;
    const t = p.peek("search");
    if (t.kind === "word") {
      const op = p.peek2("search");
      if (op.kind === "op" && (op.text === "=" || op.text === "!=")) {
        p.next("search");
        p.next("search");
        field = t.text;
        negate = op.text === "!=";
      }
    }
    const v = p.peek("value");
    if (v.kind !== "string" && v.kind !== "word") p.unexpected(v, "a regular expression");
    p.next("value");
    if (!p.atCommandEnd()) p.unexpected(p.peek("search"), "the end of regex");
    return {
      kind: "regex",
      span: span(nameTok.start, p.pos),
      field,
      negate,
      pattern: v.value,
      patternSpan: span(v.start, v.end),
    };
  },
  build(node): Stage {
    if (node.field === undefined)
      throw new SplError("spl-unsupported", "regex on _raw (name a field: regex field=...)", node.span);
    const re = regexOrError(node.pattern, node.patternSpan);
    const field = node.field;
    const test = (s: string) => {
      re.lastIndex = 0;
      return re.test(s);
    };
    return {
      kind: "rows",
      stage: {
        run(input) {
          const rows = input.rows.filter((r) => {
            const hit = valuesOf(fieldValue(r, field)).some((v) => test(scalarToString(v)));
            return node.negate ? !hit : hit;
          });
          return { rows, columns: input.columns };
        },
      },
    };
  },
});

export const rexCommand = defineCommand<RexNode>({
  name: "rex",
  parse(p, nameTok) {
    const options: OptionNode[] = [];
    while (p.atOption()) options.push(p.parseOption());
    const v = p.peek("value");
    if (v.kind !== "string") p.unexpected(v, "a quoted regular expression");
    p.next("value");
    while (p.atOption()) options.push(p.parseOption());
    if (!p.atCommandEnd()) p.unexpected(p.peek("search"), "the end of rex");
    return {
      kind: "rex",
      span: span(nameTok.start, p.pos),
      options,
      pattern: v.value,
      patternSpan: span(v.start, v.end),
    };
  },
  build(node): Stage {
    let field: string | undefined;
    let maxMatch = 1;
    for (const o of node.options) {
      const name = o.name.toLowerCase();
      if (name === "field") field = o.value;
      else if (name === "max_match" && /^\d+$/.test(o.value)) maxMatch = Number(o.value);
      else throw new SplError("spl-unsupported", `rex option '${o.name}=${o.value}'`, o.span);
    }
    if (field === undefined)
      throw new SplError("spl-unsupported", "rex on _raw (name a field: rex field=...)", node.span);
    const re = regexOrError(node.pattern, node.patternSpan, "g");
    const groups = [...node.pattern.matchAll(/\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/g)].map((m) => m[1]);
    if (groups.length === 0)
      throw new SplError("spl-syntax", "rex regex has no named group (?<name>...)", node.patternSpan);
    const limit = maxMatch === 0 ? Number.POSITIVE_INFINITY : maxMatch;
    const source = field;
    return {
      kind: "rows",
      stage: {
        run(input) {
          for (const row of input.rows) {
            const found = new Map<string, Scalar[]>();
            let n = 0;
            for (const v of valuesOf(fieldValue(row, source))) {
              if (n >= limit) break;
              re.lastIndex = 0;
              for (const m of scalarToString(v).matchAll(re)) {
                if (n++ >= limit) break;
                for (const g of groups) {
                  const val = m.groups?.[g];
                  if (val === undefined) continue;
                  const list = found.get(g) ?? [];
                  list.push(val);
                  found.set(g, list);
                }
                if (m[0] === "") re.lastIndex++;
              }
            }
            for (const [g, list] of found) setField(row, g, list.length === 1 ? list[0] : list);
          }
          const columns = [...input.columns];
          for (const g of groups) if (!columns.includes(g)) columns.push(g);
          return { rows: input.rows, columns };
        },
      },
    };
  },
});

/**
 * Compiles a search-language expression (SEMANTICS §4) to a row predicate, once, so no AST is walked
 * per event.
 *
 * - `f=v`: some value of `f` matches `v` (case-insensitive wildcard match). A missing `f` never matches.
 * - `f!=v`: `f` has a value and none of its values matches `v` (so a missing `f` does not match).
 * - `NOT f=v`: the negation of `f=v`, so it also matches rows without `f`.
 * - `f<v` etc.: numeric when both sides are numeric, else lexicographic; true if any value satisfies.
 * - `f IN (a, b*)`: an OR of `f=a`, `f=b*`.
 * - `[ subsearch ]`: its result rows become `(f1=v1 AND f2=v2) OR (...)` (Splunk's `format`): fields
 *   starting with `_` are ignored; a multivalue gives an OR of its values; a field named `search` or
 *   `query` is parsed as search text; values keep their `*` wildcards. No rows gives `NOT ()`, which
 *   matches everything (Splunk's default `emptystr`).
 * - A bare `*` matches everything. Other bare terms search `_raw`, which data-model rows do not have:
 *   they are reported as unsupported rather than silently matching nothing.
 */
import type { SearchExpr } from "../ast.js";
import { parseSearchExpr } from "../parse-search-expr.js";
import { Parser } from "../parser.js";
import { type Span, SplError } from "../source.js";
import type { Row } from "../types.js";
import { fieldReader, fieldValue } from "./row-field.js";
import type { Table } from "./stage.js";
import { asNumber, compareText, scalarToString, valuesOf } from "./values.js";
import { compileFolded, compileWildcard, type TextMatcher } from "./wildcard.js";

export type RowPredicate = (row: Row) => boolean;

/** Maps a field name as written to the row key (e.g. strips the data-model object prefix). */
export type FieldResolver = (name: string, at: Span) => string;

/** The results of a subsearch node (known once the subsearch has run). */
export type SubsearchResults = (node: Extract<SearchExpr, { kind: "subsearch" }>) => Table;

export function compileSearchExpr(
  expr: SearchExpr,
  resolve: FieldResolver = (n) => n,
  subsearch?: SubsearchResults,
): RowPredicate {
  const rec = (e: SearchExpr) => compileSearchExpr(e, resolve, subsearch);
  switch (expr.kind) {
    case "subsearch": {
      if (!subsearch) throw new Error("internal error: subsearch compiled without its results");
      return subsearchPredicate(subsearch(expr), resolve, expr.span);
    }
    case "and": {
      const ps = expr.operands.map(rec);
      if (ps.length === 2) {
        const [a, b] = ps;
        return (r) => a(r) && b(r);
      }
      return (r) => {
        for (const p of ps) if (!p(r)) return false;
        return true;
      };
    }
    case "or": {
      const ps = expr.operands.map(rec);
      return (r) => {
        for (const p of ps) if (p(r)) return true;
        return false;
      };
    }
    case "not": {
      const p = rec(expr.operand);
      return (r) => !p(r);
    }
    case "term": {
      if (/^\*+$/.test(expr.value.value)) return () => true;
      throw new SplError(
        "spl-unsupported",
        `bare search term '${expr.value.value}' (a keyword search of _raw) is not supported here; use field=value`,
        expr.span,
      );
    }
    case "in": {
      const get = fieldReader(fieldOf(expr.field, expr.span, resolve));
      const ms = expr.values.map((v) => compileFolded(v.value));
      const any = (t: string) => {
        const f = t.toLowerCase();
        for (const m of ms) if (m(f)) return true;
        return false;
      };
      return (r) => anyValue(get(r), any);
    }
    case "compare": {
      const get = fieldReader(fieldOf(expr.field, expr.span, resolve));
      const value = expr.value.value;
      switch (expr.op) {
        case "=": {
          const m = compileWildcard(value);
          return (r) => anyValue(get(r), m);
        }
        case "!=": {
          const m = compileWildcard(value);
          return (r) => {
            const vs = valuesOf(get(r));
            if (vs.length === 0) return false;
            for (const v of vs) if (m(scalarToString(v))) return false;
            return true;
          };
        }
        default: {
          const op = expr.op;
          const num = asNumber(value);
          const test = (c: number) =>
            op === "<" ? c < 0 : op === "<=" ? c <= 0 : op === ">" ? c > 0 : c >= 0;
          return (r) => {
            for (const v of valuesOf(get(r))) {
              const nv = asNumber(v);
              const c =
                num !== undefined && nv !== undefined
                  ? nv - num
                  : compareText(scalarToString(v).toLowerCase(), value.toLowerCase());
              if (test(c)) return true;
            }
            return false;
          };
        }
      }
    }
  }
}

function fieldOf(name: string, at: Span, resolve: FieldResolver): string {
  if (name.includes("*")) {
    throw new SplError(
      "spl-unsupported",
      `wildcard in field name '${name}' is not supported in a search term`,
      at,
    );
  }
  return resolve(name, at);
}

function anyValue(v: Row[string], m: TextMatcher): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === "string") return m(v);
  if (typeof v === "number") return m(scalarToString(v));
  for (const x of v) if (m(scalarToString(x))) return true;
  return false;
}

/** All subsearch nodes in an expression, in order. */
export function subsearchesIn(expr: SearchExpr): Extract<SearchExpr, { kind: "subsearch" }>[] {
  switch (expr.kind) {
    case "subsearch":
      return [expr];
    case "and":
    case "or":
      return expr.operands.flatMap(subsearchesIn);
    case "not":
      return subsearchesIn(expr.operand);
    default:
      return [];
  }
}

function subsearchPredicate(table: Table, resolve: FieldResolver, at: Span): RowPredicate {
  if (table.rows.length === 0) return () => true;
  const alternatives: RowPredicate[] = [];
  for (const row of table.rows) {
    const terms: RowPredicate[] = [];
    for (const field of table.columns) {
      if (field.startsWith("_")) continue;
      const values = valuesOf(fieldValue(row, field));
      if (values.length === 0) continue;
      if (field === "search" || field === "query") {
        for (const v of values) {
          const p = new Parser(scalarToString(v));
          p.parseSubsearch = () => {
            throw new SplError("spl-unsupported", "a subsearch inside a subsearch's search field", at);
          };
          terms.push(compileSearchExpr(parseSearchExpr(p), resolve));
        }
        continue;
      }
      const get = fieldReader(resolve(field, at));
      const ms = values.map((v) => compileWildcard(scalarToString(v)));
      terms.push((r) => anyValue(get(r), (t) => ms.some((m) => m(t))));
    }
    if (terms.length === 0) continue;
    alternatives.push((r) => terms.every((t) => t(r)));
  }
  if (alternatives.length === 0) return () => true;
  return (r) => alternatives.some((a) => a(r));
}

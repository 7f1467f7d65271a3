/**
 * Prints search-language and eval expressions back to SPL, fully parenthesised, so that
 * `parse(print(parse(q)))` gives the same tree as `parse(q)` (STYLE convention 10). Used by tests and
 * for explaining a search.
 */
import type { EvalExpr, SearchExpr, SearchValue } from "./ast.js";

function quote(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

function printValue(v: SearchValue): string {
  return quote(v.value);
}

function printField(name: string): string {
  return /^[A-Za-z_][\w.]*$/.test(name) ? name : quote(name);
}

export function printSearchExpr(e: SearchExpr): string {
  switch (e.kind) {
    case "and":
      return `(${e.operands.map(printSearchExpr).join(" AND ")})`;
    case "or":
      return `(${e.operands.map(printSearchExpr).join(" OR ")})`;
    case "not":
      return `NOT ${printSearchExpr(e.operand)}`;
    case "compare":
      return `${printField(e.field)}${e.op}${printValue(e.value)}`;
    case "in":
      return `${printField(e.field)} IN (${e.values.map(printValue).join(", ")})`;
    case "term":
      return printValue(e.value);
    case "subsearch":
      return "[ ... ]";
  }
}

export function printEvalExpr(e: EvalExpr): string {
  switch (e.kind) {
    case "number":
      return e.text;
    case "string":
      return quote(e.value);
    case "field":
      return `'${e.name}'`;
    case "call":
      return `${e.name}(${e.args.map(printEvalExpr).join(", ")})`;
    case "unary":
      return e.op === "NOT" ? `(NOT ${printEvalExpr(e.operand)})` : `(-${printEvalExpr(e.operand)})`;
    case "binary":
      return `(${printEvalExpr(e.left)} ${e.op} ${printEvalExpr(e.right)})`;
  }
}

/**
 * The search-language boolean grammar shared by `search` and the tstats `where` clause (SEMANTICS §4):
 *
 *   and  := or ( ["AND"] or )*          juxtaposition means AND
 *   or   := not ( "OR" not )*            OR binds tighter than AND: `A AND B OR C` = `A AND (B OR C)`
 *   not  := "NOT" not | primary
 *   primary := "(" and ")" | "[" subsearch "]" | field op value | field "IN" "(" value ("," value)* ")" | value
 *
 * Operators are upper-case only; a lower-case `and` is a search term. A field name may be quoted
 * (`"Processes.process"="*x*"`).
 */
import type { CompareOp, SearchExpr, SearchValue } from "./ast.js";
import type { Parser } from "./parser.js";
import { span } from "./source.js";
import type { Token } from "./token.js";

/** Parses until the command ends or `isStop(token)` (e.g. the tstats `by`). */
export function parseSearchExpr(p: Parser, isStop: (tok: Token) => boolean = () => false): SearchExpr {
  const first = p.peek("search");
  const expr = parseAnd(p, isStop, 0);
  if (!expr) p.unexpected(first, "a search expression");
  return expr;
}

function startsTerm(p: Parser, isStop: (tok: Token) => boolean): boolean {
  const tok = p.peek("search");
  if (isStop(tok)) return false;
  if (tok.kind === "lparen" || tok.kind === "string" || tok.kind === "lbracket") return true;
  if (tok.kind !== "word") return false;
  return tok.text !== "AND" && tok.text !== "OR";
}

function parseAnd(p: Parser, isStop: (tok: Token) => boolean, depth: number): SearchExpr | undefined {
  const operands: SearchExpr[] = [];
  for (;;) {
    const tok = p.peek("search");
    if (tok.kind === "word" && tok.text === "AND" && operands.length > 0) {
      p.next("search");
      if (!startsTerm(p, isStop)) p.unexpected(p.peek("search"), "a search term after AND");
      continue;
    }
    if (!startsTerm(p, isStop)) {
      if (tok.kind === "word" && tok.text === "OR") p.unexpected(tok, "a search term before OR");
      if (tok.kind === "word" && tok.text === "AND") p.unexpected(tok, "a search term before AND");
      break;
    }
    operands.push(parseOr(p, isStop, depth));
  }
  if (operands.length === 0) return undefined;
  if (operands.length === 1) return operands[0];
  return {
    kind: "and",
    operands,
    span: span(operands[0].span.start, operands[operands.length - 1].span.end),
  };
}

function parseOr(p: Parser, isStop: (tok: Token) => boolean, depth: number): SearchExpr {
  const operands = [parseNot(p, isStop, depth)];
  while (p.isWord("OR", "search", true)) {
    p.next("search");
    if (!startsTerm(p, isStop)) p.unexpected(p.peek("search"), "a search term after OR");
    operands.push(parseNot(p, isStop, depth));
  }
  if (operands.length === 1) return operands[0];
  return { kind: "or", operands, span: span(operands[0].span.start, operands[operands.length - 1].span.end) };
}

function parseNot(p: Parser, isStop: (tok: Token) => boolean, depth: number): SearchExpr {
  const tok = p.peek("search");
  if (tok.kind === "word" && tok.text === "NOT") {
    p.next("search");
    if (!startsTerm(p, isStop)) p.unexpected(p.peek("search"), "a search term after NOT");
    const operand = parseNot(p, isStop, depth);
    return { kind: "not", operand, span: span(tok.start, operand.span.end) };
  }
  return parsePrimary(p, isStop, depth);
}

function parsePrimary(p: Parser, isStop: (tok: Token) => boolean, depth: number): SearchExpr {
  const tok = p.peek("search");
  if (tok.kind === "lparen") {
    if (depth > 200) p.error("parentheses nested too deeply", tok);
    p.next("search");
    const inner = parseAnd(p, isStop, depth + 1);
    if (!inner) p.unexpected(p.peek("search"), "a search expression inside parentheses");
    const close = p.expect("rparen", "search", "')'");
    return { ...inner, span: span(tok.start, close.end) } as SearchExpr;
  }
  if (tok.kind === "lbracket") {
    const pipeline = p.parseSubsearch(p);
    return { kind: "subsearch", pipeline, span: span(tok.start, p.pos) };
  }
  if (tok.kind !== "word" && tok.kind !== "string") p.unexpected(tok, "a search term");
  p.next("search");
  const after = p.peek("search");
  const inList = after.kind === "word" && after.text === "IN" && p.peek2("search").kind === "lparen";
  if (tok.kind === "string" && after.kind !== "op" && !inList) {
    return { kind: "term", value: toValue(tok), span: span(tok.start, tok.end) };
  }
  if (after.kind === "op") {
    p.next("search");
    const op: CompareOp = after.text === "==" ? "=" : (after.text as CompareOp);
    const v = p.peek("value");
    if (v.kind !== "word" && v.kind !== "string") p.unexpected(v, `a value after '${tok.text}${after.text}'`);
    p.next("value");
    return { kind: "compare", field: tok.value, op, value: toValue(v), span: span(tok.start, v.end) };
  }
  if (inList) {
    p.next("search");
    p.next("search");
    const values: SearchValue[] = [];
    for (;;) {
      const v = p.peek("value");
      if (v.kind === "rparen" && values.length > 0) break;
      // empty entries (`IN (,"a",)`, as ESCU writes) are skipped
      if (v.kind === "comma") {
        p.next("value");
        continue;
      }
      if (v.kind !== "word" && v.kind !== "string") p.unexpected(v, "a value in the IN list");
      p.next("value");
      values.push(toValue(v));
    }
    const close = p.expect("rparen", "search", "')'");
    return { kind: "in", field: tok.value, values, span: span(tok.start, close.end) };
  }
  return { kind: "term", value: toValue(tok), span: span(tok.start, tok.end) };
}

function toValue(tok: Token): SearchValue {
  return { value: tok.value, quoted: tok.kind === "string", span: span(tok.start, tok.end) };
}

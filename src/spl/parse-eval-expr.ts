/**
 * The eval expression grammar (eval, where), lowest precedence first (SEMANTICS §4: NOT > AND > OR):
 *
 *   or      := xor ( "OR" xor )*
 *   xor     := and ( "XOR" and )*
 *   and     := not ( "AND" not )*
 *   not     := "NOT" not | compare
 *   compare := concat ( ( = == != < <= > >= LIKE ) concat | IN "(" concat ("," concat)* ")" )?
 *   concat  := sum ( ( + - . ) sum )*
 *   sum     := unary ( ( * / % ) unary )*
 *   unary   := "-" unary | primary
 *   primary := number | "string" | 'field' | field | name "(" args ")" | "(" or ")"
 *
 * `x IN (a, b)` is `in(x, a, b)` (case-sensitive equality). AND/OR/NOT/XOR/LIKE/IN are recognised in any letter case in expressions (Splunk's eval accepts `and`).
 * A field name may contain dots between name characters (`Processes.dest`), so concatenation with `.`
 * needs spaces or quotes around it when the left side is a bare field name.
 */
import type { BinaryOp, EvalExpr } from "./ast.js";
import type { Parser } from "./parser.js";
import { span } from "./source.js";

const COMPARE = new Set(["=", "==", "!=", "<", "<=", ">", ">="]);

/** Parses one expression; stops before a token that cannot continue it (`,`, `)`, `|`, `by`, ...). */
export function parseEvalExpr(p: Parser): EvalExpr {
  return parseOr(p, 0);
}

function kw(p: Parser, word: string): boolean {
  const t = p.peek("expr");
  return t.kind === "word" && t.text.toUpperCase() === word;
}

function bin(op: BinaryOp, left: EvalExpr, right: EvalExpr): EvalExpr {
  return { kind: "binary", op, left, right, span: span(left.span.start, right.span.end) };
}

function parseOr(p: Parser, depth: number): EvalExpr {
  let left = parseXor(p, depth);
  while (kw(p, "OR")) {
    p.next("expr");
    left = bin("OR", left, parseXor(p, depth));
  }
  return left;
}

function parseXor(p: Parser, depth: number): EvalExpr {
  let left = parseAnd(p, depth);
  while (kw(p, "XOR")) {
    p.next("expr");
    left = bin("XOR", left, parseAnd(p, depth));
  }
  return left;
}

function parseAnd(p: Parser, depth: number): EvalExpr {
  let left = parseNot(p, depth);
  while (kw(p, "AND")) {
    p.next("expr");
    left = bin("AND", left, parseNot(p, depth));
  }
  return left;
}

function parseNot(p: Parser, depth: number): EvalExpr {
  if (kw(p, "NOT")) {
    const t = p.next("expr");
    const operand = parseNot(p, depth);
    return { kind: "unary", op: "NOT", operand, span: span(t.start, operand.span.end) };
  }
  return parseCompare(p, depth);
}

function parseCompare(p: Parser, depth: number): EvalExpr {
  const left = parseConcat(p, depth);
  const t = p.peek("expr");
  if (t.kind === "op" && COMPARE.has(t.text)) {
    p.next("expr");
    return bin(t.text as BinaryOp, left, parseConcat(p, depth));
  }
  if (kw(p, "LIKE")) {
    p.next("expr");
    return bin("LIKE", left, parseConcat(p, depth));
  }
  if (kw(p, "IN") && p.peek2("expr").kind === "lparen") {
    p.next("expr");
    p.next("expr");
    const args: EvalExpr[] = [left];
    for (;;) {
      args.push(parseConcat(p, depth + 1));
      if (!p.eat("comma", "expr")) break;
    }
    const close = p.expect("rparen", "expr", "',' or ')' in the IN list");
    return { kind: "call", name: "in", args, span: span(left.span.start, close.end) };
  }
  return left;
}

function parseConcat(p: Parser, depth: number): EvalExpr {
  let left = parseProduct(p, depth);
  for (;;) {
    const t = p.peek("expr");
    if (t.kind !== "op" || (t.text !== "+" && t.text !== "-" && t.text !== ".")) return left;
    p.next("expr");
    left = bin(t.text as BinaryOp, left, parseProduct(p, depth));
  }
}

function parseProduct(p: Parser, depth: number): EvalExpr {
  let left = parseUnary(p, depth);
  for (;;) {
    const t = p.peek("expr");
    if (t.kind !== "op" || (t.text !== "*" && t.text !== "/" && t.text !== "%")) return left;
    p.next("expr");
    left = bin(t.text as BinaryOp, left, parseUnary(p, depth));
  }
}

function parseUnary(p: Parser, depth: number): EvalExpr {
  const t = p.peek("expr");
  if (t.kind === "op" && t.text === "-") {
    p.next("expr");
    const operand = parseUnary(p, depth);
    if (operand.kind === "number") {
      return {
        kind: "number",
        value: -operand.value,
        text: `-${operand.text}`,
        span: span(t.start, operand.span.end),
      };
    }
    return { kind: "unary", op: "-", operand, span: span(t.start, operand.span.end) };
  }
  return parsePrimary(p, depth);
}

function parsePrimary(p: Parser, depth: number): EvalExpr {
  const t = p.peek("expr");
  switch (t.kind) {
    case "number":
      p.next("expr");
      return { kind: "number", value: Number(t.text), text: t.text, span: span(t.start, t.end) };
    case "string":
      p.next("expr");
      return { kind: "string", value: t.value, span: span(t.start, t.end) };
    case "field":
      p.next("expr");
      return { kind: "field", name: t.value, span: span(t.start, t.end) };
    case "lparen": {
      if (depth > 200) p.error("expression nested too deeply", t);
      p.next("expr");
      const inner = parseOr(p, depth + 1);
      p.expect("rparen", "expr", "')'");
      return inner;
    }
    case "word": {
      p.next("expr");
      if (p.peek("expr").kind === "lparen") {
        p.next("expr");
        const args: EvalExpr[] = [];
        if (p.peek("expr").kind !== "rparen") {
          for (;;) {
            args.push(parseOr(p, depth + 1));
            if (!p.eat("comma", "expr")) break;
          }
        }
        const close = p.expect("rparen", "expr", "',' or ')' in the argument list");
        return { kind: "call", name: t.text, args, span: span(t.start, close.end) };
      }
      return { kind: "field", name: t.text, span: span(t.start, t.end) };
    }
    default:
      return p.unexpected(t, "an expression");
  }
}

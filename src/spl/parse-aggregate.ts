/**
 * Aggregate lists of tstats and stats: `count`, `count(f)`, `values(f) as name`, separated by spaces
 * or commas, until the command ends or one of the stop keywords (`from`, `where`, `by`).
 * The output name defaults to the call as written (`values(Processes.process)`). stats also takes
 * `fn(eval(expression))`.
 */
import type { AggregateNode, EvalExpr } from "./ast.js";
import { parseEvalExpr } from "./parse-eval-expr.js";
import type { Parser } from "./parser.js";
import { span } from "./source.js";

export function parseAggregates(p: Parser, stopWords: readonly string[]): AggregateNode[] {
  const out: AggregateNode[] = [];
  for (;;) {
    if (p.atCommandEnd()) break;
    if (p.eat("comma")) continue;
    const tok = p.peek("search");
    if (tok.kind !== "word") p.unexpected(tok, "an aggregate function such as count or values(field)");
    if (stopWords.includes(tok.text.toLowerCase())) break;
    if (p.atOption()) break;
    p.next("search");
    const fn = tok.text.toLowerCase();
    let field: string | undefined;
    let expr: EvalExpr | undefined;
    let end = tok.end;
    if (p.peek("search").kind === "lparen") {
      p.next("search");
      const arg = p.peek("search");
      if (arg.kind === "word" && arg.text.toLowerCase() === "eval" && p.peek2("search").kind === "lparen") {
        p.next("search");
        p.next("search");
        expr = parseEvalExpr(p);
        p.expect("rparen", "expr", "')' after the eval expression");
      } else {
        field = p.parseFieldName(`a field name inside ${tok.text}(...)`).name;
      }
      end = p.expect("rparen", "search", "')'").end;
    }
    let as = p.text.slice(tok.start, end);
    const explicitAs = p.isWord("as");
    if (p.eatWord("as")) {
      // read like a value, so a name such as `aceFlags(inheritance)` is one name
      const name = p.peek("value");
      if (name.kind !== "word" && name.kind !== "string") p.unexpected(name, "a name after 'as'");
      p.next("value");
      as = name.value;
      end = name.end;
    }
    out.push({ fn, field, expr, as, explicitAs, span: span(tok.start, end) });
  }
  return out;
}

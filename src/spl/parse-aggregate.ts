/**
 * Aggregate lists of tstats and stats: `count`, `count(f)`, `values(f) as name`, separated by spaces
 * or commas, until the command ends or one of the stop keywords (`from`, `where`, `by`).
 * The output name defaults to the call as written (`values(Processes.process)`).
 */
import type { AggregateNode } from "./ast.js";
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
    let end = tok.end;
    if (p.peek("search").kind === "lparen") {
      p.next("search");
      const arg = p.peek("search");
      if (arg.kind === "word" && arg.text.toLowerCase() === "eval" && p.peek2("search").kind === "lparen") {
        p.unsupported(`${fn}(eval(...)) is not supported`, span(tok.start, arg.end));
      }
      field = p.parseFieldName(`a field name inside ${tok.text}(...)`).name;
      end = p.expect("rparen", "search", "')'").end;
    }
    let as = p.text.slice(tok.start, end);
    const explicitAs = p.isWord("as");
    if (p.eatWord("as")) {
      const name = p.parseFieldName("a name after 'as'");
      as = name.name;
      end = name.span.end;
    }
    out.push({ fn, field, as, explicitAs, span: span(tok.start, end) });
  }
  return out;
}

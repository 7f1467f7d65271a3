/**
 * Pipeline grammar: `[|] command args ( | command args )*`. A search that does not start with `|` and
 * whose first word is not a command name is an implicit `search`. Subsearches `[ ... ]` are parsed by
 * the commands that take them (join) through `parseSubsearch`.
 */
import type { CommandNode, Pipeline } from "./ast.js";
import { commandSpec } from "./commands/registry.js";
import { Parser } from "./parser.js";
import { span } from "./source.js";

export function parsePipeline(text: string): Pipeline {
  const p = new Parser(text);
  p.parseSubsearch = parseSubsearch;
  const pipeline = parsePipelineAt(p);
  const end = p.peek("search");
  if (end.kind !== "eof") p.unexpected(end, "'|' or the end of the search");
  return pipeline;
}

/** Parses `[ pipeline ]` at the parser's position. */
export function parseSubsearch(p: Parser): Pipeline {
  p.expect("lbracket", "search", "'[' to start a subsearch");
  const inner = parsePipelineAt(p);
  p.expect("rbracket", "search", "']' to end the subsearch");
  return inner;
}

function parsePipelineAt(p: Parser): Pipeline {
  const first = p.peek("search");
  const leadingPipe = first.kind === "pipe";
  if (leadingPipe) p.next("search");
  const commands: CommandNode[] = [];
  let implicitSearch = !leadingPipe;
  for (;;) {
    const tok = p.peek("search");
    if (tok.kind !== "word" && !implicitSearch) p.unexpected(tok, "a command name");
    const explicit = tok.kind === "word" ? commandSpec(tok.text) : undefined;
    if (implicitSearch && !(explicit && tok.text.toLowerCase() === "search")) {
      const search = commandSpec("search");
      if (!search) throw new Error("internal error: search command missing");
      commands.push(search.parse(p, { ...tok, end: tok.start }));
    } else {
      p.next("search");
      if (!explicit) p.unsupported(`command '${tok.text}'`, tok);
      commands.push(explicit.parse(p, tok));
    }
    implicitSearch = false;
    if (!p.eat("pipe")) break;
  }
  return {
    commands,
    leadingPipe,
    span: span(first.start, commands[commands.length - 1].span.end),
  };
}

/**
 * Macro expansion and comment removal: the text pass before lexing (SEMANTICS §2).
 *
 * Design notes:
 * - `` `name` `` and `` `name(a, "b,c")` `` call a macro keyed by name and arity; arguments are split on
 *   commas outside double quotes, trimmed, and one pair of surrounding double quotes is removed.
 *   `$arg$` in the definition is replaced by the argument; other `$x$` text is left alone.
 * - The expansion is recursive (a definition may call macros) with a depth limit and cycle check.
 * - ```` ```comment``` ```` is an SPL comment and is removed (also inside definitions).
 * - The pass is textual, as Splunk's is: backticks inside double quotes are still macro calls; a
 *   backtick that does not start a well-formed call (`name` or `name(args)`) is literal text.
 * - `origins` records, for each expanded macro, the range it occupies in the output, so a later error
 *   can name the macro its text came from (the innermost range containing the offset).
 */
import { SplError, span } from "../source.js";
import type { MacroTable } from "../types.js";

export interface MacroOrigin {
  readonly start: number;
  readonly end: number;
  /** Macro name with arity, e.g. `security_content_ctime(1)` or `process_net`. */
  readonly macro: string;
}

export interface Expansion {
  readonly text: string;
  readonly origins: readonly MacroOrigin[];
  readonly errors: readonly SplError[];
}

export const MAX_MACRO_DEPTH = 20;

export function expandMacros(text: string, macros: MacroTable): Expansion {
  const state: State = { out: "", origins: [], errors: [], macros };
  expandInto(state, text, 0, []);
  return { text: state.out, origins: state.origins, errors: state.errors };
}

/** The macro (innermost first) whose expansion produced the text at `offset`, if any. */
export function macroAt(origins: readonly MacroOrigin[], offset: number): string | undefined {
  let best: MacroOrigin | undefined;
  for (const o of origins) {
    if (offset >= o.start && offset < o.end && (!best || o.end - o.start <= best.end - best.start)) best = o;
  }
  return best?.macro;
}

interface State {
  out: string;
  origins: MacroOrigin[];
  errors: SplError[];
  macros: MacroTable;
}

function expandInto(state: State, text: string, depth: number, chain: string[]): void {
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c !== "`") {
      const next = text.indexOf("`", i);
      const stop = next < 0 ? text.length : next;
      state.out += text.slice(i, stop);
      i = stop;
      continue;
    }
    if (text.startsWith("```", i)) {
      const close = text.indexOf("```", i + 3);
      if (close < 0) {
        const at = state.out.length;
        state.errors.push(
          new SplError("spl-syntax", "unterminated comment (```)", span(at, at + 3), chain.at(-1)),
        );
        return;
      }
      i = close + 3;
      continue;
    }
    const close = text.indexOf("`", i + 1);
    const at = state.out.length;
    if (close < 0) {
      // A lone backtick (e.g. inside a quoted string) is literal text.
      state.out += "`";
      i++;
      continue;
    }
    const call = parseCall(text.slice(i + 1, close));
    if (!call) {
      // Not a macro call (e.g. a backtick inside a quoted string): the backtick is literal text.
      state.out += "`";
      i++;
      continue;
    }
    i = close + 1;
    const key = call.args.length > 0 ? `${call.name}(${call.args.length})` : call.name;
    const def = state.macros.get(call.name, call.args.length);
    if (!def) {
      state.errors.push(
        new SplError("spl-unknown-macro", `unknown macro \`${key}\``, span(at, at + 1), chain.at(-1)),
      );
      continue;
    }
    if (chain.includes(key)) {
      state.errors.push(
        new SplError(
          "spl-syntax",
          `macro \`${key}\` calls itself (${[...chain, key].join(" → ")})`,
          span(at, at + 1),
          chain.at(-1),
        ),
      );
      continue;
    }
    if (depth >= MAX_MACRO_DEPTH) {
      state.errors.push(
        new SplError(
          "spl-syntax",
          `macros nested deeper than ${MAX_MACRO_DEPTH} at \`${key}\``,
          span(at, at + 1),
          chain.at(-1),
        ),
      );
      continue;
    }
    let body = def.definition;
    def.args.forEach((name, k) => {
      body = body.split(`$${name}$`).join(call.args[k]);
    });
    expandInto(state, body, depth + 1, [...chain, key]);
    state.origins.push({ start: at, end: state.out.length, macro: key });
  }
}

function parseCall(inner: string): { name: string; args: string[] } | undefined {
  const m = /^\s*([A-Za-z0-9_][A-Za-z0-9_\-.:]*)\s*(?:\(([\s\S]*)\))?\s*$/.exec(inner);
  if (!m) return undefined;
  const name = m[1];
  if (m[2] === undefined) return { name, args: [] };
  if (m[2].trim() === "") return { name, args: [] };
  return { name, args: splitArgs(m[2]) };
}

/** Splits on commas outside double quotes; trims; removes one pair of surrounding quotes. */
function splitArgs(s: string): string[] {
  const args: string[] = [];
  let cur = "";
  let inQuote = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inQuote && c === "\\" && i + 1 < s.length) {
      cur += c + s[i + 1];
      i++;
      continue;
    }
    if (c === '"') inQuote = !inQuote;
    if (c === "," && !inQuote) {
      args.push(cleanArg(cur));
      cur = "";
      continue;
    }
    cur += c;
  }
  args.push(cleanArg(cur));
  return args;
}

function cleanArg(a: string): string {
  const t = a.trim();
  if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) return t.slice(1, -1);
  return t;
}

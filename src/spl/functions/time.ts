/**
 * Time functions (issue 4): now time strftime strptime relative_time. UTC throughout.
 *
 * - `now()` is the search time: fixed when the run starts, the same for every row.
 * - `time()` is the wall-clock time when the row is evaluated.
 * - A literal format is checked when the search is compiled.
 */
import { toNum, toStr } from "../exec/eval-value.js";
import { compileStrftime, type TimeFormatter } from "../exec/strftime.js";
import { compileStrptime, relativeTime, type TimeParser } from "../exec/time-parse.js";
import { type Span, SplError } from "../source.js";
import { type FunctionTable, lenient, literalString } from "./function-spec.js";

/**
 * A format string compiled once (the first 100 distinct formats are kept); a format we cannot compile is
 * unsupported SPL at the function's position.
 */
function formatCache<T>(compile: (fmt: string) => T | { error: string }, at: Span): (fmt: string) => T {
  const cache = new Map<string, T>();
  return (fmt) => {
    let c = cache.get(fmt);
    if (c === undefined) {
      const r = compile(fmt);
      if (typeof r === "object" && r !== null && "error" in r)
        throw new SplError("spl-unsupported", r.error, at);
      c = r as T;
      if (cache.size < 100) cache.set(fmt, c);
    }
    return c;
  };
}

export const TIME_FUNCTIONS: FunctionTable = {
  now: {
    min: 0,
    max: 0,
    compile(_a, _n, env) {
      return () => env.clock.now;
    },
  },
  time: lenient(0, 0, () => Date.now() / 1000),
  strftime: {
    min: 2,
    max: 2,
    compile([t, f], nodes, _env, at) {
      const get = formatCache<TimeFormatter>(compileStrftime, at);
      const lit = literalString(nodes[1]);
      if (lit !== undefined) get(lit);
      return (r) => {
        const n = toNum(t(r));
        const fmt = toStr(f(r));
        if (n === null || fmt === null) return null;
        return get(fmt)(n);
      };
    },
  },
  strptime: {
    min: 2,
    max: 2,
    compile([s, f], nodes, _env, at) {
      const get = formatCache<TimeParser>(compileStrptime, at);
      const lit = literalString(nodes[1]);
      if (lit !== undefined) get(lit);
      return (r) => {
        const text = toStr(s(r));
        const fmt = toStr(f(r));
        if (text === null || fmt === null) return null;
        return get(fmt)(text) ?? null;
      };
    },
  },
  relative_time: {
    min: 2,
    max: 2,
    compile([t, m]) {
      return (r) => {
        const n = toNum(t(r));
        const mod = toStr(m(r));
        if (n === null || mod === null) return null;
        return relativeTime(n, mod) ?? null;
      };
    },
  },
};

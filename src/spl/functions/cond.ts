/**
 * Conditional and test functions (issue 4): if case coalesce validate nullif isnull isnotnull isnum
 * isstr isint typeof null true false in like match.
 *
 * - `like(x, pattern)`: SQL LIKE, `%` any run, `_` one character, case-sensitive, whole value.
 * - `match(x, regex)`: the regex found anywhere in the value (unanchored), case-sensitive.
 * - With a multivalue, `like`, `match` and `in` are true when any value satisfies them.
 * - `in(x, v1, v2, …)`: case-sensitive equality with any listed value.
 * - A regex given as a literal is compiled once; an invalid one is a compile error.
 */
import type { EvalValue } from "../exec/eval-value.js";
import { isTrue, listOf, toNum, toStr } from "../exec/eval-value.js";
import { compilePcre } from "../exec/pcre.js";
import { escapeRegExp } from "../exec/wildcard.js";
import { SplError } from "../source.js";
import { type Compiled, type EvalEnv, type FunctionTable, lenient, literalString } from "./function-spec.js";

export function likeToRegExp(pattern: string): RegExp {
  let src = "";
  for (const c of pattern) src += c === "%" ? ".*" : c === "_" ? "." : escapeRegExp(c);
  return new RegExp(`^${src}$`, "s");
}

function anyText(v: EvalValue, test: (s: string) => boolean): boolean {
  for (const x of listOf(v)) if (test(typeof x === "number" ? (toStr(x) ?? "") : x)) return true;
  return false;
}

/**
 * Compiles a pattern argument once when it is a literal (an invalid one is a compile error), else
 * per distinct text; an invalid pattern built from data is reported through `env.warn` and the
 * function gives null for that row.
 */
export function patternArg(
  node: Parameters<typeof literalString>[0],
  arg: Compiled,
  make: (p: string) => RegExp,
  env: EvalEnv,
): (row: Parameters<Compiled>[0]) => RegExp | null {
  const lit = literalString(node);
  if (lit !== undefined) {
    const re = make(lit);
    return () => re;
  }
  const cache = new Map<string, RegExp | null>();
  return (r) => {
    const p = toStr(arg(r));
    if (p === null) return null;
    let re = cache.get(p);
    if (re === undefined) {
      try {
        re = make(p);
      } catch (e) {
        if (!(e instanceof SplError)) throw e;
        env.warn(
          new SplError("spl-runtime", `${e.message} (pattern ${JSON.stringify(p)} built from data)`, e.at),
        );
        re = null;
      }
      if (cache.size < 1000) cache.set(p, re);
    }
    return re;
  };
}

export function regexMaker(at: { start: number; end: number }): (p: string) => RegExp {
  return (p) => {
    const r = compilePcre(p);
    if (!r.regex) throw new SplError("spl-unsupported", r.error ?? "invalid regex", at);
    return r.regex;
  };
}

function typeOf(v: EvalValue): string {
  if (v === null) return "Invalid";
  if (Array.isArray(v)) return "Multivalue";
  if (typeof v === "boolean") return "Boolean";
  if (typeof v === "number") return "Number";
  return toNum(v) !== null ? "Number" : "String";
}

export const COND_FUNCTIONS: FunctionTable = {
  if: {
    min: 3,
    max: 3,
    compile([c, a, b]) {
      return (r) => (isTrue(c(r)) ? a(r) : b(r));
    },
  },
  case: {
    min: 2,
    max: 200,
    compile(args, _nodes, _env, at) {
      if (args.length % 2 !== 0) throw new SplError("spl-syntax", "case() takes condition/value pairs", at);
      return (r) => {
        for (let i = 0; i < args.length; i += 2) if (isTrue(args[i](r))) return args[i + 1](r);
        return null;
      };
    },
  },
  validate: {
    min: 2,
    max: 200,
    compile(args, _nodes, _env, at) {
      if (args.length % 2 !== 0)
        throw new SplError("spl-syntax", "validate() takes condition/value pairs", at);
      return (r) => {
        for (let i = 0; i < args.length; i += 2) if (!isTrue(args[i](r))) return args[i + 1](r);
        return null;
      };
    },
  },
  coalesce: {
    min: 1,
    max: 200,
    compile(args) {
      return (r) => {
        for (const a of args) {
          const v = a(r);
          if (v !== null) return v;
        }
        return null;
      };
    },
  },
  nullif: lenient(2, 2, (a, b) => (a !== null && b !== null && toStr(a) === toStr(b) ? null : a)),
  isnull: lenient(1, 1, (v) => v === null),
  isnotnull: lenient(1, 1, (v) => v !== null),
  isnum: lenient(1, 1, (v) => typeof v === "number" || (typeof v === "string" && toNum(v) !== null)),
  isint: lenient(1, 1, (v) => {
    const n = typeof v === "number" || typeof v === "string" ? toNum(v) : null;
    return n !== null && Number.isInteger(n);
  }),
  isstr: lenient(1, 1, (v) => typeof v === "string" && toNum(v) === null),
  typeof: lenient(1, 1, typeOf),
  null: lenient(0, 0, () => null),
  true: lenient(0, 0, () => true),
  false: lenient(0, 0, () => false),
  in: {
    min: 2,
    max: 1000,
    compile([x, ...list]) {
      return (r) => {
        const wanted = new Set(list.map((a) => toStr(a(r))));
        return anyText(x(r), (s) => wanted.has(s));
      };
    },
  },
  like: {
    min: 2,
    max: 2,
    compile([x, p], nodes, env) {
      const re = patternArg(nodes[1], p, likeToRegExp, env);
      return (r) => {
        const v = x(r);
        const rx = re(r);
        if (v === null || rx === null) return null;
        return anyText(v, (s) => rx.test(s));
      };
    },
  },
  match: {
    min: 2,
    max: 2,
    compile([x, p], nodes, env, at) {
      const re = patternArg(nodes[1], p, regexMaker(at), env);
      return (r) => {
        const v = x(r);
        const rx = re(r);
        if (v === null || rx === null) return null;
        return anyText(v, (s) => {
          rx.lastIndex = 0;
          return rx.test(s);
        });
      };
    },
  },
};

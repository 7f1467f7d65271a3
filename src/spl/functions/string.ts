/**
 * String functions (issue 4): lower upper len substr replace trim ltrim rtrim split urldecode tostring
 * tonumber md5 sha1 sha256 sha512.
 *
 * - Case-sensitive; `len` counts characters (code points).
 * - `substr(s, start[, n])`: 1-based; a negative start counts from the end (`substr("string",-3)` =
 *   "ing"); 0 acts as 1.
 * - `replace(s, regex, repl)`: every match; `\1`… in `repl` are groups.
 * - `trim(s[, chars])`: default removes spaces, tabs, CR and LF.
 * - `split(s, sep)`: a multivalue (one value → single value); an empty separator splits characters.
 * - `tostring(x)`: numbers as Splunk prints them; `tostring(x, "hex"|"commas"|"duration")`.
 * - `tonumber(s[, base])`: null when the text is not a number in that base.
 * - A multivalue argument gives null (scalar functions).
 */
import { createHash } from "node:crypto";
import { toNum, toStr } from "../exec/eval-value.js";
import { SplError } from "../source.js";
import { patternArg, regexMaker } from "./cond.js";
import { type FunctionTable, strict } from "./function-spec.js";

function str1(f: (s: string) => string | number | null): FunctionTable[string] {
  return strict(1, 1, (v) => {
    const s = toStr(v);
    return s === null ? null : f(s);
  });
}

function trimmer(mode: "both" | "left" | "right"): FunctionTable[string] {
  return strict(1, 2, (v, chars) => {
    const s = toStr(v);
    if (s === null) return null;
    const set = new Set(chars === undefined ? [" ", "\t", "\r", "\n"] : [...(toStr(chars) ?? "")]);
    const cs = [...s];
    let a = 0;
    let b = cs.length;
    if (mode !== "right") while (a < b && set.has(cs[a])) a++;
    if (mode !== "left") while (b > a && set.has(cs[b - 1])) b--;
    return cs.slice(a, b).join("");
  });
}

function hash(alg: string): FunctionTable[string] {
  return str1((s) => createHash(alg).update(s, "utf8").digest("hex"));
}

function urldecode(s: string): string {
  return s.replace(/(?:%[0-9A-Fa-f]{2})+/g, (m) => {
    try {
      return decodeURIComponent(m);
    } catch {
      return m;
    }
  });
}

function withCommas(n: number): string {
  const fixed = Number.isInteger(n) ? n.toFixed(0) : (Math.round(n * 100) / 100).toFixed(2);
  const [int, frac] = fixed.split(".");
  const sign = int.startsWith("-") ? "-" : "";
  const digits = sign ? int.slice(1) : int;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return sign + grouped + (frac ? `.${frac}` : "");
}

function duration(n: number): string {
  const total = Math.floor(Math.abs(n));
  const days = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const p = (x: number) => String(x).padStart(2, "0");
  return `${n < 0 ? "-" : ""}${days > 0 ? `${days}+` : ""}${p(h)}:${p(m)}:${p(s)}`;
}

export const STRING_FUNCTIONS: FunctionTable = {
  lower: str1((s) => s.toLowerCase()),
  upper: str1((s) => s.toUpperCase()),
  len: str1((s) => [...s].length),
  urldecode: str1(urldecode),
  md5: hash("md5"),
  sha1: hash("sha1"),
  sha256: hash("sha256"),
  sha512: hash("sha512"),
  trim: trimmer("both"),
  ltrim: trimmer("left"),
  rtrim: trimmer("right"),
  substr: strict(2, 3, (v, start, n) => {
    const s = toStr(v);
    const st = toNum(start);
    if (s === null || st === null) return null;
    const cs = [...s];
    let from = Math.trunc(st);
    from = from < 0 ? Math.max(cs.length + from, 0) : Math.max(from - 1, 0);
    if (n === undefined) return cs.slice(from).join("");
    const len = toNum(n);
    if (len === null || len < 0) return null;
    return cs.slice(from, from + Math.trunc(len)).join("");
  }),
  split: strict(2, 2, (v, sep) => {
    const s = toStr(v);
    const d = toStr(sep);
    if (s === null || d === null) return null;
    const parts = d === "" ? [...s] : s.split(d);
    return parts.length === 1 ? parts[0] : parts;
  }),
  replace: {
    min: 3,
    max: 3,
    compile([x, p, rep], nodes, env, at) {
      const re = patternArg(
        nodes[1],
        p,
        (src) => {
          const r = regexMaker(at)(src);
          return new RegExp(r.source, r.flags.includes("g") ? r.flags : `${r.flags}g`);
        },
        env,
      );
      return (r) => {
        const s = toStr(x(r));
        const rx = re(r);
        const repl = toStr(rep(r));
        if (s === null || rx === null || repl === null) return null;
        const jsRepl = repl.replace(/\$/g, "$$$$").replace(/\\(\d)/g, "$$$1");
        return s.replace(rx, jsRepl);
      };
    },
  },
  tostring: {
    min: 1,
    max: 2,
    compile([x, fmt], _nodes, _env, at) {
      return (r) => {
        const v = x(r);
        if (v === null || Array.isArray(v)) return null;
        if (fmt === undefined) return typeof v === "boolean" ? (v ? "True" : "False") : toStr(v);
        const f = toStr(fmt(r));
        const n = toNum(v);
        if (n === null) return toStr(v);
        switch (f) {
          case "hex":
            return `0x${Math.trunc(n).toString(16)}`;
          case "commas":
            return withCommas(n);
          case "duration":
            return duration(n);
          default:
            throw new SplError("spl-unsupported", `tostring format '${f}'`, at);
        }
      };
    },
  },
  tonumber: strict(1, 2, (v, base) => {
    if (typeof v === "number") return v;
    const s = toStr(v);
    if (s === null) return null;
    if (base === undefined) return toNum(s);
    const b = toNum(base);
    if (b === null || b < 2 || b > 36) return null;
    const t = s
      .trim()
      .toLowerCase()
      .replace(b === 16 ? /^0x/ : /^$/, "");
    const digits = "0123456789abcdefghijklmnopqrstuvwxyz".slice(0, b);
    if (t === "" || ![...t].every((c) => digits.includes(c))) return null;
    return Number.parseInt(t, b);
  }),
};

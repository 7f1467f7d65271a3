/**
 * Math functions (issue 4): abs ceil ceiling floor round sqrt pow exp ln log pi exact min max.
 *
 * - Arguments are numbers or numeric text; anything else gives null.
 * - `round(x[, n])` rounds half away from zero (`round(2.5)` = 3, `round(-2.5)` = -3).
 * - `min(...)`/`max(...)` over all values of all arguments: numbers compare numerically and text
 *   lexicographically; for `max` any text is greater than any number, for `min` any number is smaller.
 */
import type { EvalValue } from "../exec/eval-value.js";
import { listOf, toNum } from "../exec/eval-value.js";
import { asNumber } from "../exec/values.js";
import type { Scalar } from "../types.js";
import { type FunctionTable, lenient, strict } from "./function-spec.js";

function num1(f: (n: number) => number): FunctionTable[string] {
  return strict(1, 1, (v) => {
    const n = toNum(v);
    if (n === null) return null;
    const out = f(n);
    return Number.isFinite(out) ? out : null;
  });
}

function roundHalfAway(n: number, digits: number): number {
  const f = 10 ** digits;
  const scaled = Math.abs(n) * f;
  const r = Math.round(Number(scaled.toPrecision(15))) / f;
  return n < 0 ? -r : r;
}

function extreme(sign: 1 | -1): FunctionTable[string] {
  return lenient(1, 1000, (...args: EvalValue[]) => {
    let best: Scalar | undefined;
    const rank = (x: Scalar): [number, number | string] => {
      const n = typeof x === "number" ? x : asNumber(x);
      return n !== undefined ? [0, n] : [1, String(x)];
    };
    for (const a of args) {
      for (const x of listOf(a)) {
        if (best === undefined) {
          best = x;
          continue;
        }
        const [ka, va] = rank(x);
        const [kb, vb] = rank(best);
        const c = ka !== kb ? ka - kb : va < vb ? -1 : va > vb ? 1 : 0;
        if (c * sign > 0) best = x;
      }
    }
    return best ?? null;
  });
}

export const MATH_FUNCTIONS: FunctionTable = {
  abs: num1(Math.abs),
  ceil: num1(Math.ceil),
  ceiling: num1(Math.ceil),
  floor: num1(Math.floor),
  sqrt: num1(Math.sqrt),
  exp: num1(Math.exp),
  ln: num1(Math.log),
  exact: strict(1, 1, (v) => v),
  pi: lenient(0, 0, () => Math.PI),
  round: strict(1, 2, (v, d) => {
    const n = toNum(v);
    const digits = d === undefined ? 0 : toNum(d);
    if (n === null || digits === null) return null;
    return roundHalfAway(n, Math.trunc(digits));
  }),
  pow: strict(2, 2, (a, b) => {
    const x = toNum(a);
    const y = toNum(b);
    if (x === null || y === null) return null;
    const r = x ** y;
    return Number.isFinite(r) ? r : null;
  }),
  log: strict(1, 2, (v, base) => {
    const n = toNum(v);
    const b = base === undefined ? 10 : toNum(base);
    if (n === null || b === null || n <= 0 || b <= 0 || b === 1) return null;
    return Math.log(n) / Math.log(b);
  }),
  min: extreme(-1),
  max: extreme(1),
};

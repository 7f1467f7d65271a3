/**
 * Multivalue functions (issue 4): mvcount mvindex mvjoin mvfilter mvappend mvdedup mvsort mvzip mvfind.
 *
 * - A scalar is a one-value multivalue; null has no values (`mvcount(null)` is null).
 * - `mvindex(mv, start[, end])`: 0-based, negative from the end, `end` inclusive.
 * - `mvfilter(expr)`: keeps the values of the one field named in `expr` for which it is true.
 * - `mvsort`: lexicographic; `mvdedup`: first occurrence kept.
 * - `mvfind(mv, regex)`: index of the first matching value, else null.
 */
import type { EvalExpr } from "../ast.js";
import { fromList, isTrue, listOf, toNum, toStr } from "../exec/eval-value.js";
import { fieldValue } from "../exec/row-field.js";
import { compareText, scalarToString } from "../exec/values.js";
import { SplError } from "../source.js";
import type { Scalar } from "../types.js";
import { patternArg, regexMaker } from "./cond.js";
import { type FunctionTable, lenient, strict } from "./function-spec.js";

function fieldsIn(e: EvalExpr, out: Set<string>): Set<string> {
  switch (e.kind) {
    case "field":
      out.add(e.name);
      break;
    case "call":
      for (const a of e.args) fieldsIn(a, out);
      break;
    case "unary":
      fieldsIn(e.operand, out);
      break;
    case "binary":
      fieldsIn(e.left, out);
      fieldsIn(e.right, out);
      break;
  }
  return out;
}

export const MV_FUNCTIONS: FunctionTable = {
  mvcount: strict(1, 1, (v) => listOf(v).length),
  mvjoin: strict(2, 2, (v, sep) => {
    const d = toStr(sep);
    if (d === null) return null;
    return listOf(v).map(scalarToString).join(d);
  }),
  mvindex: strict(2, 3, (v, s, e) => {
    const list = listOf(v);
    const n = list.length;
    const start = toNum(s);
    if (start === null) return null;
    const a = start < 0 ? n + start : start;
    if (a < 0 || a >= n) return null;
    if (e === undefined) return list[a];
    const end = toNum(e);
    if (end === null) return null;
    const b = Math.min(end < 0 ? n + end : end, n - 1);
    if (b < a) return null;
    return fromList(list.slice(a, b + 1));
  }),
  mvappend: lenient(1, 1000, (...args) => {
    const out: Scalar[] = [];
    for (const a of args) out.push(...listOf(a));
    return fromList(out);
  }),
  mvdedup: strict(1, 1, (v) => fromList([...new Set(listOf(v))])),
  mvsort: strict(1, 1, (v) =>
    fromList([...listOf(v)].sort((a, b) => compareText(scalarToString(a), scalarToString(b)))),
  ),
  mvzip: strict(2, 3, (a, b, d) => {
    const la = listOf(a);
    const lb = listOf(b);
    const sep = d === undefined ? "," : toStr(d);
    if (sep === null) return null;
    const n = Math.min(la.length, lb.length);
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(`${scalarToString(la[i])}${sep}${scalarToString(lb[i])}`);
    return fromList(out);
  }),
  mvfind: {
    min: 2,
    max: 2,
    compile([x, p], nodes, env, at) {
      const re = patternArg(nodes[1], p, regexMaker(at), env);
      return (r) => {
        const rx = re(r);
        const v = x(r);
        if (rx === null || v === null) return null;
        const list = listOf(v);
        for (let i = 0; i < list.length; i++) {
          rx.lastIndex = 0;
          if (rx.test(scalarToString(list[i]))) return i;
        }
        return null;
      };
    },
  },
  mvfilter: {
    min: 1,
    max: 1,
    compile(_args, nodes, env, at) {
      const fields = fieldsIn(nodes[0], new Set());
      if (fields.size !== 1) {
        throw new SplError("spl-syntax", "mvfilter() must refer to exactly one field", at);
      }
      const [field] = fields;
      const pred = env.compile(nodes[0]);
      return (r) => {
        const kept: Scalar[] = [];
        const values = fieldValue(r, field);
        for (const v of listOf(values === undefined ? null : (values as Scalar | readonly Scalar[] | null))) {
          if (isTrue(pred({ ...r, [field]: v }))) kept.push(v);
        }
        return fromList(kept);
      };
    },
  },
};

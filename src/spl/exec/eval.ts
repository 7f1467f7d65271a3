/**
 * Compiles an eval expression to a closure over a row (no AST walking per row). Semantics in
 * `eval-value.ts` (types, null, multivalue, comparisons) and the function files in `functions/`.
 *
 * Operators: `AND OR XOR NOT` on booleans (null counts as false); comparisons `= == != < <= > >=`
 * (numeric when both sides are numeric, else case-sensitive text; any value of a multivalue);
 * `LIKE`; `+` adds numbers and concatenates text; `- * / %` numeric (division by zero → null);
 * `.` concatenates text (numbers printed as Splunk prints them). Null propagates through arithmetic
 * and `.`.
 */
import type { EvalExpr } from "../ast.js";
import { likeToRegExp } from "../functions/cond.js";
import type { Compiled, EvalEnv, RunState } from "../functions/function-spec.js";
import { evalFunction } from "../functions/registry.js";
import { SplError } from "../source.js";
import { anyCompare, type EvalValue, fromField, isMv, isTrue, listOf, toNum, toStr } from "./eval-value.js";
import { fieldReader } from "./row-field.js";
import { scalarToString } from "./values.js";

export function compileEval(expr: EvalExpr, clock: RunState): Compiled {
  const env: EvalEnv = { clock, warn: (e) => clock.warnings.push(e), compile: (e) => compileNode(e, env) };
  return compileNode(expr, env);
}

function compileNode(e: EvalExpr, env: EvalEnv): Compiled {
  switch (e.kind) {
    case "number": {
      const v = e.value;
      return () => v;
    }
    case "string": {
      const v = e.value;
      return () => v;
    }
    case "field": {
      const get = fieldReader(e.name);
      return (r) => fromField(get(r));
    }
    case "call": {
      const spec = evalFunction(e.name);
      if (!spec) throw new SplError("spl-unsupported", `eval function '${e.name}'`, e.span);
      if (e.args.length < spec.min || e.args.length > spec.max) {
        const want = spec.min === spec.max ? `${spec.min}` : `${spec.min} to ${spec.max}`;
        throw new SplError("spl-syntax", `${e.name}() takes ${want} arguments, got ${e.args.length}`, e.span);
      }
      const args = e.name.toLowerCase() === "mvfilter" ? [] : e.args.map((a) => compileNode(a, env));
      return spec.compile(args, e.args, env, e.span);
    }
    case "unary": {
      const f = compileNode(e.operand, env);
      if (e.op === "NOT") return (r) => !isTrue(f(r));
      return (r) => {
        const n = toNum(f(r));
        return n === null ? null : -n;
      };
    }
    case "binary":
      return compileBinary(e.op, compileNode(e.left, env), compileNode(e.right, env), e.right);
  }
}

function compileBinary(
  op: Extract<EvalExpr, { kind: "binary" }>["op"],
  a: Compiled,
  b: Compiled,
  rightNode: EvalExpr,
): Compiled {
  switch (op) {
    case "AND":
      return (r) => isTrue(a(r)) && isTrue(b(r));
    case "OR":
      return (r) => isTrue(a(r)) || isTrue(b(r));
    case "XOR":
      return (r) => isTrue(a(r)) !== isTrue(b(r));
    case "=":
    case "==":
      return (r) => anyCompare(a(r), b(r), (c) => c === 0);
    case "!=":
      return (r) => anyCompare(a(r), b(r), (c) => c !== 0);
    case "<":
      return (r) => anyCompare(a(r), b(r), (c) => c < 0);
    case "<=":
      return (r) => anyCompare(a(r), b(r), (c) => c <= 0);
    case ">":
      return (r) => anyCompare(a(r), b(r), (c) => c > 0);
    case ">=":
      return (r) => anyCompare(a(r), b(r), (c) => c >= 0);
    case "LIKE": {
      const lit = rightNode.kind === "string" ? likeToRegExp(rightNode.value) : undefined;
      return (r) => {
        const v = a(r);
        const p =
          lit ??
          (() => {
            const s = toStr(b(r));
            return s === null ? null : likeToRegExp(s);
          })();
        if (v === null || p === null) return null;
        return listOf(v).some((x) => p.test(scalarToString(x)));
      };
    }
    case ".":
      return (r) => {
        const x = a(r);
        const y = b(r);
        if (x === null || y === null || isMv(x) || isMv(y)) return null;
        return (toStr(x) ?? "") + (toStr(y) ?? "");
      };
    case "+":
      return (r) => {
        const x = a(r);
        const y = b(r);
        if (x === null || y === null || isMv(x) || isMv(y)) return null;
        const nx = toNum(x);
        const ny = toNum(y);
        if (nx !== null && ny !== null) return nx + ny;
        if (typeof x === "string" && typeof y === "string") return x + y;
        return null;
      };
    default:
      return arithmetic(op, a, b);
  }
}

function arithmetic(op: "-" | "*" | "/" | "%", a: Compiled, b: Compiled): Compiled {
  return (r): EvalValue => {
    const x = toNum(a(r));
    const y = toNum(b(r));
    if (x === null || y === null) return null;
    switch (op) {
      case "-":
        return x - y;
      case "*":
        return x * y;
      case "/":
        return y === 0 ? null : x / y;
      case "%":
        return y === 0 ? null : x % y;
    }
  };
}

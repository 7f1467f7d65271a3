/**
 * Values inside eval expressions and their coercions (SEMANTICS §4, issue 4):
 *
 * - A value is a string, a number, a boolean (only as an intermediate: comparisons, `AND`, ...),
 *   a multivalue (array) or null.
 * - Text that is entirely a number is a number wherever a number is wanted ("implicit conversion").
 * - Null propagates: arithmetic, concatenation and most functions return null when an input is null.
 * - Comparisons: numeric when both sides are numeric, else case-sensitive text comparison; with a
 *   multivalue, true when any value satisfies it; with null, false.
 * - In scalar positions (arithmetic, `.`, string functions) a multivalue is null, except where a
 *   function is documented to take multivalues (mv*, match, like, isnull/isnotnull, ...).
 */
import type { FieldValue, Scalar } from "../types.js";
import { asNumber, numberToString } from "./values.js";

export type EvalValue = string | number | boolean | null | readonly Scalar[];

export function fromField(v: FieldValue): EvalValue {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v))
    return v.length === 0 ? null : v.length === 1 ? (v[0] as Scalar) : (v as readonly Scalar[]);
  return v as Scalar;
}

/** What an eval assignment stores: booleans become "true"/"false"... never reached for well-typed SPL. */
export function toField(v: EvalValue): FieldValue {
  if (v === null) return null;
  if (typeof v === "boolean") return v ? "true" : "false";
  return v;
}

export function isMv(v: EvalValue): v is readonly Scalar[] {
  return Array.isArray(v);
}

export function toNum(v: EvalValue): number | null {
  if (typeof v === "number") return Number.isNaN(v) ? null : v;
  if (typeof v === "string") return asNumber(v) ?? null;
  return null;
}

export function toStr(v: EvalValue): string | null {
  if (typeof v === "string") return v;
  if (typeof v === "number") return numberToString(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  return null;
}

/** The values of v as a list: a scalar is one value, null none. */
export function listOf(v: EvalValue): readonly Scalar[] {
  if (v === null) return [];
  if (Array.isArray(v)) return v as readonly Scalar[];
  if (typeof v === "boolean") return [v ? "true" : "false"];
  return [v as Scalar];
}

/** Packs a list back: none → null, one → scalar, more → multivalue. */
export function fromList(list: readonly Scalar[]): EvalValue {
  return list.length === 0 ? null : list.length === 1 ? list[0] : list;
}

/** Compares two scalars: numeric when both are numeric, else by text (case-sensitive). */
export function compareEval(a: Scalar, b: Scalar): number {
  const na = typeof a === "number" ? a : asNumber(a);
  const nb = typeof b === "number" ? b : asNumber(b);
  if (na !== undefined && nb !== undefined) return na < nb ? -1 : na > nb ? 1 : 0;
  const sa = typeof a === "number" ? numberToString(a) : a;
  const sb = typeof b === "number" ? numberToString(b) : b;
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** True when any pair of values satisfies `test(compare(a, b))`. */
export function anyCompare(a: EvalValue, b: EvalValue, test: (c: number) => boolean): boolean {
  if (a === null || b === null) return false;
  const la = typeof a === "boolean" ? [String(a)] : listOf(a);
  const lb = typeof b === "boolean" ? [String(b)] : listOf(b);
  for (const x of la) for (const y of lb) if (test(compareEval(x, y))) return true;
  return false;
}

export function isTrue(v: EvalValue): boolean {
  return v === true;
}

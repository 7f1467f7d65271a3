/**
 * Splunk value semantics shared by the operators: null, multivalue, number recognition, ordering.
 *
 * - `null`/`undefined` and an empty multivalue are "no value".
 * - A value is numeric when it is a number or a string that is entirely a decimal number
 *   (optional sign, digits, optional fraction, optional exponent; surrounding spaces allowed).
 *   Hex text such as `0x1f4c` is not numeric.
 * - Lexicographic order is by UTF-16 code unit (what `<` does on strings), case-sensitive.
 */
import type { FieldValue, Scalar } from "../types.js";

const NUMERIC = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

export function isNull(v: FieldValue): v is null | undefined {
  return v === null || v === undefined || (Array.isArray(v) && v.length === 0);
}

/** The values of a field as a list (empty when null). */
export function valuesOf(v: FieldValue): readonly Scalar[] {
  if (v === null || v === undefined) return [];
  if (Array.isArray(v)) return v as readonly Scalar[];
  return [v as Scalar];
}

/** The number a scalar stands for, or undefined when it is not numeric. */
export function asNumber(v: Scalar): number | undefined {
  if (typeof v === "number") return Number.isNaN(v) ? undefined : v;
  if (!NUMERIC.test(v)) return undefined;
  return Number(v);
}

/** How Splunk shows a number as text: integers without a fraction, others as JS shortest form. */
export function scalarToString(v: Scalar): string {
  return typeof v === "number" ? numberToString(v) : v;
}

export function numberToString(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  return String(n);
}

/** Numeric order when both are numeric, else lexicographic on the text. */
export function compareScalars(a: Scalar, b: Scalar): number {
  const na = asNumber(a);
  const nb = asNumber(b);
  if (na !== undefined && nb !== undefined) return na < nb ? -1 : na > nb ? 1 : 0;
  return compareText(scalarToString(a), scalarToString(b));
}

/**
 * Order of group keys in tstats/stats output: lexicographic on the text (UTF-16 code units), as
 * Splunk's tstats output is sorted; two numbers (e.g. `_time` buckets) compare numerically.
 */
export function compareKeys(a: Scalar, b: Scalar): number {
  if (typeof a === "number" && typeof b === "number") return a < b ? -1 : a > b ? 1 : 0;
  return compareText(scalarToString(a), scalarToString(b));
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A single value, or the array when there are several, or null when there are none. */
export function fromList(list: readonly Scalar[]): FieldValue {
  if (list.length === 0) return null;
  if (list.length === 1) return list[0];
  return list;
}

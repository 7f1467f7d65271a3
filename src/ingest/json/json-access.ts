/**
 * Narrowing helpers for values that came out of `JSON.parse` (typed `unknown`, never `any`). Text comes out
 * well-formed (well-formed.ts): a `\ud800` escape becomes U+FFFD, as in Splunk.
 */
import { wellFormed } from "../well-formed.js";

export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `o.a.b.c` for a dotted path (also accepts a literal dotted key such as `"process.pid"` at any level). */
export function at(o: unknown, path: string): unknown {
  if (!isObject(o)) return undefined;
  if (path in o) return o[path];
  const dot = path.indexOf(".");
  if (dot === -1) return undefined;
  return at(o[path.slice(0, dot)], path.slice(dot + 1));
}

/** A scalar as text: strings as they are, numbers and booleans printed; anything else undefined. */
export function text(v: unknown): string | undefined {
  if (typeof v === "string") return wellFormed(v);
  if (typeof v === "number" || typeof v === "bigint") return String(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  return undefined;
}

/** A value as EventData text: scalars as `text`, null as "", arrays and objects as JSON. */
export function dataText(v: unknown): string {
  const t = text(v);
  if (t !== undefined) return t;
  if (v === null || v === undefined) return "";
  return JSON.stringify(v);
}

/** An integer field that JSON may carry as a number or as decimal text. */
export function int(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isInteger(v) && v >= 0 ? v : undefined;
  if (typeof v === "string" && /^\s*\d{1,15}\s*$/.test(v)) return Number(v);
  return undefined;
}

/**
 * Whether `err` is the engine's stack overflow: a value nested too deeply for the readers' recursive walks (or
 * for JSON.stringify) — thousands of levels, which JSON.parse takes. The value is then one broken record.
 */
export function nestedTooDeeply(err: unknown): boolean {
  return err instanceof RangeError && /call stack/i.test(err.message);
}

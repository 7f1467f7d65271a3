/**
 * How result values leave Winnow: field values as strings, aggregate counts as numbers, multivalue fields as
 * arrays, a missing value as null (JSON) or empty (CSV, table).
 */
import type { FieldValue } from "../spl/index.js";

export type JsonValue = string | number | null | (string | number)[];

export function toJsonValue(v: FieldValue): JsonValue {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) return [...(v as readonly (string | number)[])];
  return v as string | number;
}

/** Text for a table cell or CSV field: multivalue joined with newlines, as Splunk's CSV export does. */
export function toText(v: FieldValue): string {
  if (v === undefined || v === null) return "";
  if (Array.isArray(v)) return (v as readonly (string | number)[]).join("\n");
  return String(v);
}

/**
 * A row's field by a name that comes from the search text or from the data. Rows are plain objects, so a field
 * named like a member of Object.prototype (`toString`, `constructor`, `valueOf`, `hasOwnProperty`, `__proto__`, …)
 * must find only the row's own field — a row without it has no value there, not the inherited member — and
 * `__proto__` must be set as a field of its own: an assignment would set the row's prototype (or, with text,
 * do nothing at all).
 */
import type { FieldValue, Row } from "../types.js";

/** The row's own value of `name` (undefined when it has none). Also for lookup table rows. */
export function fieldValue<T = FieldValue>(row: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(row, name) ? row[name] : undefined;
}

/**
 * A reader of one field named when the search is compiled (the per-record path of tstats and where): a plain
 * property read, unless Object.prototype has the name too.
 */
export function fieldReader(name: string): (row: Readonly<Row>) => FieldValue {
  if (name in Object.prototype) return (row) => fieldValue(row, name);
  return (row) => row[name];
}

/** Sets the row's own field `name`, `__proto__` included. */
export function setField(row: Row, name: string, value: FieldValue): void {
  if (name === "__proto__") {
    Object.defineProperty(row, name, { value, enumerable: true, writable: true, configurable: true });
  } else {
    row[name] = value;
  }
}

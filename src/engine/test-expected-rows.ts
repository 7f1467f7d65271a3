/**
 * Winnow's exact tests: a detection test's `expected:` rows (or `expected_file:`) compared with the
 * search's result rows as an unordered multiset over the fields the expected rows list.
 *
 * Design notes:
 * - The compared fields are the union of the keys of all expected rows; each actual row is projected
 *   onto them. A key an expected row leaves out, or gives as null, means "no value".
 * - Values compare as text, as Splunk shows them: 1 and "1" are equal; a multivalue field is its list of
 *   values in order. Field names match exactly (case-sensitive, as SPL field names are).
 * - An expected file is JSON (an array of rows, an object with `rows`, or a shared-data
 *   `*.expected.json` with `expect.rows`) or JSON lines of row objects (one line: any other object). It is parsed as `unknown` and
 *   checked; a bad file is reported with its name and why, never thrown.
 */
import { readFileSync } from "node:fs";
import { fieldValue, type Row } from "../spl/index.js";

export type ExpectedRow = Record<string, unknown>;

export interface RowsDiff {
  fields: string[];
  /** Expected rows no actual row matched (with multiplicity). */
  missing: ExpectedRow[];
  /** Actual rows (projected) that no expected row matched. */
  unexpected: ExpectedRow[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Checks the inline `expected:` list: every entry must be a mapping. */
export function expectedRowsOf(
  list: readonly unknown[],
  where: string,
): { rows?: ExpectedRow[]; error?: string } {
  const rows: ExpectedRow[] = [];
  for (const [i, r] of list.entries()) {
    if (!isRecord(r)) return { error: `${where}: expected row ${i + 1} is not a mapping of field to value` };
    rows.push(r);
  }
  return { rows };
}

/** Reads an expected-rows file (see the design notes for the shapes accepted). */
export function readExpectedFile(file: string): { rows?: ExpectedRow[]; error?: string } {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    return { error: `expected_file ${file}: ${e instanceof Error ? e.message : String(e)}` };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    // JSON lines: one row object per non-blank line.
    const rows: unknown[] = [];
    const lines = text.split(/\r?\n/);
    for (const [i, line] of lines.entries()) {
      if (line.trim() === "") continue;
      try {
        rows.push(JSON.parse(line));
      } catch (e) {
        return {
          error: `expected_file ${file}: line ${i + 1} is not JSON (${e instanceof Error ? e.message : String(e)})`,
        };
      }
    }
    return expectedRowsOf(rows, `expected_file ${file}`);
  }
  if (Array.isArray(doc)) return expectedRowsOf(doc, `expected_file ${file}`);
  if (isRecord(doc)) {
    if (Array.isArray(doc.rows)) return expectedRowsOf(doc.rows, `expected_file ${file}`);
    if (isRecord(doc.expect) && Array.isArray(doc.expect.rows))
      return expectedRowsOf(doc.expect.rows, `expected_file ${file}`);
    return { rows: [doc] }; // JSON lines with one row
  }
  return {
    error: `expected_file ${file}: not a list of rows (want a JSON array, {"rows": [...]}, {"expect": {"rows": [...]}} or JSON lines of objects)`,
  };
}

/** The text form of a value for comparison: null for no value, a list for a multivalue field. */
function canonical(v: unknown): string | null | string[] {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) return v.map((x) => (isRecord(x) ? JSON.stringify(x) : String(x)));
  if (isRecord(v)) return JSON.stringify(v);
  return String(v);
}

/**
 * The row's own values of the fields (a field named `toString` is not Object.prototype's member), as own fields
 * of the projection (`__proto__` too, which an assignment would take for the prototype).
 */
function project(row: Readonly<Record<string, unknown>>, fields: readonly string[]): ExpectedRow {
  return Object.fromEntries(fields.map((f) => [f, canonical(fieldValue(row, f))]));
}

/** Compares as multisets over the union of the expected rows' keys; empty `missing`/`unexpected` = equal. */
export function compareRows(expected: readonly ExpectedRow[], actual: readonly Row[]): RowsDiff {
  const fields: string[] = [];
  for (const r of expected) for (const k of Object.keys(r)) if (!fields.includes(k)) fields.push(k);
  const pending = new Map<string, { row: ExpectedRow; n: number }>();
  for (const r of expected) {
    const p = project(r, fields);
    const key = JSON.stringify(p);
    const e = pending.get(key);
    if (e === undefined) pending.set(key, { row: p, n: 1 });
    else e.n++;
  }
  const unexpected: ExpectedRow[] = [];
  for (const r of actual) {
    const p = project(r as Record<string, unknown>, fields);
    const e = pending.get(JSON.stringify(p));
    if (e !== undefined && e.n > 0) e.n--;
    else unexpected.push(p);
  }
  const missing: ExpectedRow[] = [];
  for (const { row, n } of pending.values()) for (let i = 0; i < n; i++) missing.push(row);
  return { fields, missing, unexpected };
}

/** One line saying how the rows differ (at most `show` rows of each kind), or undefined when equal. */
export function describeDiff(d: RowsDiff, actualCount: number, show = 2): string | undefined {
  if (d.missing.length === 0 && d.unexpected.length === 0) return undefined;
  const expectedCount = actualCount - d.unexpected.length + d.missing.length;
  const parts = [`expected ${expectedCount} row(s), got ${actualCount}; compared on ${d.fields.join(", ")}`];
  const list = (rows: ExpectedRow[]) =>
    rows
      .slice(0, show)
      .map((r) => JSON.stringify(r))
      .join(" ") + (rows.length > show ? ` (+${rows.length - show} more)` : "");
  if (d.missing.length > 0)
    parts.push(`${d.missing.length} expected row(s) not returned: ${list(d.missing)}`);
  if (d.unexpected.length > 0) parts.push(`${d.unexpected.length} unexpected row(s): ${list(d.unexpected)}`);
  return parts.join("; ");
}

/**
 * Field-name lists with `*` wildcards (table, fields, fillnull): which existing columns a list selects,
 * in list order (a wildcard entry selects matching columns in their current order). Field names are
 * case-sensitive.
 */
import { escapeRegExp } from "./wildcard.js";

export type NameMatcher = (name: string) => boolean;

export function nameMatcher(pattern: string): NameMatcher {
  if (!pattern.includes("*")) return (n) => n === pattern;
  const re = new RegExp(`^${pattern.split("*").map(escapeRegExp).join(".*")}$`, "s");
  return (n) => re.test(n);
}

/** Columns selected by `patterns`; literal names not present are included when `keepMissing`. */
export function selectColumns(
  columns: readonly string[],
  patterns: readonly string[],
  keepMissing: boolean,
): string[] {
  const out: string[] = [];
  for (const p of patterns) {
    if (!p.includes("*")) {
      if ((keepMissing || columns.includes(p)) && !out.includes(p)) out.push(p);
      continue;
    }
    const m = nameMatcher(p);
    for (const c of columns) if (m(c) && !out.includes(c)) out.push(c);
  }
  return out;
}

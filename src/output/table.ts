/**
 * The terminal view: one table per detection that returned rows, columns in the detection's order, cell
 * widths fitted to the terminal (long command lines wrap instead of breaking the layout).
 */
import { createRequire } from "node:module";
import type Table from "cli-table3";
import type { DetectionResult } from "../engine/hunt.js";
import { fieldValue } from "../spl/index.js";
import { toText } from "./row-values.js";

// Loaded on first use (a table is only drawn when there are rows to show), not at start-up.
const load = createRequire(import.meta.url);
let TableClass: typeof Table | undefined;

function fitWidths(columns: string[], rows: string[][], width: number): number[] {
  const natural = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => maxLine(r[i]))) + 2);
  const budget = Math.max(width - (columns.length + 1), columns.length * 6);
  let total = natural.reduce((a, b) => a + b, 0);
  if (total <= budget) return natural;
  const widths = [...natural];
  // Shrink the widest columns first until the table fits.
  while (total > budget) {
    let widest = 0;
    for (let i = 1; i < widths.length; i++) if (widths[i] > widths[widest]) widest = i;
    if (widths[widest] <= 8) break;
    widths[widest]--;
    total--;
  }
  return widths;
}

function maxLine(s: string): number {
  let m = 0;
  for (const line of s.split("\n")) m = Math.max(m, line.length);
  return m;
}

export function renderTables(results: readonly DetectionResult[], terminalWidth: number): string {
  const parts: string[] = [];
  for (const r of results) {
    if (r.rows.length === 0) continue;
    const cells = r.rows.map((row) => r.columns.map((c) => toText(fieldValue(row, c))));
    TableClass ??= load("cli-table3") as typeof Table;
    const table = new TableClass({
      head: r.columns,
      colWidths: fitWidths(r.columns, cells, terminalWidth),
      wordWrap: true,
      wrapOnWordBoundary: false,
      style: { head: [], border: [] },
    });
    for (const c of cells) table.push(c);
    const n = r.rows.length;
    parts.push(`${r.detection.name} (${n} row${n === 1 ? "" : "s"})\n${table.toString()}`);
  }
  return parts.join("\n\n");
}

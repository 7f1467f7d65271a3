/**
 * Plain renderings of a row's explanation: indented text lines (under a table row) and a JSON value
 * (the `explain` field of a jsonl row). Both are documented in the README ("Why didn't it fire?").
 */
import { jsonlLines } from "../output/jsonl.js";
import { renderTables } from "../output/table.js";
import type { ClauseOutcome } from "../spl/explain-where.js";
import type { ExplainSource, RowExplanation } from "./explain.js";
import type { DetectionResult } from "./hunt.js";

/** `file, record 123` / `file:17` / `file, chunk 2, offset 4096`: the most precise handle we have. */
export function sourceLabel(s: ExplainSource): string {
  const parts = [s.line !== undefined ? `${s.file}:${s.line}` : s.file];
  if (s.recordId !== undefined) parts.push(`record ${s.recordId}`);
  else if (s.offset !== undefined) parts.push(`offset ${s.offset}`);
  return `${parts.join(", ")} (EventID ${s.eventId}, ${s.mapping})`;
}

function clauseLine(c: ClauseOutcome): string {
  if (!c.clause.evaluated) return `? ${c.clause.text}  (subsearch, not evaluated)`;
  const helped = c.matched !== c.clause.negated;
  const mark = helped ? "✓" : "✗";
  const text = c.clause.negated ? `NOT ${c.clause.text}` : c.clause.text;
  const shown = c.values.length === 0 ? "(field missing)" : c.values.map((v) => `"${v}"`).join(", ");
  const field = c.clause.field === undefined ? "" : `  ← ${c.clause.field}=${shown}`;
  return `${mark} ${text}${field}`;
}

/** Indented lines for the table view. */
export function explainLines(x: RowExplanation, indent = "    "): string[] {
  const out: string[] = [];
  for (const m of x.matches) {
    out.push(`${indent}${sourceLabel(m.source)}`);
    for (const c of m.clauses) out.push(`${indent}  ${clauseLine(c)}`);
  }
  if (x.more > 0) out.push(`${indent}… and ${x.more} more source event${x.more === 1 ? "" : "s"}`);
  if (x.note !== undefined) out.push(`${indent}note: ${x.note}`);
  return out;
}

export interface ExplainJson {
  events: {
    file: string;
    line?: number;
    offset?: number;
    chunk?: number;
    record_id?: number;
    event_id: number;
    mapping: string;
    clauses: {
      clause: string;
      negated: boolean;
      matched: boolean | null;
      field?: string;
      values: string[];
    }[];
  }[];
  more: number;
  note?: string;
}

/** The `explain` field of a jsonl row. `matched` is null for a subsearch (not evaluated). */
export function explainJson(x: RowExplanation): ExplainJson {
  const out: ExplainJson = {
    events: x.matches.map((m) => {
      const s = m.source;
      return {
        file: s.file,
        ...(s.line !== undefined ? { line: s.line } : {}),
        ...(s.offset !== undefined ? { offset: s.offset } : {}),
        ...(s.chunk !== undefined ? { chunk: s.chunk } : {}),
        ...(s.recordId !== undefined ? { record_id: s.recordId } : {}),
        event_id: s.eventId,
        mapping: s.mapping,
        clauses: m.clauses.map((c) => ({
          clause: c.clause.text,
          negated: c.clause.negated,
          matched: c.clause.evaluated ? c.matched : null,
          ...(c.clause.field !== undefined ? { field: c.clause.field } : {}),
          values: [...c.values],
        })),
      };
    }),
    more: x.more,
  };
  if (x.note !== undefined) out.note = x.note;
  return out;
}

/** `--format table --explain`: each detection's table, one row at a time, the explanation indented under it. */
export function explainedTables(results: readonly DetectionResult[], terminalWidth: number): string {
  const parts: string[] = [];
  for (const r of results) {
    if (r.rows.length === 0) continue;
    const n = r.rows.length;
    const lines = [`${r.detection.name} (${n} row${n === 1 ? "" : "s"})`];
    r.rows.forEach((row, i) => {
      const table = renderTables([{ ...r, rows: [row] }], terminalWidth);
      lines.push(table.slice(table.indexOf("\n") + 1));
      const x = r.explain?.[i];
      if (x !== undefined) lines.push(...explainLines(x));
    });
    parts.push(lines.join("\n"));
  }
  return parts.join("\n\n");
}

/** `--format jsonl --explain`: the usual jsonl rows with an `explain` field added last. */
export function* explainedJsonlLines(results: readonly DetectionResult[]): Generator<string> {
  for (const r of results) {
    let i = 0;
    for (const line of jsonlLines([r])) {
      const x = r.explain?.[i++];
      yield x === undefined ? line : `${line.slice(0, -1)},"explain":${JSON.stringify(explainJson(x))}}`;
    }
  }
}

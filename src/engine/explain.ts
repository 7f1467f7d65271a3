/**
 * `hunt --explain`: for each result row, the source events behind it and which where-clause leaf
 * matched which value in each.
 *
 * Design notes:
 * - The hook into the run is one call per (record, detection) pair: `offer` keeps the records that pass
 *   the detection's tstats where clause (spl/explain-where.ts), with the event's origin and the source
 *   mapping that built the record. At most MAX_KEPT records are kept per detection (counted beyond).
 * - A row is tied to records through the tstats by-fields: a by-field `Processes.dest` is looked up in
 *   the row as written, then without its object prefix (`drop_dm_object_name`), and a record belongs
 *   to the row when every by-field found in the row has a value equal to one of the record's values.
 *   By-fields a later stage dropped or rewrote (`_time` with `span=`) are not compared; when no by-field
 *   survives in the row, every kept record is listed (with a note).
 * - Pure bookkeeping: nothing here changes what the search returns.
 */
import type { Detection } from "../content/index.js";
import type { EventOrigin, WinEvent } from "../model/event.js";
import { type ClauseOutcome, type WhereExplainer, whereExplainer } from "../spl/explain-where.js";
import { fieldValue, type MacroTable } from "../spl/index.js";
import type { FieldValue, Row, Scalar } from "../spl/types.js";

/** Records kept per detection for explaining; more are counted, not kept. */
export const MAX_KEPT = 10_000;
/** Source events listed per row (the rest are counted). */
export const MAX_SHOWN = 5;

export interface ExplainSource extends EventOrigin {
  /** System/EventRecordID where known. */
  recordId?: number;
  eventId: number;
  /** Source mapping that built the data-model record (e.g. `sysmon-1`). */
  mapping: string;
}

export interface ExplainMatch {
  source: ExplainSource;
  clauses: ClauseOutcome[];
}

export interface RowExplanation {
  /** Up to MAX_SHOWN source events behind the row, in reading order. */
  matches: ExplainMatch[];
  /** Further source events behind the row that are not listed. */
  more: number;
  /** Why the list may be incomplete or wider than the row. */
  note?: string;
}

interface Kept {
  record: Row;
  source: ExplainSource;
}

export class ExplainCollector {
  private readonly explainer: WhereExplainer | undefined;
  private readonly kept: Kept[] = [];
  private overflow = 0;

  constructor(detection: Detection, macros: MacroTable) {
    this.explainer = whereExplainer(detection.search, macros);
  }

  /** Called for every record pushed to the detection's search. */
  offer(dataset: string, record: Row, event: WinEvent, mapping: string): void {
    const x = this.explainer;
    if (x === undefined || dataset !== x.dataset || !x.passes(record)) return;
    if (this.kept.length >= MAX_KEPT) {
      this.overflow++;
      return;
    }
    const source: ExplainSource = { ...event.origin, eventId: event.eventId, mapping };
    if (event.recordId !== undefined) source.recordId = event.recordId;
    this.kept.push({ record, source });
  }

  /** One explanation per row, in row order. */
  explain(rows: readonly Row[]): RowExplanation[] {
    const x = this.explainer;
    if (x === undefined) {
      return rows.map(() => ({
        matches: [],
        more: 0,
        note: "not explainable: the search does not start with tstats over a data model",
      }));
    }
    return rows.map((row) => {
      const keys = x.byFields
        .map((b) => ({ key: b.key, column: rowColumn(row, b.written, b.key) }))
        .filter((k): k is { key: string; column: string } => k.column !== undefined);
      const found = this.kept.filter((k) =>
        keys.every((b) => sameValue(fieldValue(row, b.column), fieldValue(k.record, b.key))),
      );
      const notes: string[] = [];
      if (keys.length === 0 && x.byFields.length > 0)
        notes.push("no by-field survives in the row: every event that passed the where clause is listed");
      if (this.overflow > 0)
        notes.push(`only the first ${MAX_KEPT} events that passed the where clause were kept`);
      if (x.clauses.some((c) => !c.evaluated)) notes.push("subsearch clauses were not evaluated");
      if (found.length === 0) notes.push("no kept source event has this row's by-field values");
      const out: RowExplanation = {
        matches: found.slice(0, MAX_SHOWN).map((k) => ({ source: k.source, clauses: x.explain(k.record) })),
        more: Math.max(0, found.length - MAX_SHOWN),
      };
      if (notes.length > 0) out.note = notes.join("; ");
      return out;
    });
  }
}

/** The row column that carries a by-field: as written, or without its object prefix (the row's own fields). */
function rowColumn(row: Row, written: string, key: string): string | undefined {
  if (Object.hasOwn(row, written)) return written;
  if (key !== "_time" && Object.hasOwn(row, key)) return key;
  return undefined;
}

function texts(v: FieldValue): string[] {
  if (v === null || v === undefined) return [];
  const list: readonly Scalar[] = Array.isArray(v) ? v : [v as Scalar];
  return list.map((s) => String(s));
}

/** Every value of the row's cell is one of the record's values (by text). */
function sameValue(cell: FieldValue, value: FieldValue): boolean {
  const want = texts(cell);
  if (want.length === 0) return true;
  const have = new Set(texts(value));
  return want.every((w) => have.has(w));
}

/**
 * Remembers the epoch value a field held before `convert ctime` formatted it, per row, without adding
 * a visible field (so output columns stay exactly Splunk's). Used for risk event times (SEMANTICS §5).
 */
import type { Row } from "../types.js";

const rawTimes = new WeakMap<Row, Map<string, number>>();

export function setRawTime(row: Row, field: string, epoch: number): void {
  let m = rawTimes.get(row);
  if (!m) rawTimes.set(row, (m = new Map()));
  m.set(field, epoch);
}

/** The epoch value a field held before `convert ctime` formatted it in this row. */
export function rawTimeOf(row: Row, field: string): number | undefined {
  return rawTimes.get(row)?.get(field);
}

/** Carries remembered times to a copy of a row (stages that copy rows call this). */
export function copyRawTimes(from: Row, to: Row, rename?: (field: string) => string | undefined): void {
  const m = rawTimes.get(from);
  if (!m) return;
  for (const [f, t] of m) {
    const name = rename ? rename(f) : f;
    if (name !== undefined) setRawTime(to, name, t);
  }
}

/** Moves a remembered time when a field is renamed in place. */
export function renameRawTime(row: Row, from: string, to: string): void {
  const m = rawTimes.get(row);
  if (!m) return;
  m.delete(to);
  const t = m.get(from);
  if (t === undefined) return;
  m.delete(from);
  m.set(to, t);
}

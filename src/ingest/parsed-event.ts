/**
 * What a format parser extracts from one record, before the reader attaches its origin (file, line).
 * Shared by the XML, classic and JSON parsers so that they all fill `WinEvent` the same way.
 */
import type { WinEvent } from "../model/event.js";

export type ParsedEvent = Omit<WinEvent, "origin">;

/** Name given to the i-th (0-based) `<Data>` element without a Name attribute: `Data`, `Data1`, `Data2`… */
export function unnamedDataName(i: number): string {
  return i === 0 ? "Data" : `Data${i}`;
}

/** Parses a decimal integer field (EventID, Version, EventRecordID); undefined unless it is all digits. */
export function parseUint(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const t = s.trim();
  if (t.length === 0 || t.length > 20) return undefined;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  return Number(t);
}

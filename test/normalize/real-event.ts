/**
 * Test helper: one real event from ../shared/data (by file and EventRecordID), normalized the way hunt does
 * it — the registry picks the table by Event ID and provider/channel, then the dataset's CIM defaults apply.
 */
import assert from "node:assert/strict";
import type { WinEvent } from "../../src/model/event.js";
import { type CimRecord, normalizeEvent } from "../../src/normalize/normalize-event.js";
import { DATASET_DEFAULTS, findMapping, SOURCE_MAPPINGS } from "../../src/normalize/registry.js";
import { collect } from "../ingest/collect-events.js";
import { sharedPath } from "../support/shared.js";

const files = new Map<string, Promise<WinEvent[]>>();

export async function realEvent(file: string, recordId: number): Promise<WinEvent> {
  let events = files.get(file);
  if (!events) {
    events = collect([sharedPath(`data/${file}`)]).then((c) => c.events);
    files.set(file, events);
  }
  const hits = (await events).filter((e) => e.recordId === recordId && /Sysmon/.test(e.provider));
  assert.equal(hits.length, 1, `${file} record ${recordId}`);
  return hits[0];
}

export interface Normalized {
  mapping: string;
  dataset: string;
  record: CimRecord;
}

export function normalize(e: WinEvent): Normalized {
  const m = findMapping(SOURCE_MAPPINGS, e.provider, e.channel, e.eventId);
  assert.ok(m, `no mapping for Event ID ${e.eventId}`);
  const defaults = DATASET_DEFAULTS.find((d) => d.dataset === m.dataset);
  return { mapping: m.id, dataset: m.dataset, record: normalizeEvent(e, m, defaults) };
}

/** Seconds since the epoch of a `YYYY-MM-DD HH:MM:SS.mmm` UTC time, computed without our own parser. */
export function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number {
  return Date.UTC(y, mo - 1, d, h, mi, s, ms) / 1000;
}

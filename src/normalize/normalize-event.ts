/**
 * WinEvent → data-model record. Interprets a source mapping table, then the data model's own calculated
 * fields (fill values, names derived from command lines, lower-casing). Output records carry field names
 * without the object prefix (`process_name`) and `_time` as epoch seconds.
 */
import type { WinEvent } from "../model/event.js";
import { parseEventTime } from "./event-time.js";
import type { DatasetDefaults, SourceMapping } from "./mapping.js";
import { applyTransform, basename, firstToken } from "./transforms.js";

export type CimRecord = Record<string, string | number | undefined>;

function sourceValue(e: WinEvent, name: string): string | undefined {
  if (name === "$computer") return e.computer;
  return e.data[name];
}

function eventTime(e: WinEvent, m: SourceMapping): number | undefined {
  if (m.time.kind === "data-utc") {
    const t = e.data[m.time.field];
    if (t !== undefined) {
      const parsed = parseEventTime(t);
      if (parsed !== undefined) return parsed;
    }
  }
  return e.timeCreated === undefined ? undefined : parseEventTime(e.timeCreated);
}

export function normalizeEvent(
  e: WinEvent,
  m: SourceMapping,
  defaults: DatasetDefaults | undefined,
): CimRecord {
  const r: CimRecord = { _time: eventTime(e, m) };
  for (const field in m.fields) {
    const rule = m.fields[field];
    const values = rule.from.map((n) => sourceValue(e, n));
    const v = applyTransform(rule.transform, values);
    if (v !== undefined && v !== "") r[field] = v;
  }
  for (const field in m.constants) r[field] = m.constants[field];
  if (defaults !== undefined) applyDefaults(r, defaults);
  return r;
}

export function applyDefaults(r: CimRecord, d: DatasetDefaults): void {
  for (const name in d.nameFromCommandLine) {
    if (r[name] !== undefined) continue;
    const cmd = r[d.nameFromCommandLine[name]];
    if (typeof cmd !== "string" || cmd === "") continue;
    const token = firstToken(cmd).token;
    if (token !== "") r[name] = basename(token);
  }
  for (const name in d.fill) {
    const v = r[name];
    if (v === undefined || v === "") r[name] = d.fill[name];
  }
  for (const name of d.lowerCase) {
    const v = r[name];
    if (typeof v === "string") r[name] = v.toLowerCase();
  }
}

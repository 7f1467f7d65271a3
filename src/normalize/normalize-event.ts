/**
 * WinEvent → data-model record. Interprets a source mapping table, then the data model's own calculated
 * fields (fill values, names derived from command lines, lower-casing). Output records carry field names
 * without the object prefix (`process_name`) and `_time` as epoch seconds.
 */
import type { WinEvent } from "../model/event.js";
import { parseEventTime } from "./event-time.js";
import type { DatasetDefaults, FieldRule, SourceMapping } from "./mapping.js";
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

/** A mapping's fields and constants as arrays, made once per mapping: the table is walked once per event. */
interface CompiledMapping {
  fields: { name: string; from: readonly string[]; transform: FieldRule["transform"] }[];
  constants: [string, string][];
}

const compiled = new WeakMap<SourceMapping, CompiledMapping>();

function compiledOf(m: SourceMapping): CompiledMapping {
  let c = compiled.get(m);
  if (c === undefined) {
    c = {
      fields: Object.entries(m.fields).map(([name, rule]) => ({
        name,
        from: rule.from,
        transform: rule.transform,
      })),
      constants: Object.entries(m.constants),
    };
    compiled.set(m, c);
  }
  return c;
}

/** The source values of one field rule, one array per number of sources, reused (transforms do not keep them). */
const scratch: (string | undefined)[][] = [];

export function normalizeEvent(
  e: WinEvent,
  m: SourceMapping,
  defaults: DatasetDefaults | undefined,
): CimRecord {
  const r: CimRecord = { _time: eventTime(e, m) };
  const c = compiledOf(m);
  for (let i = 0; i < c.fields.length; i++) {
    const f = c.fields[i];
    const from = f.from;
    const values = (scratch[from.length] ??= new Array(from.length));
    for (let j = 0; j < from.length; j++) values[j] = sourceValue(e, from[j]);
    const v = applyTransform(f.transform, values);
    if (v !== undefined && v !== "") r[f.name] = v;
  }
  for (let i = 0; i < c.constants.length; i++) r[c.constants[i][0]] = c.constants[i][1];
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

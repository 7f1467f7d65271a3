/**
 * Reader for JSON inputs (JSON lines or pretty-printed documents, any mix of the supported layouts): values
 * from json-values.ts, one event per object through event-from-json.ts. A Splunk REST result set
 * (`{"results": [...]}`) is unwrapped; Splunk export envelope lines without a `result` are ignored. Invalid JSON is `json-malformed` at its line; an object of no known
 * layout is foreign (see EventSink: a file of nothing but such objects is not a log and is skipped).
 */
import type { WinEvent } from "../../model/event.js";
import type { EventSink } from "../event-sink.js";
import type { LineBatch } from "../text/decode-lines.js";
import type { EventBatch } from "../types.js";
import { eventFromJson } from "./event-from-json.js";
import { isObject, type JsonObject, nestedTooDeeply } from "./json-access.js";
import { jsonValues } from "./json-values.js";

export async function* readJsonEvents(
  lines: AsyncIterable<LineBatch>,
  sink: EventSink,
  file: string,
): AsyncGenerator<EventBatch, void> {
  /** One value of a line (or of a document): an event object, or an array of them. */
  const one = (value: unknown, line: number): void => {
    if (Array.isArray(value)) {
      // An array of events (also a nested one: `[[…]]`). Whatever in it is not an object is one foreign
      // record for the whole value, however many elements it has (`[1,2,3]` is one bad line, not three).
      const n = many(value, line);
      if (value.length === 0) sink.foreign("json-malformed", "an empty JSON array, not an event", line);
      else if (n.stray > 0) strays(n, line);
      return;
    }
    if (!isObject(value)) {
      sink.foreign("json-malformed", `JSON ${kindOf(value)} is not an event object`, line);
      return;
    }
    object(value, line);
  };
  /** Reads the objects of an array (nested arrays too); counts them and the values that are not objects. */
  const many = (values: unknown[], line: number, n = { objects: 0, stray: 0 }) => {
    for (const v of values) {
      if (Array.isArray(v)) many(v, line, n);
      else if (isObject(v)) {
        n.objects++;
        object(v, line);
      } else n.stray++;
    }
    return n;
  };
  const strays = (n: { objects: number; stray: number }, line: number): void => {
    const values = `${n.stray} ${n.stray === 1 ? "value that is" : "values that are"} not objects`;
    sink.foreign(
      "json-malformed",
      `${n.objects === 0 ? "a JSON array of" : "a JSON array with"} ${values}, not events`,
      line,
    );
  };
  const object = (value: JsonObject, line: number): void => {
    if (Array.isArray(value.results) && !("EventID" in value)) {
      const n = many(value.results, line);
      if (n.stray > 0) strays(n, line);
      return;
    }
    // Splunk export envelope lines without a result (`{"preview":false,"messages":[…]}`, `lastrow`) carry no event.
    if ("preview" in value && !("result" in value) && !("_raw" in value)) return;
    const r = eventFromJson(value);
    if (r.kind === "event") {
      const e = r.event as WinEvent;
      e.origin = { file, line };
      sink.add(e);
    } else if (r.kind === "broken") sink.broken(r.code, r.message, line);
    else sink.foreign("json-malformed", r.message, line);
  };
  for await (const items of jsonValues(lines)) {
    for (const it of items) {
      if ("error" in it) sink.broken("json-malformed", it.error, it.line);
      else {
        try {
          one(it.value, it.line);
        } catch (err) {
          if (!nestedTooDeeply(err)) throw err;
          sink.broken("json-malformed", "JSON value nested too deeply to read as events", it.line);
        }
      }
    }
    if (sink.stopped) {
      const out = sink.take(true);
      if (out) yield out;
      return; // `--strict` stopped the run
    }
    const out = sink.take();
    if (out) yield out;
  }
  const out = sink.take(true);
  if (out) yield out;
}

function kindOf(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "string") return "string";
  if (typeof v === "number") return "number";
  if (typeof v === "boolean") return "boolean";
  return "value";
}

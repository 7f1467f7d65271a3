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
import { isObject } from "./json-access.js";
import { jsonValues } from "./json-values.js";

export async function* readJsonEvents(
  lines: AsyncIterable<LineBatch>,
  sink: EventSink,
  file: string,
): AsyncGenerator<EventBatch, void> {
  const one = (value: unknown, line: number): void => {
    if (Array.isArray(value)) {
      for (const v of value) one(v, line); // an array of events (also a nested one: `[[…]]`)
      return;
    }
    if (!isObject(value)) {
      sink.foreign("json-malformed", "JSON value is not an object", line);
      return;
    }
    if (Array.isArray(value.results) && !("EventID" in value)) {
      for (const v of value.results) one(v, line);
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
      else one(it.value, it.line);
    }
    const out = sink.take();
    if (out) yield out;
  }
  const out = sink.take(true);
  if (out) yield out;
}

/**
 * Winnow's own JSON lines (`winnow export --format jsonl`, written by output/event-json.ts):
 *   {"provider", "channel", "event_id", "version"?, "computer", "time_created", "time_source"?, "record_id",
 *    "recovered"?, "data": {…}}
 * read back into the WinEvent it was written from, so that `hunt` over an export gives the rows `hunt` over
 * its source gives. Recognised by a numeric `event_id` beside string `provider` and `channel` and a `data`
 * object (no other layout Winnow reads has these lower-case names).
 */
import type { TimeSource } from "../../../model/event.js";
import { setDataField } from "../../data-object.js";
import type { ParsedEvent } from "../../parsed-event.js";
import { dataText, isObject, type JsonObject } from "../json-access.js";
import { broken, type ShapeResult } from "./shape-result.js";

const TIME_SOURCES: readonly TimeSource[] = ["system", "timestamp", "local-as-utc"];

export function isWinnowExport(o: JsonObject): boolean {
  return (
    "event_id" in o && typeof o.provider === "string" && typeof o.channel === "string" && isObject(o.data)
  );
}

const wholeNumber = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

export function fromWinnowExport(o: JsonObject): ShapeResult {
  if (!wholeNumber(o.event_id)) return broken("event_id is not a whole number", "event-missing-system");
  const data: Record<string, string> = {};
  for (const [k, v] of Object.entries(o.data as JsonObject)) setDataField(data, k, dataText(v));
  const ev: ParsedEvent = {
    provider: o.provider as string,
    channel: o.channel as string,
    eventId: o.event_id,
    computer: typeof o.computer === "string" ? o.computer : "",
    data,
  };
  if (wholeNumber(o.version)) ev.version = o.version;
  if (typeof o.time_created === "string" && o.time_created.length > 0) {
    ev.timeCreated = o.time_created;
    const src = TIME_SOURCES.find((t) => t === o.time_source);
    if (src !== undefined) ev.timeSource = src;
  }
  if (wholeNumber(o.record_id)) ev.recordId = o.record_id;
  if (o.recovered === true) ev.recovered = true;
  return { kind: "event", event: ev };
}

/**
 * One decoded event as one line of JSON (the `winnow export --format jsonl` shape):
 * `{"provider","channel","event_id","computer","time_created","record_id","data":{…}}`.
 * Missing System values are `null`; `data` keeps the event's key order. `JSON.stringify` does the
 * escaping, so any string round-trips exactly.
 */
import type { WinEvent } from "../model/event.js";

export function renderEventJson(e: WinEvent): string {
  return JSON.stringify({
    provider: e.provider,
    channel: e.channel,
    event_id: e.eventId,
    computer: e.computer,
    time_created: e.timeCreated ?? null,
    record_id: e.recordId ?? null,
    data: e.data,
  });
}

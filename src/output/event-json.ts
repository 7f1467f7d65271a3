/**
 * One decoded event as one line of JSON (the `winnow export --format jsonl` shape):
 * `{"provider","channel","event_id","version"?,"computer","time_created","time_source"?,"record_id","recovered"?,
 * "data":{…}}` (`recovered: true` for an EVTX record found by its signature after damage or carved from slack).
 * Missing System values are `null` (`version` is left out when unknown); `time_source` is written only when the
 * time did not come from the event's own System header (`timestamp`: an `@timestamp`; `local-as-utc`: a zone-less
 * local time read as UTC). `data` keeps the event's key order. `JSON.stringify` does the escaping, so any string
 * round-trips exactly. Winnow's JSON reader knows this layout (ingest/json/shapes/winnow-export.ts): `hunt` over
 * an export gives the rows `hunt` over its source gives.
 */
import type { WinEvent } from "../model/event.js";

export function renderEventJson(e: WinEvent): string {
  return JSON.stringify({
    provider: e.provider,
    channel: e.channel,
    event_id: e.eventId,
    ...(e.version !== undefined ? { version: e.version } : {}),
    computer: e.computer,
    time_created: e.timeCreated ?? null,
    ...(e.timeSource !== undefined && e.timeSource !== "system" ? { time_source: e.timeSource } : {}),
    record_id: e.recordId ?? null,
    ...(e.recovered === true ? { recovered: true } : {}),
    data: e.data,
  });
}

/**
 * OTRF / NXLog flat layout: one object per event with top-level `EventID`, `Channel`, `SourceName` (or
 * `ProviderName`), `Hostname`, `RecordNumber`, `EventTime`, plus the event's EventData fields flattened next
 * to them. Every key that is not NXLog/Logstash metadata (nxlog-metadata.ts) is EventData.
 */

import { setDataField } from "../../data-object.js";
import type { ParsedEvent } from "../../parsed-event.js";
import { dataText, int, type JsonObject, text } from "../json-access.js";
import { NXLOG_METADATA_KEYS } from "./nxlog-metadata.js";
import { broken, type ShapeResult } from "./shape-result.js";
import { applyJsonTime } from "./time-fields.js";

export function isNxlogFlat(o: JsonObject): boolean {
  return "EventID" in o && ("Channel" in o || "SourceName" in o || "ProviderName" in o || "Hostname" in o);
}

export function fromNxlogFlat(o: JsonObject): ShapeResult {
  const eventId = int(o.EventID);
  if (eventId === undefined) return broken("EventID is not an integer", "event-missing-system");
  const ev: ParsedEvent = {
    provider: text(o.ProviderName) ?? text(o.SourceName) ?? "",
    channel: text(o.Channel) ?? "",
    eventId,
    computer: text(o.Hostname) ?? "",
    data: {},
  };
  const version = int(o.Version);
  if (version !== undefined) ev.version = version;
  const rec = int(o.RecordNumber);
  if (rec !== undefined) ev.recordId = rec;
  for (const key in o) {
    if (NXLOG_METADATA_KEYS.has(key)) continue;
    setDataField(ev.data, key, dataText(o[key]));
  }
  applyJsonTime(ev, o, undefined);
  return { kind: "event", event: ev };
}

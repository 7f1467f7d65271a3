/**
 * One parsed JSON object → one event, by layout. The layout is recognised per object (a file may mix
 * layouts, as case 06 does), in this order: Splunk export (`result._raw` / `_raw`), nested event rendering
 * (`Event.System`), Winlogbeat raw/ECS (`winlog` or `event.code` + `event.provider`), Winnow's own export
 * (`event_id` + `provider` + `channel` + `data`), NXLog/OTRF flat (`EventID` + `Channel`/`SourceName`/`Hostname`). An Elasticsearch hit is unwrapped to its `_source` first.
 * Anything else is foreign (not an event).
 */
import { isObject, type JsonObject } from "./json-access.js";
import { fromNestedEvent, isNestedEvent } from "./shapes/nested-event.js";
import { fromNxlogFlat, isNxlogFlat } from "./shapes/nxlog-flat.js";
import type { ShapeResult } from "./shapes/shape-result.js";
import { fromSplunkRaw, splunkRaw } from "./shapes/splunk-raw.js";
import { fromWinlogbeat, isWinlogbeat } from "./shapes/winlogbeat.js";
import { fromWinnowExport, isWinnowExport } from "./shapes/winnow-export.js";

export function eventFromJson(o: JsonObject): ShapeResult {
  // An Elasticsearch/OpenSearch hit (`_index`, `_id`, `_source`): the event is the `_source`.
  if (isObject(o._source) && !("EventID" in o) && !isObject(o.winlog)) return eventFromJson(o._source);
  const raw = splunkRaw(o);
  if (raw !== undefined) return fromSplunkRaw(raw);
  if (isNestedEvent(o)) return fromNestedEvent(o);
  if (isWinlogbeat(o)) return fromWinlogbeat(o);
  if (isWinnowExport(o)) return fromWinnowExport(o);
  if (isNxlogFlat(o)) return fromNxlogFlat(o);
  return { kind: "foreign", message: "JSON object of no known event layout" };
}

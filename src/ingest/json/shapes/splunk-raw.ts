/**
 * Splunk search export: `{"result": {"_raw": "<Event …>…</Event>", …}}` (export / `output_mode=json` lines)
 * or `{"_raw": …}`. `_raw` holds the event exactly as indexed: XmlWinEventLog XML (parsed as XML) or classic
 * WinEventLog text (parsed as classic). Other result fields (`host`, `source`, …) are Splunk's and are not
 * EventData.
 */
import { isClassicTimestamp, parseClassicEvent } from "../../classic/classic-event.js";
import { wellFormed } from "../../well-formed.js";
import { parseEventXml } from "../../xml/parse-event-xml.js";
import { isObject, type JsonObject } from "../json-access.js";
import { broken, type ShapeResult } from "./shape-result.js";

export function splunkRaw(o: JsonObject): string | undefined {
  if (isObject(o.result) && typeof o.result._raw === "string") return o.result._raw;
  if (typeof o._raw === "string") return o._raw;
  return undefined;
}

export function fromSplunkRaw(raw: string): ShapeResult {
  const t = wellFormed(raw).trim();
  if (t.startsWith("<")) {
    const r = parseEventXml(t);
    if ("error" in r) return broken(`_raw is not a readable XML event: ${r.error}`, "xml-malformed");
    return { kind: "event", event: r.event };
  }
  const lines = t.split(/\r?\n/);
  if (isClassicTimestamp(lines[0] ?? "")) {
    const r = parseClassicEvent(lines);
    if ("error" in r) return broken(`_raw is not a readable classic event: ${r.error}`, "classic-malformed");
    return { kind: "event", event: r.event };
  }
  return broken("_raw is neither an XML event nor classic WinEventLog text");
}

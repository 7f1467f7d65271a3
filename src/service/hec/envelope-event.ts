/**
 * One HEC envelope (`{"time", "host", "source", "sourcetype", "index", "event", "fields"}`) → one WinEvent,
 * through the same parsers `hunt` uses for files: an `event` string is XmlWinEventLog XML (xml/parse-event-xml)
 * or classic WinEventLog text (classic/classic-event); an `event` object is any supported JSON layout
 * (json/event-from-json: nested Event, Winlogbeat/ECS, NXLog/OTRF flat, Splunk `_raw`); a string that holds
 * JSON is read as that JSON. A sourcetype of `XmlWinEventLog…`/`WinEventLog…` chooses the text parser, as in
 * Splunk; otherwise the content decides. A source that names a Windows event log chooses the field mapping
 * (hec/source-channel: the event is mapped as an event of that channel).
 *
 * With a filter (the loaded detections' sources), an XML event whose header (hec/peek-system) the filter rejects
 * is `filtered` without being parsed in full.
 *
 * Outcomes: `event`; `filtered`; `unreadable` (the envelope is valid HEC but its event is not a Windows event we can read:
 * accepted and counted, as Splunk would index it); or a HEC error (invalid JSON → 6, no `event` → 12,
 * blank `event` → 13).
 */
import { isClassicTimestamp, parseClassicEvent } from "../../ingest/classic/classic-event.js";
import { eventFromJson } from "../../ingest/json/event-from-json.js";
import { isObject, nestedTooDeeply } from "../../ingest/json/json-access.js";
import type { ParsedEvent } from "../../ingest/parsed-event.js";
import type { EventFilter } from "../../ingest/types.js";
import { wellFormed } from "../../ingest/well-formed.js";
import { parseEventXml } from "../../ingest/xml/parse-event-xml.js";
import { peekSystem } from "./peek-system.js";
import { sourceChannel } from "./source-channel.js";

export type EnvelopeOutcome =
  | { kind: "event"; event: ParsedEvent; host?: string }
  /** An XML event whose header says no loaded detection can use it: not parsed further. */
  | { kind: "filtered" }
  | { kind: "unreadable"; reason: string }
  | { kind: "error"; code: 6 | 12 | 13; reason: string };

export function eventFromText(
  text: string,
  sourcetype: string | undefined,
  filter?: EventFilter,
  channel?: string,
): EnvelopeOutcome {
  // A JSON envelope's text may carry a `\ud800` escape: U+FFFD, as everywhere (ingest/well-formed.ts).
  const t = wellFormed(text).trim();
  const st = sourcetype?.toLowerCase() ?? "";
  if (t.startsWith("<") || st.includes("xmlwineventlog")) {
    if (filter !== undefined) {
      const peek = peekSystem(t);
      if (peek !== undefined && !filter(peek.provider, channel ?? peek.channel, peek.eventId))
        return { kind: "filtered" };
    }
    const r = parseEventXml(t);
    return "error" in r ? { kind: "unreadable", reason: r.error } : { kind: "event", event: r.event };
  }
  const lines = t.split(/\r?\n/);
  if (isClassicTimestamp(lines[0] ?? "") || st.startsWith("wineventlog")) {
    const r = parseClassicEvent(lines);
    return "error" in r ? { kind: "unreadable", reason: r.error } : { kind: "event", event: r.event };
  }
  if (t.startsWith("{")) {
    let v: unknown;
    try {
      v = JSON.parse(t);
    } catch {
      return { kind: "unreadable", reason: "event text is neither XML, classic text nor JSON" };
    }
    return eventFromObject(v);
  }
  return { kind: "unreadable", reason: "event text is neither XML, classic text nor JSON" };
}

function eventFromObject(v: unknown): EnvelopeOutcome {
  if (!isObject(v)) return { kind: "unreadable", reason: "event is not a JSON object" };
  let r: ReturnType<typeof eventFromJson>;
  try {
    r = eventFromJson(v);
  } catch (err) {
    if (!nestedTooDeeply(err)) throw err;
    return { kind: "unreadable", reason: "event nested too deeply to read" };
  }
  if (r.kind === "event") return { kind: "event", event: r.event };
  return { kind: "unreadable", reason: r.message };
}

export function eventFromEnvelope(text: string, filter?: EventFilter): EnvelopeOutcome {
  let env: unknown;
  try {
    env = JSON.parse(text);
  } catch (e) {
    return { kind: "error", code: 6, reason: e instanceof Error ? e.message : String(e) };
  }
  if (!isObject(env)) return { kind: "error", code: 6, reason: "envelope is not a JSON object" };
  if (!("event" in env) || env.event === null || env.event === undefined) {
    return { kind: "error", code: 12, reason: "no event field" };
  }
  const ev = env.event;
  const host = typeof env.host === "string" ? env.host : undefined;
  const sourcetype = typeof env.sourcetype === "string" ? env.sourcetype : undefined;
  const channel = sourceChannel(typeof env.source === "string" ? env.source : undefined);
  let out: EnvelopeOutcome;
  if (typeof ev === "string") {
    if (ev.trim() === "") return { kind: "error", code: 13, reason: "event is blank" };
    out = eventFromText(ev, sourcetype, filter, channel);
  } else if (isObject(ev)) {
    if (Object.keys(ev).length === 0) return { kind: "error", code: 13, reason: "event is blank" };
    out = eventFromObject(ev);
  } else out = { kind: "unreadable", reason: "event is neither a string nor an object" };
  if (out.kind === "event") {
    if (host !== undefined) out.host = host;
    if (channel !== undefined) out.event.channel = channel;
  }
  return out;
}

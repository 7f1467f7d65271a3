/**
 * One decoded event as one line of Splunk XmlWinEventLog-style XML (the `winnow export --format xml`
 * shape), so EVTX can be turned into lines that Splunk — and Winnow's own XML reader — ingest:
 * `<Event xmlns='…'><System>…</System><EventData><Data Name='…'>…</Data>…</EventData></Event>`.
 *
 * Only what a `WinEvent` keeps is written: Provider Name, EventID, Version, TimeCreated SystemTime,
 * EventRecordID, Channel, Computer, and every data item as a named `<Data>` (UserData leaves too, so a
 * reader gets the same name → value map back). Text and attribute values escape `& < > ' "`; tab,
 * carriage return and line feed are written as `&#9;`, `&#13;`, `&#10;` so the event stays on one line
 * and an XML parser gives back the exact value (attribute-value normalization would turn them into
 * spaces otherwise). Other control characters cannot be represented in XML 1.0 and are written as is.
 */
import type { WinEvent } from "../model/event.js";

const NS = "http://schemas.microsoft.com/win/2004/08/events/event";

export function renderEventXml(e: WinEvent): string {
  let s = `<Event xmlns='${NS}'><System><Provider Name='${esc(e.provider)}'/>`;
  s += `<EventID>${e.eventId}</EventID>`;
  if (e.version !== undefined) s += `<Version>${e.version}</Version>`;
  if (e.timeCreated !== undefined) s += `<TimeCreated SystemTime='${esc(e.timeCreated)}'/>`;
  if (e.recordId !== undefined) s += `<EventRecordID>${e.recordId}</EventRecordID>`;
  s += `<Channel>${esc(e.channel)}</Channel><Computer>${esc(e.computer)}</Computer></System>`;
  const keys = Object.keys(e.data);
  if (keys.length === 0) return `${s}</Event>`;
  s += "<EventData>";
  for (const k of keys) s += `<Data Name='${esc(k)}'>${esc(e.data[k])}</Data>`;
  return `${s}</EventData></Event>`;
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  "'": "&apos;",
  '"': "&quot;",
  "\t": "&#9;",
  "\r": "&#13;",
  "\n": "&#10;",
};

function esc(v: string): string {
  return v.replace(/[&<>'"\t\r\n]/g, (c) => ESCAPES[c]);
}

/**
 * Strict fallback for one rendered Windows event in XML, used when the fast scanner (event-scan.ts) declines:
 * CDATA, comments, UserData, pretty-printed or unusual layouts. It uses saxes (well-formedness checked,
 * entities decoded once by the parser) and builds the same `ParsedEvent` as the scanner:
 * - System: Provider/@Name, EventID, Version, Channel, Computer, TimeCreated/@SystemTime, EventRecordID.
 * - EventData: `<Data Name='X'>v</Data>` → data.X; unnamed Data → `Data`, `Data1`, …; `<Binary>` → data.Binary.
 * - UserData: each leaf element (no child elements) → data[localName] = its text.
 * Element prefixes are ignored (`<e:Event>` is `<Event>`). A document that is not well-formed, or that has no
 * System/EventID, is an error with saxes' message.
 */
import { createRequire } from "node:module";
import type { SaxesParser as SaxesParserClass } from "saxes";
import { setDataField } from "../data-object.js";
import { type ParsedEvent, parseUint, unnamedDataName } from "../parsed-event.js";

/**
 * An error is saxes' message as it gives it (`line:column: what`, relative to the event text). When saxes gave a
 * position it is also apart: `at` (1-based line and column, the character saxes had just read) and `reason`
 * (the message without it), so that a caller reading a file can report the position in the file.
 */
export type StrictResult =
  | { event: ParsedEvent }
  | { error: string; at?: { line: number; column: number; reason: string } };

// Loaded on first use: most inputs never need the strict parser, so start-up does not pay for it.
const load = createRequire(import.meta.url);
let SaxesParser: typeof SaxesParserClass | undefined;

function local(name: string): string {
  const c = name.indexOf(":");
  return c === -1 ? name : name.slice(c + 1);
}

export function parseEventXmlStrict(text: string): StrictResult {
  SaxesParser ??= (load("saxes") as { SaxesParser: typeof SaxesParserClass }).SaxesParser;
  const parser = new SaxesParser({ xmlns: false });
  const stack: string[] = [];
  let textBuf = "";
  let childCount: number[] = [];
  let error: string | undefined;
  let at: { line: number; column: number; reason: string } | undefined;
  let provider = "";
  let eventIdText: string | undefined;
  let versionText: string | undefined;
  let channel = "";
  let computer = "";
  let timeCreated: string | undefined;
  let recordText: string | undefined;
  const data: Record<string, string> = {};
  let unnamed = 0;
  let dataName: string | undefined;
  let eventsSeen = 0;

  parser.on("error", (e) => {
    if (error !== undefined) return;
    error = e.message;
    at = { line: parser.line, column: parser.column, reason: e.message.replace(/^\d+:\d+: /, "") };
  });
  parser.on("opentag", (tag) => {
    const name = local(tag.name);
    const attrs = tag.attributes as Record<string, string>;
    if (childCount.length > 0) childCount[childCount.length - 1]++;
    const depth = stack.length;
    const parent = stack[depth - 1];
    if (depth === 0 && name === "Event") eventsSeen++;
    if (parent === "System") {
      if (name === "Provider") provider = attrs.Name ?? provider;
      else if (name === "TimeCreated" && attrs.SystemTime !== undefined) timeCreated = attrs.SystemTime;
    }
    if (parent === "EventData" && name === "Data") {
      dataName = attrs.Name;
    }
    stack.push(name);
    childCount.push(0);
    textBuf = "";
  });
  parser.on("text", (t) => {
    textBuf += t;
  });
  parser.on("cdata", (t) => {
    textBuf += t;
  });
  parser.on("closetag", (tag) => {
    const name = local(tag.name);
    const children = childCount.pop() ?? 0;
    stack.pop();
    const parent = stack[stack.length - 1];
    const value = textBuf;
    textBuf = "";
    if (parent === "System" && stack.length === 2) {
      if (name === "EventID") eventIdText = value;
      else if (name === "Version") versionText = value;
      else if (name === "Channel") channel = value;
      else if (name === "Computer") computer = value;
      else if (name === "EventRecordID") recordText = value;
      return;
    }
    if (parent === "EventData" && stack.length === 2) {
      if (name === "Data") setDataField(data, dataName ?? unnamedDataName(unnamed++), value);
      else if (children === 0) setDataField(data, name, value);
      dataName = undefined;
      return;
    }
    if (stack.length >= 3 && stack[1] === "UserData" && children === 0) setDataField(data, name, value);
  });

  try {
    parser.write(text).close();
  } catch (e) {
    error ??= e instanceof Error ? e.message : String(e);
  }
  childCount = [];
  if (error !== undefined) return at !== undefined ? { error, at } : { error };
  if (eventsSeen !== 1) return { error: eventsSeen === 0 ? "no <Event> element" : "more than one <Event>" };
  const eventId = parseUint(eventIdText);
  if (eventId === undefined) return { error: "no System/EventID" };
  const event: ParsedEvent = { provider, channel, eventId, computer, data };
  const v = parseUint(versionText);
  if (v !== undefined) event.version = v;
  const r = parseUint(recordText);
  if (r !== undefined) event.recordId = r;
  if (timeCreated !== undefined) event.timeCreated = timeCreated;
  return { event };
}

/**
 * Fast path for one rendered Windows event in XML (`<Event …>…</Event>`, as Splunk's XmlWinEventLog, wevtutil
 * and PowerShell write it): a hand-written indexOf scanner, no DOM, no per-character state machine
 * (DEPENDENCIES.md §2: ~200 MB/s against ~50 MB/s for saxes).
 *
 * It only accepts the layout it understands: a `<System>` block, then optionally `<EventData>` holding
 * `<Data Name='…'>text</Data>` / `<Data Name='…'/>` / `<Data>text</Data>` / `<Binary>…</Binary>`. Anything
 * else (CDATA, comments, UserData, nested elements in a value, a missing EventID) makes it return undefined,
 * and the caller uses the strict saxes parser instead. Attribute values may be single- or double-quoted.
 * Text is decoded with `decodeXmlText` (exactly once).
 */

import { dataObject } from "../data-object.js";
import { type ParsedEvent, parseUint, unnamedDataName } from "../parsed-event.js";
import type { EventFilter } from "../types.js";
import { decodeXmlText } from "./entities.js";

/**
 * What `scanEventXml` gives, with a filter, for an event the filter rejects: the event is well formed in the
 * layout the scanner accepts (so a full parse would have produced it), but its EventData was only checked,
 * not decoded — no slices, no entity decoding, no objects.
 */
export const FILTERED: unique symbol = Symbol("filtered");

function isBlank(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return false;
  }
  return true;
}

/** Value of attribute `name` inside the start tag s[from, to). */
function attr(s: string, from: number, to: number, name: string): string | undefined {
  let i = from;
  while (true) {
    i = s.indexOf(name, i);
    if (i === -1 || i >= to) return undefined;
    const before = s.charCodeAt(i - 1);
    let j = i + name.length;
    // Name must be a whole attribute name: preceded by whitespace, followed by optional spaces and '='.
    if (before === 32 || before === 9 || before === 10 || before === 13) {
      while (s.charCodeAt(j) === 32) j++;
      if (s.charCodeAt(j) === 61 /* = */) {
        j++;
        while (s.charCodeAt(j) === 32) j++;
        const q = s.charCodeAt(j);
        if (q !== 39 && q !== 34) return undefined;
        const end = s.indexOf(q === 39 ? "'" : '"', j + 1);
        if (end === -1 || end >= to) return undefined;
        return decodeXmlText(s.slice(j + 1, end));
      }
    }
    i = j;
  }
}

/** Text of the first `<tag …>text</tag>` (or "" for `<tag/>`) inside s[from, to); undefined if absent. */
function elementText(s: string, from: number, to: number, tag: string): string | undefined | null {
  const open = `<${tag}`;
  let i = s.indexOf(open, from);
  while (i !== -1 && i < to) {
    const c = s.charCodeAt(i + open.length);
    if (c === 62 /* > */ || c === 32 || c === 47 /* / */ || c === 9 || c === 10 || c === 13) break;
    i = s.indexOf(open, i + open.length);
  }
  if (i === -1 || i >= to) return undefined;
  const gt = s.indexOf(">", i);
  if (gt === -1 || gt >= to) return null;
  if (s.charCodeAt(gt - 1) === 47) return "";
  const close = s.indexOf(`</${tag}>`, gt);
  if (close === -1 || close > to) return null;
  const text = s.slice(gt + 1, close);
  if (text.indexOf("<") !== -1) return null;
  return decodeXmlText(text);
}

/**
 * Scans one event; undefined when the layout is not one the fast path handles. With a `filter` that rejects the
 * event's provider, channel and Event ID (the values a full scan gives), the rest of the event is checked with
 * the very tests the full scan makes, and `FILTERED` comes back exactly where the full scan would have returned
 * an event; where it would have declined, this declines too (the caller parses in full, as without a filter).
 */
export function scanEventXml(s: string, filter?: EventFilter): ParsedEvent | typeof FILTERED | undefined {
  // CDATA and comments are not searched for separately: a value holding one contains '<', which makes the
  // scanner decline below, and a comment between EventData items is not a <Data>/<Binary> tag.
  const sysStart = s.indexOf("<System>");
  const sysEnd = s.indexOf("</System>", sysStart);
  if (sysStart === -1 || sysEnd === -1) return undefined;

  const provTag = s.indexOf("<Provider", sysStart);
  let provider = "";
  if (provTag !== -1 && provTag < sysEnd) {
    const gt = s.indexOf(">", provTag);
    if (gt === -1 || gt > sysEnd) return undefined;
    provider = attr(s, provTag, gt, "Name") ?? "";
  }
  const eventIdText = elementText(s, sysStart, sysEnd, "EventID");
  if (eventIdText === null || eventIdText === undefined) return undefined;
  const eventId = parseUint(eventIdText);
  if (eventId === undefined) return undefined;
  const channel = elementText(s, sysStart, sysEnd, "Channel");
  if (filter !== undefined && channel !== null && !filter(provider, channel ?? "", eventId)) {
    return checkRest(s, sysStart, sysEnd) ? FILTERED : undefined;
  }
  const version = elementText(s, sysStart, sysEnd, "Version");
  const computer = elementText(s, sysStart, sysEnd, "Computer");
  const recordId = elementText(s, sysStart, sysEnd, "EventRecordID");
  if (version === null || channel === null || computer === null || recordId === null) return undefined;
  let timeCreated: string | undefined;
  const tc = s.indexOf("<TimeCreated", sysStart);
  if (tc !== -1 && tc < sysEnd) {
    const gt = s.indexOf(">", tc);
    if (gt === -1 || gt > sysEnd) return undefined;
    timeCreated = attr(s, tc, gt, "SystemTime");
  }

  const ev: ParsedEvent = {
    provider,
    channel: channel ?? "",
    eventId,
    computer: computer ?? "",
    data: {},
  };
  const v = parseUint(version);
  if (v !== undefined) ev.version = v;
  const r = parseUint(recordId);
  if (r !== undefined) ev.recordId = r;
  if (timeCreated !== undefined) ev.timeCreated = timeCreated;

  const rest = sysEnd + 9;
  const edStart = s.indexOf("<EventData", rest);
  if (edStart === -1) return s.indexOf("<UserData", rest) === -1 ? ev : undefined;
  const edOpenEnd = s.indexOf(">", edStart);
  if (edOpenEnd === -1) return undefined;
  if (s.charCodeAt(edOpenEnd - 1) === 47) return ev; // <EventData/>
  const edEnd = s.indexOf("</EventData>", edOpenEnd);
  if (edEnd === -1) return undefined;

  // The items' names and values, made into one object at the end (data-object.ts); the arrays are reused.
  const names = NAMES;
  const values = VALUES;
  names.length = 0;
  values.length = 0;
  let unnamed = 0;
  let i = edOpenEnd + 1;
  /** The first `&` at or after the last text looked at (-1: none left): a text before it has nothing to decode. */
  let amp = s.indexOf("&", i);
  while (true) {
    // The usual item, `<Data Name='n'>v</Data>`, in one step; it is what the loop below makes of it: the name
    // holds no `'<>&` (nothing to decode, no `>` before the tag's end), the text no `<` (it ends at `</Data>`).
    DATA_ITEM.lastIndex = i;
    const item = DATA_ITEM.exec(s);
    if (item !== null) {
      const text = item[2];
      i = DATA_ITEM.lastIndex;
      const textStart = i - 7 - text.length;
      if (amp !== -1 && amp < textStart) amp = s.indexOf("&", textStart);
      names.push(item[1]);
      values.push(amp === -1 || amp >= i ? text : decodeXmlText(text));
      continue;
    }
    const lt = s.indexOf("<", i);
    if (lt === -1 || lt >= edEnd) {
      if (!isBlank(s, i, edEnd)) return undefined; // text directly in EventData
      break;
    }
    if (lt > i && !isBlank(s, i, lt)) return undefined;
    let tag: "Data" | "Binary";
    if (s.startsWith("<Data", lt)) tag = "Data";
    else if (s.startsWith("<Binary", lt)) tag = "Binary";
    else return undefined;
    const after = s.charCodeAt(lt + tag.length + 1);
    if (after !== 62 && after !== 32 && after !== 47 && after !== 9 && after !== 10 && after !== 13)
      return undefined;
    const gt = s.indexOf(">", lt);
    if (gt === -1 || gt > edEnd) return undefined;
    let name = tag === "Data" ? attr(s, lt, gt, "Name") : "Binary";
    if (name === undefined) name = unnamedDataName(unnamed++);
    if (s.charCodeAt(gt - 1) === 47) {
      names.push(name);
      values.push("");
      i = gt + 1;
      continue;
    }
    // The value has no markup, so the next '<' must open the matching end tag.
    const close = s.indexOf("<", gt + 1);
    if (close === -1 || close >= edEnd || !s.startsWith(tag === "Data" ? "</Data>" : "</Binary>", close)) {
      return undefined;
    }
    names.push(name);
    values.push(decodeXmlText(s.slice(gt + 1, close)));
    i = close + tag.length + 3;
  }
  ev.data = dataObject(names, values);
  return ev;
}

/** True when s[from, to) has a `<tag …>text</tag>` (or `<tag/>`) that `elementText` would read, or none. */
function elementOk(s: string, from: number, to: number, tag: string): boolean {
  const open = `<${tag}`;
  let i = s.indexOf(open, from);
  while (i !== -1 && i < to) {
    const c = s.charCodeAt(i + open.length);
    if (c === 62 /* > */ || c === 32 || c === 47 /* / */ || c === 9 || c === 10 || c === 13) break;
    i = s.indexOf(open, i + open.length);
  }
  if (i === -1 || i >= to) return true;
  const gt = s.indexOf(">", i);
  if (gt === -1 || gt >= to) return false;
  if (s.charCodeAt(gt - 1) === 47) return true;
  const close = s.indexOf(`</${tag}>`, gt);
  if (close === -1 || close > to) return false;
  const lt = s.indexOf("<", gt + 1);
  return lt === close;
}

/**
 * Whether `scanEventXml` would accept the rest of the event (the System fields after EventID and Channel, and
 * EventData), making the same tests in the same order but keeping nothing.
 */
function checkRest(s: string, sysStart: number, sysEnd: number): boolean {
  if (!elementOk(s, sysStart, sysEnd, "Version")) return false;
  if (!elementOk(s, sysStart, sysEnd, "Computer")) return false;
  if (!elementOk(s, sysStart, sysEnd, "EventRecordID")) return false;
  const tc = s.indexOf("<TimeCreated", sysStart);
  if (tc !== -1 && tc < sysEnd) {
    const gt = s.indexOf(">", tc);
    if (gt === -1 || gt > sysEnd) return false;
  }
  const rest = sysEnd + 9;
  const edStart = s.indexOf("<EventData", rest);
  if (edStart === -1) return s.indexOf("<UserData", rest) === -1;
  const edOpenEnd = s.indexOf(">", edStart);
  if (edOpenEnd === -1) return false;
  if (s.charCodeAt(edOpenEnd - 1) === 47) return true;
  const edEnd = s.indexOf("</EventData>", edOpenEnd);
  if (edEnd === -1) return false;
  ITEMS.lastIndex = edOpenEnd + 1;
  ITEMS.exec(s);
  return ITEMS.lastIndex === edEnd;
}

const NAMES: string[] = [];
const VALUES: string[] = [];

const DATA_ITEM = /[ \t\n\r]*<Data Name='([^'<>&]*)'>([^<]*)<\/Data>/y;

/**
 * EventData's items as the scanner takes them, from just after `<EventData…>`: blanks, then `<Data…/>` or
 * `<Data…>text</Data>` (likewise Binary) whose text holds no `<`, any number of times, then blanks. The scanner's
 * loop, as one sticky regex (2.5 times faster on real events): each item's start tag runs to the first `>`; a `/`
 * before it makes the element empty, else the text must run to the matching end tag. The match ends at the first
 * place the loop would stop, so it reaches `</EventData>` exactly when every item up to there is one the scanner
 * accepts.
 */
const ITEMS =
  /(?:[ \t\n\r]*(?:<Data(?=[> \t\n\r/])[^>]*(?:(?<=\/)>|(?<!\/)>[^<]*<\/Data>)|<Binary(?=[> \t\n\r/])[^>]*(?:(?<=\/)>|(?<!\/)>[^<]*<\/Binary>)))*[ \t\n\r]*/y;

/**
 * The XML reader's header skip on raw bytes: whether one line of UTF-8 is an event the loaded detections' filter
 * rejects and that the fast scanner (event-scan.ts) accepts, decided before the line is decoded, so that the
 * reader can count it without decoding it (`sink.skip()`).
 *
 * The line is seen through the Latin-1 reading of its input chunk (a copy of the bytes, one character per byte,
 * made once per chunk by decode-lines.ts) and must match `HEADER` then `REST`, the layout Windows and Splunk write,
 *   <Event …><System><Provider Name='…' …/><EventID …>digits</EventID> …other System elements…
 *   [<Channel>…</Channel>] [<Computer>…</Computer>] [<Security …/>]</System>[<EventData>items</EventData>]</Event>
 * where no attribute value or text holds a `<`, `>` or NUL, System's elements are the known ones in Windows'
 * order, and EventData's items are those the scanner takes (`<Data …>text</Data>`, `<Data …/>`, Binary, blanks).
 *
 * Why the answer is the scanner's: in that layout every `<` of the line starts one of the listed tags, so each
 * search the scanner makes (the first `<System>`, `<Provider`, `Name`, `<EventID`, `<Channel`, `</EventData>`…)
 * lands on the element the match found, and each of its checks (Version, Computer, EventRecordID, TimeCreated, the
 * EventData items) passes. Everything the scanner decides by is ASCII, and in UTF-8 a byte below 0x80 is always
 * that character and never part of another, so the Latin-1 reading decides as the UTF-8 text would; the three
 * values the filter reads must be ASCII (the only text that reads the same both ways) and free of `&` (nothing to
 * decode). The text reader reads such a line as that one event: it starts with `<Event`, its only `</Event>` ends
 * it, and it holds no other event start and no NUL. A line that does not match, or whose event the filter keeps,
 * is decoded and read as before: a false answer costs time, never a different result.
 */
import type { EventFilter } from "../types.js";

const V = `(?:'[^'<>\\0]*'|"[^"<>\\0]*")`;
/** System elements before Channel, in any number and order (the scanner only checks their form). */
const BEFORE_CHANNEL = `<(Version|Level|Task|Opcode|Keywords|TimeCreated|EventRecordID|Correlation|Execution)(?=[ />])[^<>\\0]*(?:/>|>[^<>\\0]*</\\4>)`;
const AFTER_CHANNEL = `<(Computer|Security)(?=[ />])[^<>\\0]*(?:/>|>[^<>\\0]*</\\6>)`;
const ITEM = `[ \\t\\n\\r]*(?:<Data(?=[> \\t\\n\\r/])[^<>\\0]*(?:(?<=/)>|(?<!/)>[^<\\0]*</Data>)|<Binary(?=[> \\t\\n\\r/])[^<>\\0]*(?:(?<=/)>|(?<!/)>[^<\\0]*</Binary>))`;

/** The line up to `</System>`. Groups: 1/2 provider (single/double quotes), 3 Event ID, 4 and 6 element names, 5 channel. */
const HEADER = new RegExp(
  `<Event(?:[ \\t\\r][^<>\\0]*)?><System>` +
    `<Provider Name=(?:'([^'<>&\\0]*)'|"([^"<>&\\0]*)")[^<>\\0]*/>` +
    `<EventID(?: Qualifiers=${V})?>(\\d{1,15})</EventID>` +
    `(?:${BEFORE_CHANNEL})*` +
    `(?:<Channel>([^<>&\\0]*)</Channel>|<Channel/>)?` +
    `(?:${AFTER_CHANNEL})*` +
    `</System>`,
  "y",
);
/** The rest of the line, from just after `</System>`. */
const REST = new RegExp(`(?:<EventData/>|<EventData>(?:${ITEM})*[ \\t\\n\\r]*</EventData>)?</Event>`, "y");

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/**
 * True when `latin[start, end)` (one line of the Latin-1 reading of the input, CR removed) is one event that
 * the filter rejects and that the scanner accepts. The header is matched first and the filter asked, so the
 * EventData of an event the filter keeps (decoded and scanned next) is not also matched here.
 */
export function skipsEventLine(latin: string, start: number, end: number, filter: EventFilter): boolean {
  if (latin.charCodeAt(start) !== 60 || latin.charCodeAt(end - 1) !== 62) return false;
  HEADER.lastIndex = start;
  const m = HEADER.exec(latin);
  if (m === null) return false;
  const eventId = Number(m[3]);
  if (filter.eventIds === undefined || filter.eventIds.has(eventId)) {
    const provider = m[1] ?? m[2];
    const channel = m[5] ?? "";
    if (!isAscii(provider) || !isAscii(channel) || filter(provider, channel, eventId)) return false;
  }
  REST.lastIndex = HEADER.lastIndex;
  return REST.exec(latin) !== null && REST.lastIndex === end;
}

/**
 * Reader for line-oriented event text: Splunk XmlWinEventLog (one `<Event>` per line), `<Events>` exports,
 * pretty-printed multi-line events (Event Viewer / wevtutil), several events on one line, and classic
 * WinEventLog key=value events — alone or mixed in one file.
 *
 * Design notes (a small state machine over lines):
 * - Outside an event: blank lines are ignored; `<?xml…?>`, `<Events…>`, `</Events>` and comments are
 *   wrappers; `<Event` starts an XML event, which ends at `</Event>` on the same or a later line. A classic
 *   event starts at a `MM/DD/YYYY hh:mm:ss AM` line followed by a `Key=` line (one line of look-ahead); it
 *   ends where the next event starts. Anything else is a foreign line.
 * - A `LogName=` line where no classic event can start (its timestamp line is damaged or missing), or a
 *   timestamp line followed by another classic header key (its `LogName=` line is damaged), opens a classic
 *   event that is reported once as `classic-malformed`, so its lines neither vanish into the previous event's
 *   message nor each count as a foreign line.
 * - An XML event that is still open when a new `<Event` starts, when a classic event starts, when a line of
 *   binary junk (NUL or control characters) arrives, or at the end of input is truncated: one
 *   `xml-malformed` at its first line. Nothing is salvaged from it.
 * - One event is parsed by xml/parse-event-xml.ts (fast scanner, saxes fallback) or classic/classic-event.ts.
 *   With the loaded detections' filter, an XML event whose header the filter rejects is only checked, not built
 *   (`FILTERED`), and counted with `sink.skip()`: the same count, and the same diagnostics, as building it and
 *   letting the sink drop it.
 */
import type { WinEvent } from "../../model/event.js";
import {
  isClassicFirstKey,
  isClassicHeaderKey,
  isClassicHeaderLine,
  isClassicTimestamp,
  isDistinctiveClassicKey,
  parseClassicEvent,
} from "../classic/classic-event.js";
import type { EventSink } from "../event-sink.js";
import type { ParsedEvent } from "../parsed-event.js";
import type { EventBatch } from "../types.js";
import { FILTERED, parseEventXml, parseEventXmlFiltered } from "../xml/parse-event-xml.js";
import { type LineBatch, SKIPPED_LINE } from "./decode-lines.js";

/** An open multi-line XML event may not grow beyond this many characters. */
const MAX_EVENT_CHARS = 64 * 1024 * 1024;
/** A classic event may not have more lines than this (its Message included). */
const MAX_CLASSIC_LINES = 100_000;

const WRAPPERS = /<\?xml[^>]*\?>|<\/?Events(?:\s[^>]*)?>|<!--[\s\S]*?-->|\s+/g;
const JUNK = /[\x00-\x08\x0b\x0c\x0e-\x1f]/;

function isIgnorable(s: string): boolean {
  return s.replace(WRAPPERS, "").length === 0;
}

/** Index of the next `<Event` start tag (not `<Events`, `<EventData`, …) at or after `from`, or -1. */
export function findEventStart(s: string, from: number): number {
  let i = s.indexOf("<Event", from);
  while (i !== -1) {
    const c = s.charCodeAt(i + 6);
    if (c === 32 || c === 62 || c === 9 || c === 10 || c === 13 || c === 47 || Number.isNaN(c)) return i;
    i = s.indexOf("<Event", i + 6);
  }
  return -1;
}

export async function* readTextEvents(
  lines: AsyncIterable<LineBatch>,
  sink: EventSink,
  file: string,
): AsyncGenerator<EventBatch, void> {
  // Open XML event
  let xmlParts: string[] | undefined;
  let xmlLen = 0;
  let xmlLine = 0;
  /** Column (0-based) in `xmlLine` where the open event's text starts. */
  let xmlColumn = 0;
  // Open classic event
  let classic: string[] | undefined;
  let classicLine = 0;
  /** Set when the open classic event is known to be damaged: it is reported, not parsed. */
  let classicBroken: string | undefined;
  /** The open classic event has reached its `Message=` line. */
  let classicInMessage = false;
  // A timestamp line that may start a classic event (decided by the next line)
  let pendingTs: string | undefined;
  let pendingTsLine = 0;

  const emit = (p: ParsedEvent, line: number): void => {
    const e = p as WinEvent;
    e.origin = { file, line };
    sink.add(e);
  };

  /** Parses one event that starts at file line `line`, column `column0` (0-based); errors point into the file. */
  const filter = sink.filter;
  const parseXml = (text: string, line: number, column0: number): void => {
    const r = filter === undefined ? parseEventXml(text) : parseEventXmlFiltered(text, filter);
    if (r === FILTERED) {
      sink.skip();
      return;
    }
    if (!("error" in r)) {
      emit(r.event, line);
      return;
    }
    if (r.at === undefined) {
      sink.broken("xml-malformed", `unreadable XML event: ${r.error}`, line);
      return;
    }
    // saxes counts from the start of the event text: make its position the file's line and column.
    const at = line + r.at.line - 1;
    const column = r.at.line === 1 ? column0 + r.at.column : r.at.column;
    const starts = at !== line ? ` (the event starts at line ${line})` : "";
    sink.broken("xml-malformed", `unreadable XML event${starts}: ${r.at.reason}`, at, undefined, column);
  };

  const truncateXml = (why: string): void => {
    if (xmlParts === undefined) return;
    sink.broken("xml-malformed", `XML event is truncated (${why})`, xmlLine);
    xmlParts = undefined;
    xmlLen = 0;
  };

  const finishClassic = (): void => {
    if (classic === undefined) return;
    const r: { error: string } | ReturnType<typeof parseClassicEvent> =
      classicBroken !== undefined ? { error: classicBroken } : parseClassicEvent(classic);
    if ("error" in r) sink.broken("classic-malformed", `unreadable classic event: ${r.error}`, classicLine);
    else emit(r.event, classicLine);
    classic = undefined;
    classicBroken = undefined;
    classicInMessage = false;
  };

  /** Opens a classic event at `no` that is already known to be damaged. */
  const openBrokenClassic = (line: string, no: number, why: string): void => {
    finishClassic();
    truncateXml("a classic event starts");
    classic = [line];
    classicLine = no;
    classicBroken = why;
  };

  /** A line (or the rest of one) outside any event. NULs are already removed; junk is judged by content. */
  const fresh = (line: string, no: number, base = 0): void => {
    let pos = 0;
    let foreign = false;
    while (true) {
      const s = findEventStart(line, pos);
      if (s === -1) {
        if (!isIgnorable(pos === 0 ? line : line.slice(pos))) foreign = true;
        break;
      }
      if (s > pos && !isIgnorable(line.slice(pos, s))) foreign = true;
      const end = line.indexOf("</Event>", s);
      const next = findEventStart(line, s + 6);
      if (end === -1 || (next !== -1 && next < end)) {
        if (next !== -1) {
          // an event start with another start before its end: truncated in the middle of a line
          sink.broken("xml-malformed", "XML event is truncated (a new <Event> starts before </Event>)", no);
          pos = next;
          continue;
        }
        xmlParts = [line.slice(s)];
        xmlLen = line.length - s;
        xmlLine = no;
        xmlColumn = base + s;
        break;
      }
      parseXml(s === 0 && end + 8 === line.length ? line : line.slice(s, end + 8), no, base + s);
      pos = end + 8;
    }
    if (foreign) {
      if (isClassicHeaderKey(line))
        sink.foreign("classic-malformed", "key=value line outside a classic event", no);
      else sink.foreign("xml-malformed", "text line that is not part of an event", no);
    }
  };

  /** A held timestamp line that turned out not to start a classic event belongs to what was open. */
  const releaseTimestamp = (): void => {
    if (pendingTs === undefined) return;
    const ts = pendingTs;
    pendingTs = undefined;
    if (classic !== undefined) classic.push(ts);
    else if (xmlParts !== undefined) xmlParts.push(ts);
    else sink.foreign("classic-malformed", "timestamp line not followed by a classic event", pendingTsLine);
  };

  const onLine = (line: string, no: number, junk: boolean): void => {
    // One line of look-ahead for a classic timestamp line.
    if (pendingTs !== undefined) {
      if (!junk && isClassicFirstKey(line)) {
        finishClassic();
        truncateXml("a classic event starts");
        classic = [pendingTs, line];
        classicLine = pendingTsLine;
        pendingTs = undefined;
        return;
      }
      if (!junk && isClassicHeaderLine(line)) {
        const tsNo = pendingTsLine;
        pendingTs = undefined;
        openBrokenClassic(line, tsNo, "the LogName= line after the timestamp is missing or damaged");
        return;
      }
      releaseTimestamp();
    }

    if (xmlParts !== undefined) {
      const end = line.indexOf("</Event>");
      if (junk && end === -1) {
        truncateXml("binary data follows");
        fresh(line, no);
        return;
      }
      const next = findEventStart(line, 0);
      if (next !== -1 && (end === -1 || next < end)) {
        truncateXml("a new <Event> starts");
        fresh(line, no);
        return;
      }
      if (end === -1) {
        if (isClassicTimestamp(line)) {
          pendingTs = line;
          pendingTsLine = no;
          return;
        }
        xmlLen += line.length + 1;
        if (xmlLen > MAX_EVENT_CHARS) {
          truncateXml("longer than the event size cap");
          return;
        }
        xmlParts.push(line);
        return;
      }
      xmlParts.push(line.slice(0, end + 8));
      const text = xmlParts.join("\n");
      const startLine = xmlLine;
      xmlParts = undefined;
      xmlLen = 0;
      parseXml(text, startLine, xmlColumn);
      const rest = line.slice(end + 8);
      if (rest.length > 0) fresh(rest, no, end + 8);
      return;
    }

    if (classic !== undefined) {
      if (junk) {
        finishClassic();
        fresh(line, no);
        return;
      }
      if (isClassicTimestamp(line)) {
        pendingTs = line;
        pendingTsLine = no;
        return;
      }
      if (findEventStart(line, 0) !== -1 && line.trimStart().startsWith("<Event")) {
        finishClassic();
        fresh(line, no);
        return;
      }
      if (isClassicFirstKey(line)) {
        // A new classic event whose timestamp line is damaged: it must not vanish into this message.
        openBrokenClassic(line, no, "the timestamp line before LogName= is missing or damaged");
        return;
      }
      if (classicInMessage && isDistinctiveClassicKey(line)) {
        // Header lines inside a message: the next event's first lines are damaged.
        openBrokenClassic(line, no, "its first lines (timestamp, LogName=) are missing or damaged");
        return;
      }
      if (!classicInMessage && line.startsWith("Message=")) classicInMessage = true;
      if (classic.length >= MAX_CLASSIC_LINES) {
        sink.broken("classic-malformed", "classic event has too many lines", classicLine);
        classic = undefined;
        return;
      }
      classic.push(line);
      return;
    }

    if (line.trim().length === 0) return;
    if (!junk && isClassicTimestamp(line)) {
      pendingTs = line;
      pendingTsLine = no;
      return;
    }
    if (isClassicFirstKey(line)) {
      // a classic event without its timestamp line: reported once, as a whole
      openBrokenClassic(line, no, "the timestamp line before LogName= is missing or damaged");
      return;
    }
    fresh(line, no);
  };

  /**
   * A line decodeLines' `skipLine` took (xml/event-peek.ts): one whole event the filter rejects, as `onLine` would
   * meet it — what is open ends as that line would end it, then the event is counted (`fresh` → FILTERED).
   */
  const onSkipped = (): void => {
    releaseTimestamp();
    if (xmlParts !== undefined) truncateXml("a new <Event> starts");
    else if (classic !== undefined) finishClassic();
    sink.skip();
  };

  for await (const batch of lines) {
    const nul = batch.nulLines;
    let nulIdx = 0;
    for (let i = 0; i < batch.lines.length; i++) {
      const l = batch.lines[i];
      const no = batch.first + i;
      if (l === SKIPPED_LINE) {
        onSkipped();
        continue;
      }
      if (typeof l !== "string") {
        // An overlong line: whatever event it belonged to cannot be read.
        releaseTimestamp();
        if (xmlParts !== undefined) truncateXml(`line ${no} is longer than the line cap`);
        else if (classic !== undefined) {
          sink.broken(
            "classic-malformed",
            `classic event has a line longer than the cap (line ${no})`,
            classicLine,
          );
          classic = undefined;
        } else
          sink.broken(
            "xml-malformed",
            `line of ${l.overlong} characters is longer than the line cap; skipped`,
            no,
          );
        continue;
      }
      let hadNul = false;
      if (nul !== undefined && nul[nulIdx] === i) {
        nulIdx++;
        hadNul = true;
      }
      // Junk only matters inside an open event or before a classic header line; skip the scan otherwise.
      const needJunk = xmlParts !== undefined || classic !== undefined || pendingTs !== undefined;
      onLine(l, no, hadNul || (needJunk && JUNK.test(l)));
    }
    if (sink.stopped) {
      // `--strict` stopped the run: what is still open was not cut short, it is simply not read.
      const out = sink.take(true);
      if (out) yield out;
      return;
    }
    const out = sink.take();
    if (out) yield out;
  }
  releaseTimestamp();
  truncateXml("end of input");
  finishClassic();
  const out = sink.take(true);
  if (out) yield out;
}

/**
 * Classic (non-XML) WinEventLog text as Splunk exports it:
 *
 *   01/14/2021 11:41:39 PM
 *   LogName=Microsoft-Windows-PowerShell/Operational
 *   SourceName=Microsoft-Windows-PowerShell
 *   EventCode=4104
 *   ComputerName=win-dc-791937.attackrange.local
 *   …
 *   Message=Creating Scriptblock text (1 of 1):
 *   …more message lines…
 *
 * Mapping: LogName → channel, SourceName → provider, EventCode → eventId, ComputerName → computer,
 * RecordNumber → recordId, the first line → timeCreated. That timestamp is the host's local time without a
 * zone: it is read as UTC (timeSource "local-as-utc"). For Security 4688 the Message's labelled lines are
 * mapped back to EventData names (message-fields.ts); for Sysmon the Message's `Name: value` lines are the
 * EventData. Other events keep no EventData (their Message text is not split).
 */
import { type ParsedEvent, parseUint } from "../parsed-event.js";
import { CLASSIC_SYSTEM_KEYS, SECURITY_4688_MESSAGE } from "./message-fields.js";

const TIMESTAMP = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2}):(\d{2})(?: ?([AaPp][Mm]))?\s*$/;

/** True for the first line of a classic event (`MM/DD/YYYY hh:mm:ss AM`). */
export function isClassicTimestamp(line: string): boolean {
  return line.length <= 32 && TIMESTAMP.test(line);
}

/** True for a `Key=value` header line. */
export function isClassicHeaderKey(line: string): boolean {
  return /^[A-Za-z][A-Za-z0-9_]*=/.test(line);
}

/** Header keys Splunk writes for a classic event (before `Message=`). */
const CLASSIC_HEADER_LINE =
  /^(LogName|SourceName|EventCode|EventType|Type|ComputerName|User|Sid|SidType|TaskCategory|OpCode|RecordNumber|Keywords|Message)=/;

/** True for a line that can only be a classic event's header line. */
export function isClassicHeaderLine(line: string): boolean {
  return CLASSIC_HEADER_LINE.test(line);
}

/** Header keys that a message line practically never starts with (used to spot damaged event starts). */
export function isDistinctiveClassicKey(line: string): boolean {
  return /^(LogName|SourceName|EventCode|ComputerName|RecordNumber|TaskCategory)=/.test(line);
}

/** True for the second line of a classic event: Splunk always writes `LogName=` first. */
export function isClassicFirstKey(line: string): boolean {
  return line.startsWith("LogName=");
}

function timestampToIso(line: string): string | undefined {
  const m = TIMESTAMP.exec(line);
  if (!m) return undefined;
  const mo = Number(m[1]);
  const d = Number(m[2]);
  let h = Number(m[4]);
  const ampm = m[7]?.toUpperCase();
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23) return undefined;
  if (ampm !== undefined) {
    if (h < 1 || h > 12) return undefined;
    if (ampm === "AM" && h === 12) h = 0;
    else if (ampm === "PM" && h !== 12) h += 12;
  }
  const p2 = (n: number) => String(n).padStart(2, "0");
  return `${m[3]}-${p2(mo)}-${p2(d)}T${p2(h)}:${m[5]}:${m[6]}Z`;
}

export type ClassicResult = { event: ParsedEvent } | { error: string };

/** Parses one classic event from its lines (the timestamp line first). */
export function parseClassicEvent(lines: readonly string[]): ClassicResult {
  const timeCreated = timestampToIso(lines[0] ?? "");
  if (timeCreated === undefined) return { error: "first line is not a MM/DD/YYYY hh:mm:ss timestamp" };
  const header: Record<string, string> = {};
  let message: string[] | undefined;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (message !== undefined) {
      message.push(line);
      continue;
    }
    const eq = line.indexOf("=");
    if (eq <= 0) {
      if (line.trim().length === 0) continue;
      return { error: `line ${i + 1} of the event is not key=value before Message=` };
    }
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (key === "Message") message = [value];
    else header[key] = value;
  }
  const eventId = parseUint(header[CLASSIC_SYSTEM_KEYS.eventId]);
  if (eventId === undefined) return { error: "no numeric EventCode=" };
  const event: ParsedEvent = {
    provider: header[CLASSIC_SYSTEM_KEYS.provider] ?? "",
    channel: header[CLASSIC_SYSTEM_KEYS.channel] ?? "",
    eventId,
    computer: header[CLASSIC_SYSTEM_KEYS.computer] ?? "",
    timeCreated,
    timeSource: "local-as-utc",
    data: {},
  };
  const rec = parseUint(header[CLASSIC_SYSTEM_KEYS.recordId]);
  if (rec !== undefined) event.recordId = rec;
  if (message !== undefined) {
    if (event.eventId === 4688 && /security/i.test(`${event.provider} ${event.channel}`)) {
      parseSecurityMessage(message, event.data);
    } else if (/sysmon/i.test(`${event.provider} ${event.channel}`)) {
      parseSysmonMessage(message, event.data);
    }
  }
  return { event };
}

function parseSecurityMessage(lines: readonly string[], data: Record<string, string>): void {
  let section: Readonly<Record<string, string>> | undefined;
  for (const raw of lines) {
    if (raw.trim().length === 0) continue;
    const indented = raw.charCodeAt(0) === 9 || raw.charCodeAt(0) === 32;
    const line = raw.trim();
    const colon = line.indexOf(":");
    if (!indented) {
      section = colon === line.length - 1 ? ownValue(SECURITY_4688_MESSAGE, line.slice(0, -1)) : undefined;
      continue;
    }
    if (section === undefined || colon <= 0) continue;
    const name = ownValue(section, line.slice(0, colon).trim());
    if (name !== undefined) data[name] = line.slice(colon + 1).trim();
  }
}

/** A table's entry for a name from the input; a name such as `constructor` is not one of its entries. */
function ownValue<T>(table: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

function parseSysmonMessage(lines: readonly string[], data: Record<string, string>): void {
  for (const line of lines) {
    const m = /^([A-Za-z][A-Za-z0-9]*): ?(.*)$/.exec(line);
    if (m) data[m[1]] = m[2];
  }
}

/**
 * The event-time rule for JSON layouts (SEMANTICS.md §3 "Event time in JSON"), applied after the layout
 * has filled what it knows: the event's own system time, else `@timestamp` (UTC), else NXLog's `EventTime`,
 * which is local time without a zone and is read as UTC (timeSource "local-as-utc").
 * Sysmon's UtcTime stays in data.UtcTime; normalization prefers it.
 */
import type { ParsedEvent } from "../../parsed-event.js";
import { at, text } from "../json-access.js";

/** `2020-08-01 07:53:24` (or with a `T`, optional fraction, no zone) → ISO 8601 text with `Z`. */
export function localToIsoAsUtc(s: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)$/.exec(s.trim());
  return m ? `${m[1]}T${m[2]}Z` : undefined;
}

export function applyJsonTime(ev: ParsedEvent, o: unknown, systemTime: string | undefined): void {
  if (systemTime !== undefined && systemTime.length > 0) {
    ev.timeCreated = systemTime;
    ev.timeSource = "system";
    return;
  }
  const ts = text(at(o, "@timestamp"));
  if (ts !== undefined && ts.length > 0) {
    ev.timeCreated = ts;
    ev.timeSource = "timestamp";
    return;
  }
  const local = text(at(o, "EventTime"));
  const iso = local === undefined ? undefined : localToIsoAsUtc(local);
  if (iso !== undefined) {
    ev.timeCreated = iso;
    ev.timeSource = "local-as-utc";
  }
}

/**
 * Time spans as used by `span=` (tstats, bin): `30s`, `5m`, `1h`, `1d`, with Splunk's unit spellings.
 * Months and weeks are calendar-dependent and not supported here.
 */

const UNITS: Record<string, number> = {
  s: 1,
  sec: 1,
  secs: 1,
  second: 1,
  seconds: 1,
  m: 60,
  min: 60,
  mins: 60,
  minute: 60,
  minutes: 60,
  h: 3600,
  hr: 3600,
  hrs: 3600,
  hour: 3600,
  hours: 3600,
  d: 86400,
  day: 86400,
  days: 86400,
};

/** Seconds in the span, or undefined if the text is not a supported span. A bare number is seconds. */
export function parseSpan(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([a-z]*)$/i.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2].toLowerCase();
  // Own keys only: `1constructor` is not a span.
  const mult = unit === "" ? 1 : Object.hasOwn(UNITS, unit) ? UNITS[unit] : undefined;
  if (mult === undefined || n <= 0) return undefined;
  return n * mult;
}

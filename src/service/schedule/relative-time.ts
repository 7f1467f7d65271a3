/**
 * Splunk relative time modifiers as saved searches use them for their window: `now`, `-70m@m`, `-10m@m`,
 * `-24h@h`, `@d`, `-1d@d`, `+0s` — an optional offset (`[+-]N unit`), then an optional snap (`@unit`, rounding
 * down in UTC). Units: s, m, h, d, w (also their long spellings sec/min/hour/day/week). Weekday snaps
 * (`@w1`) and months are not supported (a string explains).
 */

const UNIT_MS: Record<string, number> = {
  s: 1000,
  sec: 1000,
  secs: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  w: 7 * 86_400_000,
  week: 7 * 86_400_000,
  weeks: 7 * 86_400_000,
};

/** Epoch ms of a relative time modifier at `nowMs`, or an explanation when it cannot be read. */
export function relativeTime(text: string, nowMs: number): number | string {
  const t = text.trim();
  if (t === "now" || t === "") return nowMs;
  const m = /^(?:([+-])(\d*)([a-z]+))?(?:@([a-z]+))?$/.exec(t);
  if (!m || (m[1] === undefined && m[4] === undefined)) return `unsupported time modifier "${text}"`;
  let ms = nowMs;
  if (m[1] !== undefined) {
    const unit = UNIT_MS[m[3]];
    if (unit === undefined) return `unsupported time unit in "${text}"`;
    const n = m[2] === "" ? 1 : Number(m[2]);
    ms += (m[1] === "-" ? -1 : 1) * n * unit;
  }
  if (m[4] !== undefined) {
    const unit = UNIT_MS[m[4]];
    if (unit === undefined) return `unsupported snap unit in "${text}"`;
    if (unit === UNIT_MS.w) {
      const d = new Date(ms);
      ms = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - d.getUTCDay());
    } else ms = Math.floor(ms / unit) * unit;
  }
  return ms;
}

/**
 * Event times to epoch seconds (with a fraction), parsed by hand: `Date.parse` keeps only milliseconds and
 * accepts too much. Accepts ISO 8601 with any number of fractional digits and `Z`/offset, and Sysmon's
 * `YYYY-MM-DD HH:MM:SS.mmm` (UTC). Returns undefined for anything else.
 */
const TIME_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?\s*(Z|[+-]\d{2}:?\d{2})?$/;

export function parseEventTime(text: string): number | undefined {
  const m = TIME_RE.exec(text.trim());
  if (m === null) return undefined;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  if (Number.isNaN(ms)) return undefined;
  let seconds = ms / 1000;
  if (m[7] !== undefined) seconds += Number(`0.${m[7].slice(0, 9)}`);
  const zone = m[8];
  if (zone !== undefined && zone !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    seconds -= sign * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2, 4)) * 60);
  }
  return seconds;
}

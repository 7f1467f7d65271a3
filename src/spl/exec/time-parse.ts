/**
 * Time parsing for eval: `strptime` formats and `relative_time` modifiers, in UTC.
 *
 * strptime directives: %Y %y %m %d %e %H %k %I %l %M %S %p %b %h %B %a %A %j %z %Z %T %F %D %R %s
 * %N %3N %6N %9N %Q %f %%. The value must match from its start; trailing text is ignored (as in
 * Splunk). %Z accepts UTC/GMT/Z only. Returns epoch seconds (with a fraction) or undefined.
 *
 * relative_time modifiers: `now`, offsets `[+-]N unit` (s m h d w mon q y, Splunk spellings) and a
 * snap `@unit` (`@w0`…`@w6` for a weekday) optionally followed by more offsets.
 */

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const MONTH_NAMES = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];
const DAY_RE = "(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*";

type Setter = (m: string, t: Fields) => boolean;
interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  frac: number;
  pm?: boolean;
  offsetMin: number;
  epoch?: number;
  yday?: number;
}

export type TimeParser = (text: string) => number | undefined;

export function compileStrptime(format: string): TimeParser | { error: string } {
  let src = "";
  const setters: Setter[] = [];
  const group = (re: string, set: Setter) => {
    src += `(${re})`;
    setters.push(set);
  };
  const num = (key: "year" | "month" | "day" | "hour" | "minute" | "second") => (m: string, t: Fields) => {
    t[key] = Number(m);
    return true;
  };
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c !== "%") {
      src += c.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&").replace(/ /g, "\\s+");
      continue;
    }
    let j = i + 1;
    while (j < format.length && /\d/.test(format[j])) j++;
    const d = format[j];
    i = j;
    switch (d) {
      case "Y":
        group("\\d{4}", num("year"));
        break;
      case "y":
        group("\\d{2}", (m, t) => {
          const y = Number(m);
          t.year = y < 69 ? 2000 + y : 1900 + y;
          return true;
        });
        break;
      case "m":
        group("\\d{1,2}", num("month"));
        break;
      case "d":
      case "e":
        group("\\s?\\d{1,2}", (m, t) => {
          t.day = Number(m.trim());
          return true;
        });
        break;
      case "H":
      case "k":
      case "I":
      case "l":
        group("\\s?\\d{1,2}", (m, t) => {
          t.hour = Number(m.trim());
          return true;
        });
        break;
      case "M":
        group("\\d{1,2}", num("minute"));
        break;
      case "S":
        group("\\d{1,2}", num("second"));
        break;
      case "p":
        group("[AaPp][Mm]", (m, t) => {
          t.pm = m.toLowerCase() === "pm";
          return true;
        });
        break;
      case "b":
      case "h":
      case "B":
        group("[A-Za-z]{3,9}", (m, t) => {
          const l = m.toLowerCase();
          const k = d === "B" ? MONTH_NAMES.indexOf(l) : MONTHS.indexOf(l.slice(0, 3));
          if (k < 0) return false;
          t.month = k + 1;
          return true;
        });
        break;
      case "a":
      case "A":
        src += DAY_RE;
        break;
      case "j":
        group("\\d{1,3}", (m, t) => {
          t.yday = Number(m);
          return true;
        });
        break;
      case "z":
        group("[+-]\\d{2}:?\\d{2}|Z", (m, t) => {
          if (m === "Z") return true;
          const sign = m[0] === "-" ? -1 : 1;
          const digits = m.slice(1).replace(":", "");
          t.offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
          return true;
        });
        break;
      case "Z":
        group("UTC|GMT|Z", () => true);
        break;
      case "T":
        group("\\d{1,2}:\\d{2}:\\d{2}", (m, t) => {
          const [h, mi, s] = m.split(":").map(Number);
          Object.assign(t, { hour: h, minute: mi, second: s });
          return true;
        });
        break;
      case "R":
        group("\\d{1,2}:\\d{2}", (m, t) => {
          const [h, mi] = m.split(":").map(Number);
          Object.assign(t, { hour: h, minute: mi });
          return true;
        });
        break;
      case "F":
        group("\\d{4}-\\d{1,2}-\\d{1,2}", (m, t) => {
          const [y, mo, da] = m.split("-").map(Number);
          Object.assign(t, { year: y, month: mo, day: da });
          return true;
        });
        break;
      case "D":
        group("\\d{1,2}/\\d{1,2}/\\d{2}", (m, t) => {
          const [mo, da, y] = m.split("/").map(Number);
          Object.assign(t, { year: y < 69 ? 2000 + y : 1900 + y, month: mo, day: da });
          return true;
        });
        break;
      case "s":
        group("\\d+", (m, t) => {
          t.epoch = Number(m);
          return true;
        });
        break;
      case "N":
      case "Q":
      case "f":
        group("\\d+", (m, t) => {
          t.frac = Number(`0.${m}`);
          return true;
        });
        break;
      case "%":
        src += "%";
        break;
      default:
        return { error: `strptime directive '%${d ?? ""}' is not supported` };
    }
  }
  const re = new RegExp(`^${src}`, "i");
  return (text) => {
    const m = re.exec(text);
    if (!m) return undefined;
    const t: Fields = { year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, frac: 0, offsetMin: 0 };
    for (let k = 0; k < setters.length; k++) if (!setters[k](m[k + 1], t)) return undefined;
    if (t.epoch !== undefined) return t.epoch + t.frac;
    let hour = t.hour;
    if (t.pm !== undefined) hour = (hour % 12) + (t.pm ? 12 : 0);
    if (
      t.month < 1 ||
      t.month > 12 ||
      t.day < 1 ||
      t.day > 31 ||
      hour > 23 ||
      t.minute > 59 ||
      t.second > 60
    ) {
      return undefined;
    }
    let ms = Date.UTC(t.year, t.month - 1, t.day, hour, t.minute, t.second);
    if (t.yday !== undefined) ms = Date.UTC(t.year, 0, t.yday, hour, t.minute, t.second);
    return ms / 1000 + t.frac - t.offsetMin * 60;
  };
}

const REL_UNITS: Record<string, string> = {
  s: "s",
  sec: "s",
  secs: "s",
  second: "s",
  seconds: "s",
  m: "m",
  min: "m",
  mins: "m",
  minute: "m",
  minutes: "m",
  h: "h",
  hr: "h",
  hrs: "h",
  hour: "h",
  hours: "h",
  d: "d",
  day: "d",
  days: "d",
  w: "w",
  week: "w",
  weeks: "w",
  mon: "mon",
  month: "mon",
  months: "mon",
  q: "q",
  qtr: "q",
  quarter: "q",
  quarters: "q",
  y: "y",
  yr: "y",
  year: "y",
  years: "y",
};

/** The unit a spelling stands for; own keys only (`-1constructor` is malformed). */
function relUnit(spelling: string): string | undefined {
  return Object.hasOwn(REL_UNITS, spelling) ? REL_UNITS[spelling] : undefined;
}

/** Applies a relative time modifier to `epoch`; undefined when the modifier is malformed. */
export function relativeTime(epoch: number, modifier: string): number | undefined {
  const spec = modifier.trim().toLowerCase();
  if (spec === "now" || spec === "") return epoch;
  let d = new Date(Math.floor(epoch) * 1000);
  let frac = epoch - Math.floor(epoch);
  let i = 0;
  const re = /([+-])(\d*)([a-z]+)|@([a-z]+)(\d?)/y;
  while (i < spec.length) {
    re.lastIndex = i;
    const m = re.exec(spec);
    if (!m) return undefined;
    i = re.lastIndex;
    if (m[1] !== undefined) {
      const unit = relUnit(m[3]);
      if (!unit) return undefined;
      const n = (m[2] === "" ? 1 : Number(m[2])) * (m[1] === "-" ? -1 : 1);
      d = addUnit(d, unit, n);
    } else {
      const unit = relUnit(m[4]);
      if (!unit) return undefined;
      d = snap(d, unit, m[5] === "" ? 0 : Number(m[5]));
      frac = 0;
    }
  }
  return d.getTime() / 1000 + frac;
}

function addUnit(d: Date, unit: string, n: number): Date {
  const t = new Date(d.getTime());
  switch (unit) {
    case "s":
      return new Date(d.getTime() + n * 1000);
    case "m":
      return new Date(d.getTime() + n * 60_000);
    case "h":
      return new Date(d.getTime() + n * 3_600_000);
    case "d":
      t.setUTCDate(t.getUTCDate() + n);
      return t;
    case "w":
      t.setUTCDate(t.getUTCDate() + 7 * n);
      return t;
    case "mon":
      t.setUTCMonth(t.getUTCMonth() + n);
      return t;
    case "q":
      t.setUTCMonth(t.getUTCMonth() + 3 * n);
      return t;
    default:
      t.setUTCFullYear(t.getUTCFullYear() + n);
      return t;
  }
}

function snap(d: Date, unit: string, weekday: number): Date {
  const y = d.getUTCFullYear();
  const mo = d.getUTCMonth();
  const da = d.getUTCDate();
  switch (unit) {
    case "s":
      return new Date(Math.floor(d.getTime() / 1000) * 1000);
    case "m":
      return new Date(Math.floor(d.getTime() / 60_000) * 60_000);
    case "h":
      return new Date(Math.floor(d.getTime() / 3_600_000) * 3_600_000);
    case "d":
      return new Date(Date.UTC(y, mo, da));
    case "w": {
      const back = (d.getUTCDay() - weekday + 7) % 7;
      return new Date(Date.UTC(y, mo, da - back));
    }
    case "mon":
      return new Date(Date.UTC(y, mo, 1));
    case "q":
      return new Date(Date.UTC(y, mo - (mo % 3), 1));
    default:
      return new Date(Date.UTC(y, 0, 1));
  }
}

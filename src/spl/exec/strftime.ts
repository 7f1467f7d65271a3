/**
 * strftime for `convert ctime` and eval `strftime` (SEMANTICS §4): UTC, seconds truncated (never
 * rounded). The format is checked when the search is compiled: an unknown `%x` is an error.
 *
 * Supported: %Y %y %m %d %e %H %k %I %l %M %S %p %b %h %B %a %A %j %u %w %z %Z %T %F %D %R %s
 * %N %3N %6N %9N (sub-second digits, %N = 3), %Q %3Q %6Q %9Q (same), %f (microseconds), %n %t %%.
 */

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

type Part = string | ((t: TimeParts) => string);

interface TimeParts {
  d: Date;
  /** Microseconds within the second, 0..999999. */
  micros: number;
  seconds: number;
}

export type TimeFormatter = (epochSeconds: number) => string;

/** Compiles a format; returns an error message for an unsupported directive. */
export function compileStrftime(format: string): TimeFormatter | { error: string } {
  const parts: Part[] = [];
  let lit = "";
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c !== "%") {
      lit += c;
      continue;
    }
    let j = i + 1;
    let width = "";
    while (j < format.length && format[j] >= "0" && format[j] <= "9") width += format[j++];
    const d = format[j];
    if (d === undefined) return { error: `format '${format}' ends with a lone %` };
    const part = directive(d, width === "" ? undefined : Number(width));
    if (part === undefined) return { error: `strftime directive '%${width}${d}' is not supported` };
    if (typeof part === "string") lit += part;
    else {
      if (lit) parts.push(lit);
      lit = "";
      parts.push(part);
    }
    i = j;
  }
  if (lit) parts.push(lit);
  return (epoch: number) => {
    const us = Math.round(epoch * 1e6);
    const seconds = Math.floor(us / 1e6);
    const t: TimeParts = { d: new Date(seconds * 1000), micros: us - seconds * 1e6, seconds };
    let out = "";
    for (const p of parts) out += typeof p === "string" ? p : p(t);
    return out;
  };
}

const p2 = (n: number) => (n < 10 ? `0${n}` : String(n));
const p3 = (n: number) => String(n).padStart(3, "0");
const sp2 = (n: number) => (n < 10 ? ` ${n}` : String(n));

function subsecond(width: number): (t: TimeParts) => string {
  return (t) => {
    const digits = String(t.micros).padStart(6, "0");
    return width <= 6 ? digits.slice(0, width) : digits + "0".repeat(width - 6);
  };
}

function dayOfYear(d: Date): number {
  return Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
}

function directive(c: string, width: number | undefined): Part | undefined {
  if (width !== undefined && c !== "N" && c !== "Q") return undefined;
  switch (c) {
    case "Y":
      return (t) => String(t.d.getUTCFullYear()).padStart(4, "0");
    case "y":
      return (t) => p2(t.d.getUTCFullYear() % 100);
    case "m":
      return (t) => p2(t.d.getUTCMonth() + 1);
    case "d":
      return (t) => p2(t.d.getUTCDate());
    case "e":
      return (t) => sp2(t.d.getUTCDate());
    case "H":
      return (t) => p2(t.d.getUTCHours());
    case "k":
      return (t) => sp2(t.d.getUTCHours());
    case "I":
      return (t) => p2(((t.d.getUTCHours() + 11) % 12) + 1);
    case "l":
      return (t) => sp2(((t.d.getUTCHours() + 11) % 12) + 1);
    case "M":
      return (t) => p2(t.d.getUTCMinutes());
    case "S":
      return (t) => p2(t.d.getUTCSeconds());
    case "p":
      return (t) => (t.d.getUTCHours() < 12 ? "AM" : "PM");
    case "b":
    case "h":
      return (t) => MONTHS[t.d.getUTCMonth()].slice(0, 3);
    case "B":
      return (t) => MONTHS[t.d.getUTCMonth()];
    case "a":
      return (t) => DAYS[t.d.getUTCDay()].slice(0, 3);
    case "A":
      return (t) => DAYS[t.d.getUTCDay()];
    case "j":
      return (t) => p3(dayOfYear(t.d));
    case "u":
      return (t) => String(t.d.getUTCDay() === 0 ? 7 : t.d.getUTCDay());
    case "w":
      return (t) => String(t.d.getUTCDay());
    case "z":
      return "+0000";
    case "Z":
      return "UTC";
    case "T":
      return (t) => `${p2(t.d.getUTCHours())}:${p2(t.d.getUTCMinutes())}:${p2(t.d.getUTCSeconds())}`;
    case "R":
      return (t) => `${p2(t.d.getUTCHours())}:${p2(t.d.getUTCMinutes())}`;
    case "F":
      return (t) =>
        `${String(t.d.getUTCFullYear()).padStart(4, "0")}-${p2(t.d.getUTCMonth() + 1)}-${p2(t.d.getUTCDate())}`;
    case "D":
      return (t) => `${p2(t.d.getUTCMonth() + 1)}/${p2(t.d.getUTCDate())}/${p2(t.d.getUTCFullYear() % 100)}`;
    case "s":
      return (t) => String(t.seconds);
    case "N":
    case "Q":
      return subsecond(width ?? 3);
    case "f":
      return subsecond(6);
    case "n":
      return "\n";
    case "t":
      return "\t";
    case "%":
      return "%";
    default:
      return undefined;
  }
}

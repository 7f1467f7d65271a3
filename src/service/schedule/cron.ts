/**
 * Five-field cron (`minute hour day-of-month month day-of-week`, UTC) as Splunk saved searches use it:
 * `*`, numbers, lists `a,b`, ranges `a-b`, steps `*\/n` and `a-b/n`; day-of-week 0–7 (0 and 7 are Sunday).
 * As in Vixie cron, when both day fields are restricted a day matches if either does.
 */

export interface Cron {
  readonly text: string;
  /** The first fire time strictly after `afterMs` (epoch ms, whole minutes), or undefined within 5 years. */
  next(afterMs: number): number | undefined;
}

function field(text: string, min: number, max: number): Set<number> | string {
  const out = new Set<number>();
  for (const part of text.split(",")) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) return `bad cron field "${text}"`;
    let lo = min;
    let hi = max;
    if (m[1] !== "*") {
      lo = Number(m[2]);
      hi = m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? max : lo;
    }
    const step = m[4] !== undefined ? Number(m[4]) : 1;
    if (lo < min || hi > max || lo > hi || step < 1)
      return `cron field "${text}" is out of range ${min}-${max}`;
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

export function parseCron(text: string): Cron | string {
  const parts = text.trim().split(/\s+/);
  if (parts.length !== 5) return `cron "${text}" needs 5 fields`;
  const [mi, ho, dom, mon, dow] = [
    field(parts[0], 0, 59),
    field(parts[1], 0, 23),
    field(parts[2], 1, 31),
    field(parts[3], 1, 12),
    field(parts[4], 0, 7),
  ];
  for (const f of [mi, ho, dom, mon, dow]) if (typeof f === "string") return f;
  const [minutes, hours, days, months, weekdays] = [mi, ho, dom, mon, dow] as Set<number>[];
  if (weekdays.has(7)) weekdays.add(0);
  const domAny = parts[2] === "*";
  const dowAny = parts[4] === "*";
  const dayMatches = (d: Date) => {
    const a = days.has(d.getUTCDate());
    const b = weekdays.has(d.getUTCDay());
    if (domAny && dowAny) return true;
    if (domAny) return b;
    if (dowAny) return a;
    return a || b;
  };
  return {
    text,
    next(afterMs) {
      let t = Math.floor(afterMs / 60_000) * 60_000 + 60_000;
      const limit = afterMs + 5 * 366 * 86_400_000;
      while (t <= limit) {
        const d = new Date(t);
        if (!months.has(d.getUTCMonth() + 1)) {
          t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
          continue;
        }
        if (!dayMatches(d)) {
          t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
          continue;
        }
        if (!hours.has(d.getUTCHours())) {
          t = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours() + 1);
          continue;
        }
        if (!minutes.has(d.getUTCMinutes())) {
          t += 60_000;
          continue;
        }
        return t;
      }
      return undefined;
    },
  };
}

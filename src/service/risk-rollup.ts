/**
 * Risk roll-up per entity, as ES's risk incident rule "Risk Threshold Exceeded For Object Over 24 Hours" does:
 * for each (risk_object, risk_object_type), the sum of risk scores of its risk events in the 24 hours up to
 * `at`, the distinct detections (search_name) and ATT&CK techniques behind them, and `notable: true` when the
 * sum is over the threshold (ES's default: 100).
 */
import { severityFor } from "../engine/notable.js";
import type { RiskEvent } from "../engine/risk.js";

export interface RiskRollup {
  risk_object: string;
  risk_object_type: string;
  risk_score: number;
  risk_event_count: number;
  detections: string[];
  techniques: string[];
  first_time: string;
  last_time: string;
  notable: boolean;
}

export interface RollupOptions {
  /** End of the window, epoch ms (default: the newest risk event's time, so replayed old logs roll up too). */
  at?: number;
  windowMs?: number;
  threshold?: number;
}

export const DAY_MS = 24 * 3600 * 1000;
export const DEFAULT_RISK_THRESHOLD = 100;

export function rollUpRisk(events: readonly RiskEvent[], opts: RollupOptions = {}): RiskRollup[] {
  const at = opts.at ?? newestTime(events);
  const from = at - (opts.windowMs ?? DAY_MS);
  const threshold = opts.threshold ?? DEFAULT_RISK_THRESHOLD;
  const groups = new Map<string, { e: RiskEvent[]; times: number[] }>();
  for (const e of events) {
    const t = Date.parse(e._time);
    if (!(t > from && t <= at)) continue;
    const key = `${e.risk_object_type}\u0000${e.risk_object}`;
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = { e: [], times: [] }));
    g.e.push(e);
    g.times.push(t);
  }
  const out: RiskRollup[] = [];
  for (const g of groups.values()) {
    const score = g.e.reduce((n, e) => n + e.risk_score, 0);
    out.push({
      risk_object: g.e[0].risk_object,
      risk_object_type: g.e[0].risk_object_type,
      risk_score: score,
      risk_event_count: g.e.length,
      detections: [...new Set(g.e.map((e) => e.search_name))].sort(),
      techniques: [...new Set(g.e.flatMap((e) => e.annotations.mitre_attack))].sort(),
      // A loop, not Math.min(...times): an entity can have more risk events than a call has arguments.
      first_time: new Date(g.times.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY)).toISOString(),
      last_time: new Date(g.times.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY)).toISOString(),
      notable: score > threshold,
    });
  }
  return out.sort((a, b) => b.risk_score - a.risk_score || a.risk_object.localeCompare(b.risk_object));
}

function newestTime(events: readonly RiskEvent[]): number {
  let t = Number.NEGATIVE_INFINITY;
  for (const e of events) t = Math.max(t, Date.parse(e._time));
  return t;
}

/** The saved-search name ES gives the notables of its 24-hour risk incident rule. */
export const RISK_INCIDENT_SEARCH = "Risk - 24 Hour Risk Threshold Exceeded - Rule";

/**
 * A risk incident as a notable, shaped as ES's risk notables (the risk incident rule's: `search_name`,
 * `rule_name`, `rule_title`, `severity`, `risk_object`, `risk_object_type`, `risk_score` the 24-hour sum,
 * `risk_event_count`, `source_count` the distinct detections, `annotations.mitre_attack`), with the roll-up
 * it was raised from (`detections`, `techniques`, `first_time`, `last_time`, `notable`) and the threshold.
 * `_time` is the newest risk event's time, the end of the 24-hour window.
 */
export interface RiskIncident extends RiskRollup {
  _time: string;
  search_name: typeof RISK_INCIDENT_SEARCH;
  rule_name: string;
  rule_title: string;
  security_domain: "threat";
  severity: ReturnType<typeof severityFor>;
  source_count: number;
  annotations: { mitre_attack: string[] };
  risk_threshold: number;
}

export function riskIncident(r: RiskRollup, threshold: number): RiskIncident {
  return {
    _time: r.last_time,
    search_name: RISK_INCIDENT_SEARCH,
    rule_name: "24 Hour Risk Threshold Exceeded",
    rule_title: `Risk threshold exceeded for ${r.risk_object_type}=${r.risk_object}: ${r.risk_score} over 24 hours`,
    security_domain: "threat",
    severity: severityFor(Math.min(100, r.risk_score)),
    ...r,
    source_count: r.detections.length,
    annotations: { mitre_attack: [...r.techniques] },
    risk_threshold: threshold,
  };
}

/**
 * One entity's roll-up from what the store aggregates over its risk events in the 24 hours up to its newest
 * one (the same figures `rollUpRisk` gives for that entity at that time).
 */
export function entityRollup(
  entity: { object: string; type: string },
  agg: { score: number; count: number; firstMs: number; lastMs: number },
  searchNames: readonly string[],
  techniqueLists: readonly string[],
  threshold: number,
): RiskRollup {
  return {
    risk_object: entity.object,
    risk_object_type: entity.type,
    risk_score: agg.score,
    risk_event_count: agg.count,
    detections: [...new Set(searchNames)].sort(),
    techniques: [...new Set(techniqueLists.flatMap((t) => JSON.parse(t) as string[]))].sort(),
    first_time: new Date(agg.firstMs).toISOString(),
    last_time: new Date(agg.lastMs).toISOString(),
    notable: agg.score > threshold,
  };
}

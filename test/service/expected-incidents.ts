/**
 * The risk incidents expected from a set of risk events, worked out here independently of the store's SQL: per
 * entity (risk_object_type, risk_object), the sum of its risk scores in the 24 hours up to its own newest risk
 * event, for the entities whose sum passes the threshold. Sorted by type, then object.
 *
 * And the incidents among what serve and worker sent or printed, told apart by ES's rule name.
 */
import type { RiskEvent } from "../../src/engine/risk.js";

/** The search name every risk incident carries (ES's risk incident rule), as the tests expect it spelled. */
export const INCIDENT_SEARCH_NAME = "Risk - 24 Hour Risk Threshold Exceeded - Rule";

/** Whether an alert or notable is a risk incident. */
export const isIncident = (x: { search_name?: string }): boolean => x.search_name === INCIDENT_SEARCH_NAME;

/** The risk incidents among the JSON alert lines a process printed (`--alerts`), as printed. */
export function incidentLines(stdout: string): string[] {
  return stdout.split("\n").filter((l) => l.includes(`"search_name":"${INCIDENT_SEARCH_NAME}"`));
}

export function expectedIncidentSums(
  events: readonly RiskEvent[],
  threshold = 100,
): { type: string; object: string; sum: number; count: number }[] {
  const by = new Map<string, RiskEvent[]>();
  for (const e of events) {
    const k = `${e.risk_object_type}\t${e.risk_object}`;
    by.set(k, [...(by.get(k) ?? []), e]);
  }
  const out: { type: string; object: string; sum: number; count: number }[] = [];
  for (const [k, es] of by) {
    const at = Math.max(...es.map((e) => Date.parse(e._time)));
    const inWindow = es.filter((e) => Date.parse(e._time) > at - 86_400_000);
    const sum = inWindow.reduce((n, e) => n + e.risk_score, 0);
    const [type, object] = k.split("\t");
    if (sum > threshold) out.push({ type, object, sum, count: inWindow.length });
  }
  return out.sort((a, b) => a.type.localeCompare(b.type) || a.object.localeCompare(b.object));
}

/** The last incident raised per entity, in the same shape and order. */
export function lastIncidentSums(
  incidents: readonly {
    risk_object_type: string;
    risk_object: string;
    risk_score: number;
    risk_event_count: number;
  }[],
): { type: string; object: string; sum: number; count: number }[] {
  const last = new Map<string, { type: string; object: string; sum: number; count: number }>();
  for (const x of incidents)
    last.set(`${x.risk_object_type}\t${x.risk_object}`, {
      type: x.risk_object_type,
      object: x.risk_object,
      sum: x.risk_score,
      count: x.risk_event_count,
    });
  return [...last.values()].sort((a, b) => a.type.localeCompare(b.type) || a.object.localeCompare(b.object));
}

/**
 * Notables (SEMANTICS.md §5): a TTP detection yields one notable per result row. Severity comes
 * from the detection's risk score (≤20 informational, ≤40 low, ≤60 medium, ≤80 high, ≤100 critical,
 * as contentctl's `RiskSeverity`); `rule_title` is the risk message substituted from the row.
 */
import type { Detection } from "../content/index.js";
import { searchNameOf } from "../content/index.js";
import { isoTime, type Row, riskMessageFor } from "./risk.js";

export type NotableSeverity = "informational" | "low" | "medium" | "high" | "critical";

export interface Notable {
  _time: string;
  search_name: string;
  rule_name: string;
  rule_title: string;
  security_domain: string;
  severity: NotableSeverity;
  risk_score?: number;
  annotations: { mitre_attack: string[] };
  analyticstories: string[];
  detection_id: string;
}

export function severityFor(score: number): NotableSeverity {
  if (score <= 20) return "informational";
  if (score <= 40) return "low";
  if (score <= 60) return "medium";
  if (score <= 80) return "high";
  return "critical";
}

export function notableFor(d: Detection, row: Row, rowTime: number | undefined): Notable | undefined {
  if (d.type !== "TTP") return undefined;
  const n: Notable = {
    _time: isoTime(rowTime ?? Date.now() / 1000),
    search_name: searchNameOf(d),
    rule_name: d.name,
    rule_title: riskMessageFor(d.risk.message, row),
    security_domain: d.securityDomain ?? "threat",
    severity: severityFor(d.riskScore ?? 0),
    annotations: { mitre_attack: [...d.mitreAttackIds] },
    analyticstories: [...d.analyticStories],
    detection_id: d.id,
  };
  if (d.riskScore !== undefined) n.risk_score = d.riskScore;
  return n;
}

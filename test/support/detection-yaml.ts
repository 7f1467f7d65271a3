/**
 * A v1-schema detection YAML for tests that build content trees. The search is on line 9 (tests that check an
 * SPL error's `file:line` rely on it). With `risk`, it declares `dest` as a risk object (score 25), as ESCU's
 * TTP detections do; without, it declares none.
 */
export interface DetectionYaml {
  id: string;
  name: string;
  search: string;
  status?: string;
  type?: string;
  risk?: boolean;
}

export function detectionYaml(d: DetectionYaml): string {
  const risk = d.risk === true;
  return [
    `name: ${d.name}`,
    `id: ${d.id}`,
    "version: 1",
    "date: '2024-01-01'",
    "author: test",
    `status: ${d.status ?? "production"}`,
    `type: ${d.type ?? (risk ? "TTP" : "Hunting")}`,
    "description: test",
    `search: '${d.search}'`,
    "how_to_implement: test",
    "known_false_positives: none",
    "references: []",
    "tags:",
    "  analytic_story: [Test]",
    "  asset_type: Endpoint",
    ...(risk ? ["  confidence: 50", "  impact: 50", "  message: test on $dest$"] : []),
    "  mitre_attack_id: [T1021]",
    ...(risk
      ? ["  observable:", "  - name: dest", "    type: Endpoint", "    role: [Victim]"]
      : ["  observable: []"]),
    "  product: [Splunk Enterprise]",
    ...(risk ? ["  risk_score: 25"] : []),
    "  security_domain: endpoint",
    "",
  ].join("\n");
}

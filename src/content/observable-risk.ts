/**
 * v1–v4 risk declarations: `tags.observable` → risk objects and threat objects, the way contentctl
 * 4.x builds `action.risk.param._risk` for savedsearches.conf (SEMANTICS.md §5):
 * - role Victim + a user type (User, Username, Email Address) → risk object `user`;
 * - role Victim + a system type (Device, Endpoint, Hostname, IP Address) → risk object `system`;
 * - role Attacker → threat object (Process/Process Name → `process`; File/File Name/File Hash →
 *   `file_name`; IP Address → `ip_address`; URL/URL String → `url`; else the type lower-cased);
 * - anything else (Victim Process, role Other, …) → risk object `other`.
 * Every risk object carries the detection's score.
 */
import type { RiskObjectDecl, RiskObjectType, ThreatObjectDecl } from "./detection.js";

export interface Observable {
  name: string;
  type: string;
  role: string | string[];
}

const USER_TYPES = new Set(["user", "username", "email address"]);
const SYSTEM_TYPES = new Set(["device", "endpoint", "hostname", "ip address"]);
/** A Map, as the sets above: a type such as `constructor` must not find Object.prototype's members. */
const THREAT_TYPES = new Map([
  ["process", "process"],
  ["process name", "process"],
  ["file", "file_name"],
  ["file name", "file_name"],
  ["file hash", "file_name"],
  ["ip address", "ip_address"],
  ["url", "url"],
  ["url string", "url"],
]);

export function riskFromObservables(
  observables: readonly Observable[],
  score: number,
): { objects: RiskObjectDecl[]; threats: ThreatObjectDecl[] } {
  const objects: RiskObjectDecl[] = [];
  const threats: ThreatObjectDecl[] = [];
  for (const o of observables) {
    const roles = Array.isArray(o.role) ? o.role : [o.role];
    const type = o.type.toLowerCase();
    const victim = roles.includes("Victim");
    let riskType: RiskObjectType | undefined;
    if (victim && USER_TYPES.has(type)) riskType = "user";
    else if (victim && SYSTEM_TYPES.has(type)) riskType = "system";
    else if (roles.includes("Attacker")) {
      threats.push({ field: o.name, type: THREAT_TYPES.get(type) ?? type });
      continue;
    } else riskType = "other";
    objects.push({ field: o.name, type: riskType, score });
  }
  return { objects, threats };
}

/** Python's `round` (half to even), which contentctl uses for `confidence * impact / 100`. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

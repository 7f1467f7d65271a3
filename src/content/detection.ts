/**
 * The detection model: one shape for every schema version of an ESCU detection YAML.
 *
 * Design notes:
 * - v1–v4 (`tags:` style) and v5 (`rba:` style) load into the same `Detection`; `schema` says which
 *   one the file was, and the risk declaration is already resolved into `risk` (SEMANTICS.md §5, §6).
 * - Nothing here refers to a YAML node or to zod: those stay inside the loader.
 */

export type RiskObjectType = "system" | "user" | "other";

export interface RiskObjectDecl {
  field: string;
  type: RiskObjectType;
  score: number;
}

export interface ThreatObjectDecl {
  field: string;
  type: string;
}

export interface AttackData {
  data: string;
  source?: string;
  sourcetype?: string;
}

export interface DetectionTest {
  name: string;
  attackData: AttackData[];
  /** Winnow extension: the expected result rows, inline. */
  expected?: unknown[];
  /**
   * Winnow extension: a JSON file of expected rows, resolved against the YAML file's folder; a
   * data-root reference (`shared:…`, `https://…`) is kept as written for the test runner to map.
   */
  expectedFile?: string;
  /** Winnow extension: the test passes when the search returns no result. */
  expectNoResults?: boolean;
}

export type DetectionSchema = "v1-v4" | "v5";

export interface Detection {
  id: string;
  name: string;
  /** Absolute path of the YAML file, or `builtin:<path relative to content/>` for built-in content. */
  file: string;
  schema: DetectionSchema;
  version?: number;
  date?: string;
  /** The YAML `status` (production, experimental, deprecated, …); "production" when the file has none (v1). */
  status: string;
  /** The `status` the YAML itself declares; absent when it has none (v1 files; `status` is then "production"). */
  declaredStatus?: string;
  type: string;
  description: string;
  search: string;
  /** Line of the YAML file where the search starts (SPL diagnostics point there). */
  searchLine?: number;
  /** Data models the search reads, e.g. ["Endpoint.Processes"] (plus the YAML `datamodel:` list of old content). */
  datamodels: string[];
  analyticStories: string[];
  mitreAttackIds: string[];
  killChainPhases: string[];
  dataSources: string[];
  securityDomain?: string;
  confidence?: number;
  impact?: number;
  riskScore?: number;
  risk: { message: string; objects: RiskObjectDecl[]; threats: ThreatObjectDecl[] };
  tests: DetectionTest[];
}

/** `ESCU - <name> - Rule`: the saved-search name ES gives the detection (SEMANTICS.md §5). */
export function searchNameOf(d: Pick<Detection, "name">): string {
  return `ESCU - ${d.name} - Rule`;
}

/** True for detections the runner skips unless asked (`status: deprecated`). */
export function isDeprecated(d: Pick<Detection, "status">): boolean {
  return d.status === "deprecated";
}

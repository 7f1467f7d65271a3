/**
 * zod schemas for the security_content file kinds Winnow reads: detections (v1–v4 `tags:` style and
 * v5 `rba:` style), macros and lookup definitions (SEMANTICS.md §6).
 *
 * Design notes:
 * - Objects strip unknown keys: security_content has added keys over the years (`drilldown_searches`,
 *   `asset_type`, `cve`, …) that Winnow does not need, and an unknown key is not an error.
 * - Only what Winnow uses is constrained, but precisely (a UUID id, scores in range, role lists…),
 *   so a broken file is reported with the exact key that is wrong.
 * - Lenient where old content was: an observable `role` may be a single string; `risk_score` may be
 *   a float (`25.0` in 20 corpus files).
 * - The schemas are built, and zod loaded, on first use (`schemas()`): a run over the built-in content alone
 *   restores it from its build-time snapshot (builtin-snapshot.ts) and never needs them.
 */
import { createRequire } from "node:module";
import type * as Zod from "zod";

const load = createRequire(import.meta.url);

/** threat_object types (contentctl v5 `ThreatObjectType`). */
export const THREAT_OBJECT_TYPES = [
  "certificate_common_name",
  "certificate_organization",
  "certificate_serial",
  "certificate_unit",
  "command",
  "domain",
  "email_address",
  "email_subject",
  "file_hash",
  "file_name",
  "file_path",
  "http_user_agent",
  "ip_address",
  "process",
  "process_name",
  "parent_process",
  "parent_process_name",
  "process_hash",
  "registry_path",
  "registry_value_name",
  "registry_value_text",
  "service",
  "signature",
  "system",
  "tls_hash",
  "url",
] as const;

/** `tags` keys that v5 removed; present in a v5 file they are ignored (and reported). */
export const V4_ONLY_TAGS = [
  "confidence",
  "impact",
  "message",
  "observable",
  "risk_score",
  "required_fields",
];

function build(z: typeof Zod.z) {
  const text = z.string().trim().min(1, "must not be empty");
  const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
  const stringList = z.array(z.string());
  const percent = z.number().min(0).max(100);

  const attackData = z.object({
    data: text,
    source: z.string().optional(),
    sourcetype: z.string().optional(),
  });

  const detectionTest = z.object({
    name: text,
    attack_data: z.array(attackData).default([]),
    expected: z.array(z.unknown()).optional(),
    expected_file: text.optional(),
    expect_no_results: z.boolean().optional(),
  });

  /** Fields shared by every schema version. */
  const detectionCommon = {
    name: text,
    id: z.string().regex(UUID, "must be a UUID"),
    version: z.number().int().nonnegative().optional(),
    date: z.string().optional(),
    status: text.optional(),
    type: text,
    description: z.string().default(""),
    search: text,
    datamodel: stringList.optional(),
    data_source: stringList.optional(),
    data_sources: stringList.optional(),
    tests: z.array(detectionTest).optional(),
  };

  const observable = z.object({
    name: text,
    type: text,
    role: z.union([text, z.array(text).min(1, "must name at least one role")]),
  });

  const detectionV1Schema = z.object({
    ...detectionCommon,
    tags: z.object({
      analytic_story: stringList.default([]),
      confidence: percent.optional(),
      impact: percent.optional(),
      risk_score: percent.optional(),
      message: z.string().optional(),
      mitre_attack_id: stringList.default([]),
      kill_chain_phases: stringList.default([]),
      observable: z.array(observable).default([]),
      security_domain: z.string().optional(),
      dataset: stringList.optional(),
    }),
  });

  /** risk_object types (contentctl v5 `RiskObjectType`). */
  const riskObjectType = z.enum(["system", "user", "other"]);

  const detectionV5Schema = z.object({
    ...detectionCommon,
    tags: z.object({
      analytic_story: stringList.default([]),
      mitre_attack_id: stringList.default([]),
      kill_chain_phases: stringList.default([]),
      security_domain: z.string().optional(),
      dataset: stringList.optional(),
    }),
    rba: z
      .object({
        message: text,
        risk_objects: z
          .array(z.object({ field: text, type: riskObjectType, score: z.number().int().min(1).max(100) }))
          .min(1, "must declare at least one risk object"),
        threat_objects: z.array(z.object({ field: text, type: z.enum(THREAT_OBJECT_TYPES) })).default([]),
      })
      .optional(),
  });

  const macroSchema = z.object({
    name: text,
    definition: z.string(),
    arguments: z.array(text).default([]),
    description: z.string().optional(),
  });

  const yamlBool = z.union([z.boolean(), z.enum(["true", "false", "True", "False", "1", "0"])]);

  const lookupSchema = z
    .object({
      name: text,
      description: z.string().optional(),
      filename: text.optional(),
      collection: text.optional(),
      fields_list: z.string().optional(),
      match_type: z.string().optional(),
      case_sensitive_match: yamlBool.optional(),
      default_match: z.union([z.string(), z.boolean(), z.number()]).optional(),
      min_matches: z.number().int().nonnegative().optional(),
      max_matches: z.number().int().positive().optional(),
    })
    .refine((l) => l.filename !== undefined || l.collection !== undefined, {
      message: "a lookup needs `filename` (a CSV) or `collection` (a KV store)",
    });

  return { detectionV1Schema, detectionV5Schema, macroSchema, lookupSchema };
}

type Schemas = ReturnType<typeof build>;
let built: Schemas | undefined;

/** The zod schemas (zod is loaded and they are built on the first call). */
export function schemas(): Schemas {
  built ??= build((load("zod") as typeof Zod).z);
  return built;
}

export type DetectionV1Yaml = Zod.z.infer<Schemas["detectionV1Schema"]>;
export type DetectionV5Yaml = Zod.z.infer<Schemas["detectionV5Schema"]>;
export type MacroYaml = Zod.z.infer<Schemas["macroSchema"]>;
export type LookupYaml = Zod.z.infer<Schemas["lookupSchema"]>;

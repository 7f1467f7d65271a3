/**
 * One parsed detection YAML → a `Detection` (or diagnostics saying exactly why not).
 *
 * Design notes:
 * - The schema is chosen from the data: a top-level `rba:` means v5; otherwise `tags` holding any of
 *   the risk keys (`observable`, `message`, `risk_score`, `confidence`, `impact`) means v1–v4; a file
 *   with neither is a v5 detection without risk (e.g. a v5 Hunting search).
 * - v1–v4 score: `tags.risk_score`, else round(confidence × impact / 100) with Python's rounding.
 *   v5 score: the highest risk-object score (contentctl's `rba.risk_score`).
 * - A v1 file has no `status`; it loads as "production".
 */
import path from "node:path";
import type { Diagnostic } from "../diag/diagnostic.js";
import type { Detection, DetectionSchema, DetectionTest } from "./detection.js";
import { type DetectionV1Yaml, schemas, V4_ONLY_TAGS } from "./escu-schema.js";
import { riskFromObservables, roundHalfEven } from "./observable-risk.js";
import { schemaDiagnostics } from "./schema-issues.js";
import { datamodelsOf } from "./search-datamodels.js";
import type { Position } from "./yaml-file.js";

export interface DetectionSource {
  /** The file as shown in diagnostics and in `Detection.file`. */
  file: string;
  /** Absolute path on disk (for resolving `expected_file`). */
  path: string;
  locate(path: readonly PropertyKey[]): Position;
}

const V1_RISK_KEYS = ["observable", "message", "risk_score", "confidence", "impact"];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function schemaOf(value: unknown): DetectionSchema {
  if (!isRecord(value)) return "v1-v4";
  if ("rba" in value) return "v5";
  const tags = value.tags;
  if (!isRecord(tags)) return "v1-v4";
  return V1_RISK_KEYS.some((k) => k in tags) ? "v1-v4" : "v5";
}

export function toDetection(
  value: unknown,
  src: DetectionSource,
): { detection?: Detection; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const name = isRecord(value) && typeof value.name === "string" ? value.name : undefined;
  if (!isRecord(value)) {
    const pos = src.locate([]);
    diagnostics.push({
      code: "content-schema",
      severity: "error",
      message: "detection: the document is not a mapping",
      file: src.file,
      line: pos.line,
      column: pos.column,
    });
    return { diagnostics };
  }
  const schema = schemaOf(value);
  if (schema === "v1-v4") {
    const parsed = schemas().detectionV1Schema.safeParse(value);
    if (!parsed.success) {
      return { diagnostics: schemaDiagnostics(parsed.error, src.file, src.locate, "detection", name) };
    }
    const y = parsed.data;
    const t = y.tags;
    let score = t.risk_score;
    if (score === undefined && t.confidence !== undefined && t.impact !== undefined) {
      score = roundHalfEven((t.confidence * t.impact) / 100);
    }
    let risk = {
      message: t.message ?? "",
      objects: [] as Detection["risk"]["objects"],
      threats: [] as Detection["risk"]["threats"],
    };
    if (score !== undefined) {
      risk = { message: t.message ?? "", ...riskFromObservables(t.observable, score) };
    } else if (t.observable.length > 0) {
      const pos = src.locate(["tags"]);
      diagnostics.push({
        code: "content-schema",
        severity: "warning",
        message:
          "detection: tags.observable is declared but there is no tags.risk_score (nor confidence and impact); no risk objects",
        file: src.file,
        line: pos.line,
        column: pos.column,
        detection: y.name,
      });
    }
    const detection: Detection = {
      id: y.id,
      name: y.name,
      file: src.file,
      schema,
      status: y.status ?? "production",
      ...(y.status !== undefined ? { declaredStatus: y.status } : {}),
      ...(y.status !== undefined ? { declaredStatus: y.status } : {}),
      type: y.type,
      description: y.description,
      search: y.search,
      searchLine: src.locate(["search"]).line,
      datamodels: datamodelsOf(y.search, y.datamodel),
      analyticStories: t.analytic_story,
      mitreAttackIds: t.mitre_attack_id,
      killChainPhases: t.kill_chain_phases,
      dataSources: y.data_source ?? y.data_sources ?? [],
      risk,
      tests: testsOf(y.tests, src.path, t.dataset),
    };
    if (y.version !== undefined) detection.version = y.version;
    if (y.date !== undefined) detection.date = y.date;
    if (t.security_domain !== undefined) detection.securityDomain = t.security_domain;
    if (t.confidence !== undefined) detection.confidence = t.confidence;
    if (t.impact !== undefined) detection.impact = t.impact;
    if (score !== undefined) detection.riskScore = score;
    return { detection, diagnostics };
  }

  const parsed = schemas().detectionV5Schema.safeParse(value);
  if (!parsed.success) {
    return { diagnostics: schemaDiagnostics(parsed.error, src.file, src.locate, "detection", name) };
  }
  const y = parsed.data;
  const rawTags = isRecord(value.tags) ? value.tags : {};
  for (const key of V4_ONLY_TAGS) {
    if (key in rawTags) {
      const pos = src.locate(["tags", key]);
      diagnostics.push({
        code: "content-schema",
        severity: "warning",
        message: `detection: tags.${key} is a v1–v4 key and is ignored in a v5 detection (risk comes from rba:)`,
        file: src.file,
        line: pos.line,
        column: pos.column,
        detection: y.name,
      });
    }
  }
  const objects = (y.rba?.risk_objects ?? []).map((o) => ({ field: o.field, type: o.type, score: o.score }));
  const detection: Detection = {
    id: y.id,
    name: y.name,
    file: src.file,
    schema,
    status: y.status ?? "production",
    ...(y.status !== undefined ? { declaredStatus: y.status } : {}),
    type: y.type,
    description: y.description,
    search: y.search,
    searchLine: src.locate(["search"]).line,
    datamodels: datamodelsOf(y.search, y.datamodel),
    analyticStories: y.tags.analytic_story,
    mitreAttackIds: y.tags.mitre_attack_id,
    killChainPhases: y.tags.kill_chain_phases,
    dataSources: y.data_source ?? y.data_sources ?? [],
    risk: {
      message: y.rba?.message ?? "",
      objects,
      threats: (y.rba?.threat_objects ?? []).map((o) => ({ field: o.field, type: o.type })),
    },
    tests: testsOf(y.tests, src.path, y.tags.dataset),
  };
  if (y.version !== undefined) detection.version = y.version;
  if (y.date !== undefined) detection.date = y.date;
  if (y.tags.security_domain !== undefined) detection.securityDomain = y.tags.security_domain;
  if (objects.length > 0) detection.riskScore = Math.max(...objects.map((o) => o.score));
  return { detection, diagnostics };
}

/** `scheme:` of two or more characters (so a Windows drive letter `C:` is a path, not a reference). */
const DATA_REF = /^[A-Za-z][A-Za-z0-9+.-]+:/;

type YamlTest = NonNullable<DetectionV1Yaml["tests"]>[number];

/**
 * The `tests:` block; a file without one that lists old-style `tags.dataset` URLs gets one test named
 * "tags.dataset" replaying them all (SEMANTICS.md §6).
 */
function testsOf(
  raw: readonly YamlTest[] | undefined,
  yamlPath: string,
  dataset: readonly string[] | undefined,
): DetectionTest[] {
  if ((raw === undefined || raw.length === 0) && dataset !== undefined && dataset.length > 0) {
    return [{ name: "tags.dataset", attackData: dataset.map((data) => ({ data })) }];
  }
  return (raw ?? []).map((t) => {
    const test: DetectionTest = { name: t.name, attackData: t.attack_data.map((a) => ({ ...a })) };
    if (t.expected !== undefined) test.expected = t.expected;
    if (t.expected_file !== undefined) {
      // A data-root reference (`shared:…`, `https://…`) is resolved by the test runner, not here.
      test.expectedFile = DATA_REF.test(t.expected_file)
        ? t.expected_file
        : path.resolve(path.dirname(yamlPath), t.expected_file);
    }
    if (t.expect_no_results !== undefined) test.expectNoResults = t.expect_no_results;
    return test;
  });
}

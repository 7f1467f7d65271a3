/**
 * One parsed lookup definition (`lookups/*.yml`) → a resolved `LookupDef`, with Splunk's
 * transforms.conf defaults applied once (case_sensitive_match true, min_matches 0, max_matches 1000)
 * and every problem placed at its key.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { Diagnostic } from "../diag/diagnostic.js";
import { schemas } from "./escu-schema.js";
import { type LookupDef, type LookupKind, parseMatchType } from "./lookup-store.js";
import { schemaDiagnostics } from "./schema-issues.js";
import type { Position } from "./yaml-file.js";

export function toLookupDef(
  value: unknown,
  src: { file: string; path: string; locate(path: readonly PropertyKey[]): Position },
): { def?: LookupDef; diagnostics: Diagnostic[] } {
  const parsed = schemas().lookupSchema.safeParse(value);
  if (!parsed.success)
    return { diagnostics: schemaDiagnostics(parsed.error, src.file, src.locate, "lookup") };
  const l = parsed.data;
  const diagnostics: Diagnostic[] = [];
  const at = (key: string, d: Omit<Diagnostic, "file" | "line" | "column">): void => {
    const pos = src.locate([key]);
    diagnostics.push({ ...d, file: src.file, line: pos.line, column: pos.column });
  };
  let kind: LookupKind = "kvstore";
  if (l.filename !== undefined) kind = l.filename.toLowerCase().endsWith(".csv") ? "csv" : "model";
  const cs = l.case_sensitive_match;
  const def: LookupDef = {
    name: l.name,
    kind,
    definitionFile: src.file,
    matchTypes: [],
    caseSensitiveMatch:
      cs === undefined ? true : cs === true || String(cs).toLowerCase() === "true" || cs === "1",
    minMatches: l.min_matches ?? 0,
    maxMatches: l.max_matches ?? 1000,
  };
  if (l.description !== undefined) def.description = l.description;
  if (l.default_match !== undefined) def.defaultMatch = String(l.default_match);
  if (l.collection !== undefined) def.collection = l.collection;
  if (l.fields_list !== undefined) {
    def.fieldsList = l.fields_list
      .split(",")
      .map((f) => f.trim())
      .filter((f) => f !== "");
  }
  if (l.match_type !== undefined) {
    const { types, bad } = parseMatchType(l.match_type);
    def.matchTypes = types;
    if (bad.length > 0) {
      at("match_type", {
        code: "content-schema",
        severity: "error",
        message: `lookup: match_type: not WILDCARD(field) or CIDR(field): ${bad.join(", ")}`,
      });
    }
  }
  if (l.filename !== undefined) {
    def.filename = l.filename;
    def.path = path.join(path.dirname(src.path), l.filename);
    if (!existsSync(def.path)) {
      at("filename", {
        code: "file-unreadable",
        severity: "error",
        message: `lookup "${l.name}": its file ${l.filename} does not exist beside the definition`,
      });
    }
  }
  return { def, diagnostics };
}

/**
 * Detection content: ESCU detection YAML (v1–v4 and v5), macros and lookups, loaded from the
 * built-in `content/` folder and any number of security_content-style trees.
 * Public surface of `src/content/` (re-exports only).
 */
export { builtinContentDir } from "./builtin-dir.js";
export { parseCsv } from "./csv-parse.js";
export type {
  AttackData,
  Detection,
  DetectionSchema,
  DetectionTest,
  RiskObjectDecl,
  RiskObjectType,
  ThreatObjectDecl,
} from "./detection.js";
export { isDeprecated, searchNameOf } from "./detection.js";
export { filterMacroName, GENERATED_FILTER_DEFINITION } from "./filter-macro-name.js";
export type { ContentSet, LoadContentOptions, RejectedDetection } from "./load-content.js";
export { contentFiles, loadContent } from "./load-content.js";
export type {
  LookupDef,
  LookupKind,
  LookupMatchKind,
  LookupMatchType,
  LookupTable,
  LookupTableResult,
} from "./lookup-store.js";
export { LookupStore, parseMatchType } from "./lookup-store.js";
export type { MacroDef, MacroTable } from "./macro-table.js";
export { ContentMacroTable } from "./macro-table.js";
export { lintRiskMessage, messageTokens, substituteMessage } from "./risk-message.js";

/**
 * The name of a detection's generated `_filter` macro (SEMANTICS.md §2): the detection name
 * lower-cased, with space, `-`, `.` and `/` replaced by `_`, plus `_filter` (as contentctl builds it).
 */
export function filterMacroName(detectionName: string): string {
  return `${detectionName.replace(/[ \-./]/g, "_").toLowerCase()}_filter`;
}

/** The definition a generated filter macro has when no loaded `macros/` defines it: a no-op. */
export const GENERATED_FILTER_DEFINITION = "search *";

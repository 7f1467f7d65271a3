/**
 * Built-in macros and the generated per-detection filter macro (SEMANTICS §2).
 *
 * - `drop_dm_object_name(1)` comes from Splunk's CIM app, not from security_content, so it is built in.
 * - `<detection>_filter` is generated as `search *` unless content defines it.
 */
import type { MacroDef, MacroTable } from "../types.js";

export const DROP_DM_OBJECT_NAME: MacroDef = {
  name: "drop_dm_object_name",
  args: ["object"],
  definition: 'rename "$object$.*" as *',
};

export const BUILTIN_MACROS: readonly MacroDef[] = [DROP_DM_OBJECT_NAME];

/** Name of the generated filter macro: lower-case, space `-` `.` `/` → `_`, plus `_filter`. */
export function filterMacroName(detectionName: string): string {
  return `${detectionName.toLowerCase().replace(/[ \-./]/g, "_")}_filter`;
}

export function macroKey(name: string, arity: number): string {
  return arity > 0 ? `${name}(${arity})` : name;
}

/**
 * A macro table from definitions (later ones override earlier ones), the built-ins first, and
 * optionally any `*_filter` zero-arg macro generated as `search *` when not defined.
 */
export function createMacroTable(
  defs: readonly MacroDef[],
  options: { builtins?: boolean; generateFilters?: boolean } = {},
): MacroTable {
  const map = new Map<string, MacroDef>();
  if (options.builtins !== false) for (const d of BUILTIN_MACROS) map.set(macroKey(d.name, d.args.length), d);
  for (const d of defs) map.set(macroKey(d.name, d.args.length), d);
  const generate = options.generateFilters === true;
  return {
    get(name, arity) {
      const found = map.get(macroKey(name, arity));
      if (found) return found;
      if (generate && arity === 0 && name.endsWith("_filter")) {
        return { name, args: [], definition: "search *" };
      }
      return undefined;
    },
  };
}

/**
 * The macros of a content set, keyed the way Splunk keys them: by name and arity
 * (`security_content_ctime(1)`).
 *
 * Design notes:
 * - Trees are loaded in order; `define` in a later tree overrides an earlier definition.
 * - `<detection>_filter` macros are generated on lookup (definition `search *`) for every loaded
 *   detection whose filter is not defined by a `macros/` file (SEMANTICS.md §2). They are not
 *   counted in `size`, so the count is what the trees define.
 * - `MacroDef` / `MacroTable` are the SPL engine's contract (src/spl).
 */
import type { MacroDef, MacroTable } from "../spl/index.js";
import { GENERATED_FILTER_DEFINITION } from "./filter-macro-name.js";

export type { MacroDef, MacroTable };

function keyOf(name: string, arity: number): string {
  return `${name}(${arity})`;
}

export class ContentMacroTable implements MacroTable {
  readonly #defined = new Map<string, MacroDef>();
  readonly #filters = new Set<string>();

  get(name: string, arity: number): MacroDef | undefined {
    const found = this.#defined.get(keyOf(name, arity));
    if (found !== undefined) return found;
    if (arity === 0 && this.#filters.has(name)) {
      return { name, args: [], definition: GENERATED_FILTER_DEFINITION, file: "generated" };
    }
    return undefined;
  }

  /** Defines (or overrides) a macro; returns the definition it replaced, if any. */
  define(def: MacroDef): MacroDef | undefined {
    const key = keyOf(def.name, def.args.length);
    const previous = this.#defined.get(key);
    this.#defined.set(key, def);
    return previous;
  }

  /** Registers the generated `_filter` macro name of a loaded detection. */
  addGeneratedFilter(name: string): void {
    this.#filters.add(name);
  }

  /** True when the macro comes from a `macros/` file (not generated). */
  isDefined(name: string, arity: number): boolean {
    return this.#defined.has(keyOf(name, arity));
  }

  /** Number of macros defined by files (generated filters excluded). */
  get size(): number {
    return this.#defined.size;
  }

  /** Macros defined by files, in definition order. */
  defined(): MacroDef[] {
    return [...this.#defined.values()];
  }

  /** Names of the generated filter macros that no file defines. */
  generatedFilters(): string[] {
    return [...this.#filters].filter((n) => !this.#defined.has(keyOf(n, 0))).sort();
  }
}

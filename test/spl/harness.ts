/**
 * Test harness for the SPL engine: compile with the built-in macros (plus any given), push
 * Endpoint.Processes records, return the result; or return the diagnostics of a failed compile.
 * `| inputlookup t` over an in-memory table gives row-level tests a starting table.
 */
import assert from "node:assert/strict";
import type { Diagnostic } from "../../src/diag/diagnostic.js";
import {
  compileSearch,
  createMacroTable,
  type LookupTable,
  type MacroDef,
  type Row,
} from "../../src/spl/index.js";

export const DS = "Endpoint.Processes";

export interface HarnessOptions {
  macros?: MacroDef[];
  tables?: Record<string, LookupTable>;
}

function options(o: HarnessOptions) {
  const tables = o.tables ?? {};
  return {
    macros: createMacroTable(o.macros ?? [], { generateFilters: true }),
    lookups: { get: (name: string) => tables[name] },
  };
}

export function run(spl: string, records: Row[] = [], o: HarnessOptions = {}) {
  const r = compileSearch(spl, options(o));
  assert.deepEqual(r.diagnostics, [], `compile failed: ${r.diagnostics.map((d) => d.message).join("; ")}`);
  assert.ok(r.search);
  const s = r.search.start();
  for (const rec of records) s.push(DS, rec);
  return s.finish();
}

/** The rows of `| tstats ... by ...` style searches, or of row-level searches. */
export function rows(spl: string, records: Row[] = [], o: HarnessOptions = {}): Row[] {
  return run(spl, records, o).rows;
}

export function compileErrors(spl: string, o: HarnessOptions = {}): Diagnostic[] {
  const r = compileSearch(spl, options(o));
  assert.equal(r.search, undefined, "expected the search not to compile");
  return r.diagnostics;
}

/** An in-memory lookup table from rows of strings (column order from the first row's keys). */
export function table(data: Record<string, string>[], extra: Partial<LookupTable> = {}): LookupTable {
  const columns = [...new Set(data.flatMap((r) => Object.keys(r)))];
  return { columns, rows: data, ...extra };
}

/** Runs `| inputlookup t | <rest>` over the given rows. */
export function over(data: Record<string, string>[], rest: string, o: HarnessOptions = {}) {
  return run(`| inputlookup t | ${rest}`, [], { ...o, tables: { ...(o.tables ?? {}), t: table(data) } });
}

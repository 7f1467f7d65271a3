/**
 * Lookup definitions (`lookups/*.yml`) and their CSV tables, loaded lazily.
 *
 * Design notes:
 * - Definitions are read when the content is loaded; a CSV is read and parsed only the first time
 *   a search asks for its table, then cached. Problems found then are returned with the table.
 * - Options are resolved once, with Splunk's transforms.conf defaults: `case_sensitive_match`
 *   true, `min_matches` 0, `max_matches` 1000. `default_match` is kept as the text Splunk would
 *   output (ESCU writes `'false'`, so with `min_matches: 1` an unmatched row gets "false").
 * - `match_type: WILDCARD(a), CIDR(b)` is parsed into a list; fields not listed match exactly.
 * - A later tree's definition with the same name replaces the earlier one. A lookup is found by
 *   its name or by its CSV file name (`| lookup foo.csv …`).
 * - `LookupStore` is the SPL engine's `LookupResolver`: `get(name)` gives the parsed table.
 */
import { readFileSync } from "node:fs";
import type { Diagnostic } from "../diag/diagnostic.js";
import type { LookupResolver } from "../spl/index.js";
import { parseCsv } from "./csv-parse.js";

export type LookupMatchKind = "WILDCARD" | "CIDR";

export interface LookupMatchType {
  kind: LookupMatchKind;
  field: string;
}

export type LookupKind = "csv" | "kvstore" | "model";

export interface LookupDef {
  name: string;
  description?: string;
  kind: LookupKind;
  /** The `.yml` that defines it (as shown in diagnostics). */
  definitionFile: string;
  /** `filename:` as written (csv or model lookups). */
  filename?: string;
  /** Absolute path of the data file (csv or model lookups). */
  path?: string;
  /** KV store collection (kvstore lookups); Winnow has no KV store data. */
  collection?: string;
  fieldsList?: string[];
  matchTypes: LookupMatchType[];
  caseSensitiveMatch: boolean;
  minMatches: number;
  maxMatches: number;
  defaultMatch?: string;
}

/**
 * A lookup's table, ready for `| lookup` / `| inputlookup`: the shape the SPL engine's
 * `LookupResolver` expects (src/spl), plus the rest of the definition's match options.
 */
export interface LookupTable {
  name: string;
  /** Header row, in file order. */
  columns: string[];
  /** Data rows by column name (short rows padded with "", long rows cut). */
  rows: Record<string, string>[];
  /** Columns matched with `*` wildcards (`WILDCARD(field)`). */
  wildcardFields: string[];
  /** Columns matched as CIDR ranges (`CIDR(field)`). */
  cidrFields: string[];
  caseSensitive: boolean;
  maxMatches: number;
  minMatches: number;
  defaultMatch?: string;
}

export interface LookupTableResult {
  table?: LookupTable;
  diagnostics: Diagnostic[];
}

const MATCH_TYPE = /^\s*(WILDCARD|CIDR)\s*\(\s*([^)]+?)\s*\)\s*$/i;

/** Parses `WILDCARD(a), CIDR(b)`; returns the entries and the parts it did not understand. */
export function parseMatchType(text: string): { types: LookupMatchType[]; bad: string[] } {
  const types: LookupMatchType[] = [];
  const bad: string[] = [];
  for (const part of text.split(/,(?![^(]*\))/)) {
    if (part.trim() === "") continue;
    const m = MATCH_TYPE.exec(part);
    if (m) types.push({ kind: m[1]!.toUpperCase() as LookupMatchKind, field: m[2]! });
    else bad.push(part.trim());
  }
  return { types, bad };
}

export class LookupStore implements LookupResolver {
  readonly #defs = new Map<string, LookupDef>();
  readonly #tables = new Map<string, LookupTableResult>();

  /** Adds (or replaces) a definition; returns the one it replaced. */
  define(def: LookupDef): LookupDef | undefined {
    const previous = this.#defs.get(def.name);
    this.#defs.set(def.name, def);
    this.#tables.delete(def.name);
    return previous;
  }

  /** The definition, by lookup name or by the CSV file name a search may use instead. */
  definition(nameOrFile: string): LookupDef | undefined {
    const byName = this.#defs.get(nameOrFile);
    if (byName !== undefined) return byName;
    for (const def of this.#defs.values()) if (def.filename === nameOrFile) return def;
    return undefined;
  }

  /**
   * The table, read on first use (the SPL engine's `LookupResolver`); undefined when the lookup is
   * not defined or its data cannot be read (`table()` says why).
   */
  get(nameOrFile: string): LookupTable | undefined {
    return this.table(nameOrFile).table;
  }

  names(): string[] {
    return [...this.#defs.keys()];
  }

  get size(): number {
    return this.#defs.size;
  }

  /** The CSV table of a lookup, read on first use and cached. */
  table(nameOrFile: string): LookupTableResult {
    const def = this.definition(nameOrFile);
    if (def === undefined) {
      return {
        diagnostics: [
          { code: "content-schema", severity: "error", message: `lookup "${nameOrFile}" is not defined` },
        ],
      };
    }
    const cached = this.#tables.get(def.name);
    if (cached !== undefined) return cached;
    const result = readTable(def);
    this.#tables.set(def.name, result);
    return result;
  }
}

function readTable(def: LookupDef): LookupTableResult {
  if (def.kind !== "csv" || def.path === undefined) {
    const what =
      def.kind === "kvstore" ? `KV store collection "${def.collection}"` : `model file "${def.filename}"`;
    return {
      diagnostics: [
        {
          code: "content-schema",
          severity: "error",
          message: `lookup "${def.name}" is a ${what}, which Winnow cannot read`,
          file: def.definitionFile,
        },
      ],
    };
  }
  let text: string;
  try {
    text = readFileSync(def.path, "utf8");
  } catch (e) {
    return {
      diagnostics: [
        {
          code: "file-unreadable",
          severity: "error",
          message: `lookup "${def.name}": cannot read ${def.filename}: ${(e as Error).message}`,
          file: def.path,
        },
      ],
    };
  }
  const { records, problems } = parseCsv(text);
  const diagnostics: Diagnostic[] = problems.map((p) => ({
    code: "content-schema",
    severity: "warning",
    message: `lookup "${def.name}": ${p.message}`,
    file: def.path,
    line: p.line,
    column: p.column,
  }));
  const [header, ...data] = records;
  if (header === undefined) {
    diagnostics.push({
      code: "content-schema",
      severity: "error",
      message: `lookup "${def.name}": the CSV file is empty (no header row)`,
      file: def.path,
    });
    return { diagnostics };
  }
  const rows: Record<string, string>[] = [];
  for (const r of data) {
    if (r.length === 1 && r[0] === "") continue; // blank line
    // Own fields, a `__proto__` column too (an assignment would set the row's prototype, here: do nothing).
    rows.push(Object.fromEntries(header.map((column, i) => [column, r[i] ?? ""])));
  }
  const table: LookupTable = {
    name: def.name,
    columns: header,
    rows,
    wildcardFields: def.matchTypes.filter((m) => m.kind === "WILDCARD").map((m) => m.field),
    cidrFields: def.matchTypes.filter((m) => m.kind === "CIDR").map((m) => m.field),
    caseSensitive: def.caseSensitiveMatch,
    maxMatches: def.maxMatches,
    minMatches: def.minMatches,
  };
  if (def.defaultMatch !== undefined) table.defaultMatch = def.defaultMatch;
  return { table, diagnostics };
}

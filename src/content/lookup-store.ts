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
 */
import { readFileSync } from "node:fs";
import type { Diagnostic } from "../diag/diagnostic.js";
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

export interface LookupTable {
  /** Header row. */
  fields: string[];
  /** Data rows, each padded or cut to `fields.length`. */
  rows: string[][];
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

export class LookupStore {
  readonly #defs = new Map<string, LookupDef>();
  readonly #tables = new Map<string, LookupTableResult>();

  /** Adds (or replaces) a definition; returns the one it replaced. */
  define(def: LookupDef): LookupDef | undefined {
    const previous = this.#defs.get(def.name);
    this.#defs.set(def.name, def);
    this.#tables.delete(def.name);
    return previous;
  }

  /** By lookup name, or by the CSV file name a search may use instead. */
  get(nameOrFile: string): LookupDef | undefined {
    const byName = this.#defs.get(nameOrFile);
    if (byName !== undefined) return byName;
    for (const def of this.#defs.values()) if (def.filename === nameOrFile) return def;
    return undefined;
  }

  names(): string[] {
    return [...this.#defs.keys()];
  }

  get size(): number {
    return this.#defs.size;
  }

  /** The CSV table of a lookup, read on first use and cached. */
  table(nameOrFile: string): LookupTableResult {
    const def = this.get(nameOrFile);
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
  const width = header.length;
  const rows: string[][] = [];
  for (const r of data) {
    if (r.length === 1 && r[0] === "") continue; // blank line
    if (r.length === width) rows.push(r);
    else if (r.length < width) rows.push([...r, ...Array<string>(width - r.length).fill("")]);
    else rows.push(r.slice(0, width));
  }
  return { table: { fields: header, rows }, diagnostics };
}

/**
 * Public types of the SPL engine: the contract the engine and the content loader code against.
 *
 * Design notes:
 * - A field value is a scalar, a multivalue (readonly array) or absent (`null`/`undefined`).
 * - `compileSearch` never throws on bad SPL: it returns diagnostics and no `search`.
 * - A compiled search is reusable: each `start()` gives an independent run.
 */
import type { Diagnostic } from "../diag/diagnostic.js";
import type { RecordFilterSpec } from "./exec/stage.js";

export type Scalar = string | number;
/** An array is a multivalue field; `null`/`undefined` is a missing field. */
export type FieldValue = Scalar | readonly Scalar[] | null | undefined;
export type Row = Record<string, FieldValue>;

export interface MacroDef {
  name: string;
  args: string[];
  definition: string;
  file?: string;
}

/** Splunk keys macros by name and arity: `drop_dm_object_name(1)`; a zero-arg macro is just its name. */
export interface MacroTable {
  get(name: string, arity: number): MacroDef | undefined;
}

/** A lookup table as `| lookup` needs it (the content loader's `LookupStore` provides it). */
export interface LookupTable {
  /** Column names of the table, in file order. */
  readonly columns: readonly string[];
  readonly rows: readonly Readonly<Record<string, string>>[];
  /** Columns matched with `*` wildcards (`WILDCARD(field)`). */
  readonly wildcardFields?: readonly string[];
  /** Columns matched as CIDR ranges (`CIDR(field)`). */
  readonly cidrFields?: readonly string[];
  /** Default true, as in Splunk (`case_sensitive_match = true`). */
  readonly caseSensitive?: boolean;
  /** Splunk's `max_matches` (transforms.conf default 1000). */
  readonly maxMatches?: number;
  /** Splunk's `min_matches` (default 0); with `defaultMatch`, fills unmatched rows. */
  readonly minMatches?: number;
  readonly defaultMatch?: string;
}

/** Resolves a lookup name used in `| lookup NAME ...` to its table, or undefined when unknown/unreadable. */
export interface LookupResolver {
  get(name: string): LookupTable | undefined;
}

export interface CompileOptions {
  macros: MacroTable;
  /** For diagnostics: which detection / file the search came from. */
  origin?: { detection?: string; file?: string; line?: number };
  lookups?: LookupResolver;
}

export interface CompileResult {
  search?: CompiledSearch;
  diagnostics: Diagnostic[];
  /** The search after macro expansion and comment removal (positions in diagnostics refer to it). */
  expanded?: string;
}

export interface CompiledSearch {
  /** Data model datasets the search reads, e.g. ["Endpoint.Processes"]. */
  readonly datasets: readonly string[];
  /** Field names (object prefix removed) the search reads from each dataset, for prefiltering/doctor. */
  readonly fieldsUsed: ReadonlyMap<string, readonly string[]>;
  /**
   * The records the search can use, one filter per source that reads records (a record no filter of its dataset
   * keeps changes nothing when pushed); undefined when some source may use any record of its datasets.
   */
  readonly recordFilters?: readonly RecordFilterSpec[];
  start(): SearchRun;
}

export interface SearchRun {
  /** One data-model record: fields WITHOUT the object prefix, `_time` as epoch seconds. */
  push(dataset: string, record: Row): void;
  /** Runs the rest of the pipeline; columns in Splunk's output order. */
  finish(): { rows: Row[]; columns: string[]; diagnostics: Diagnostic[] };
}

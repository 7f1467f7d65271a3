/**
 * The executable plan: one source stage (the generating command, e.g. tstats, fed record by record)
 * followed by row stages that each turn a table into a table. Stages are built once per compiled
 * search; per-run state lives in `SourceRun` objects created by `start()`.
 */
import type { Diagnostic } from "../../diag/diagnostic.js";
import type { SearchExpr } from "../ast.js";
import type { Row } from "../types.js";

export interface Table {
  rows: Row[];
  columns: string[];
}

export interface SourceRun {
  push(dataset: string, record: Row): void;
  finish(ctx: RunContext): Table;
}

export interface SourceStage {
  readonly datasets: readonly string[];
  readonly fieldsUsed: ReadonlyMap<string, readonly string[]>;
  /** Which pushed records the source can use at all; absent when it may use any record of its datasets. */
  readonly recordFilter?: RecordFilterSpec;
  start(): SourceRun;
}

/**
 * The records a source can use, as plain data (no functions), so that a hunt reader thread can compile it and
 * leave out the records no search can use (engine/record-prefilter.ts): records of `dataset` for which
 * `where` holds (every record of it when there is none). A source ignores any other record it is pushed.
 */
export interface RecordFilterSpec {
  readonly dataset: string;
  /** The data model object's prefix (`Processes.`): `where` names fields with it, records without it. */
  readonly prefix: string;
  readonly where?: SearchExpr;
  /** The results of `where`'s subsearches, in the order `subsearchesIn` lists them (run once, at compile time). */
  readonly subsearches: readonly Table[];
}

export interface RunContext {
  readonly diagnostics: Diagnostic[];
  /** The runs of every source in the search (main and subsearches), by the id given at build time. */
  readonly sources: readonly SourceRun[];
}

export interface RowStage {
  run(input: Table, ctx: RunContext): Table;
}

export type Stage =
  | { readonly kind: "source"; readonly source: SourceStage }
  | { readonly kind: "rows"; readonly stage: RowStage };

/** A compiled pipeline: the id of its source in the run's source list, then its row stages. */
export interface CompiledPipeline {
  readonly sourceId: number;
  readonly stages: readonly RowStage[];
}

export function runPipeline(p: CompiledPipeline, ctx: RunContext): Table {
  let table = ctx.sources[p.sourceId].finish(ctx);
  for (const s of p.stages) table = s.run(table, ctx);
  return table;
}

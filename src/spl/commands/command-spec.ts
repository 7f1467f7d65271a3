/**
 * What each command module provides: its parser (tokens → node) and its builder (node → stage).
 * The registry (`registry.ts`) maps names to specs, so an unknown command is an explicit
 * `spl-unsupported` diagnostic (STYLE convention 8).
 */
import type { CommandNode, Pipeline } from "../ast.js";
import type { CompiledPipeline, SourceStage, Stage, Table } from "../exec/stage.js";
import type { RunState } from "../functions/function-spec.js";
import type { Parser } from "../parser.js";
import type { Token } from "../token.js";
import type { LookupResolver } from "../types.js";

export interface BuildContext {
  readonly lookups?: LookupResolver;
  /** The search time (eval `now()`), set when a run starts. */
  readonly clock: RunState;
  /** Registers a source stage for the run; returns its id. */
  addSource(source: SourceStage): number;
  /** Builds a subsearch pipeline (which must start with a generating command). */
  buildPipeline(pipeline: Pipeline): CompiledPipeline;
  /**
   * Builds and runs, now, a subsearch that reads no data (e.g. `| inputlookup ...`); a subsearch that
   * reads a data model is unsupported here.
   */
  runStatic(pipeline: Pipeline): Table;
}

export interface CommandSpec {
  readonly name: string;
  /** True for commands that generate results (must come first, after `|`). */
  readonly generating: boolean;
  parse(p: Parser, nameToken: Token): CommandNode;
  build(node: CommandNode, ctx: BuildContext): Stage;
}

/** Types a command module's parse/build pair against its own node type. */
export function defineCommand<N extends CommandNode>(spec: {
  name: string;
  generating?: boolean;
  parse(p: Parser, nameToken: Token): N;
  build(node: N, ctx: BuildContext): Stage;
}): CommandSpec {
  return {
    name: spec.name,
    generating: spec.generating === true,
    parse: spec.parse,
    build: (node, ctx) => spec.build(node as N, ctx),
  };
}

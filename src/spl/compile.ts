/**
 * `compileSearch`: macro expansion → lexer/parser → AST → plan, collecting every problem as a
 * Diagnostic (positions are offsets in the EXPANDED search; line and column are computed here, and a
 * construct that came from a macro names it). No search is returned when there is an error.
 */
import type { Diagnostic } from "../diag/diagnostic.js";
import type { Pipeline } from "./ast.js";
import type { BuildContext } from "./commands/command-spec.js";
import { commandSpec } from "./commands/registry.js";
import {
  type CompiledPipeline,
  type RecordFilterSpec,
  type RowStage,
  type RunContext,
  runPipeline,
  type SourceStage,
  type Table,
} from "./exec/stage.js";
import type { RunState } from "./functions/function-spec.js";
import { expandMacros, type MacroOrigin, macroAt } from "./macros/expand.js";
import { parsePipeline } from "./parse.js";
import { lineColumn, SplError } from "./source.js";
import type { CompiledSearch, CompileOptions, CompileResult, SearchRun } from "./types.js";

export function compileSearch(spl: string, opts: CompileOptions): CompileResult {
  const expansion = expandMacros(spl, opts.macros);
  const expanded = expansion.text;
  const toDiag = (e: SplError) => splDiagnostic(e, expanded, expansion.origins, opts);
  if (expansion.errors.length > 0) return { diagnostics: expansion.errors.map(toDiag), expanded };
  try {
    const pipeline = parsePipeline(expanded);
    const sources: SourceStage[] = [];
    const clock: RunState = { now: 0, warnings: [] };
    const ctx: Mutable<BuildContext> = {
      lookups: opts.lookups,
      clock,
      addSource(s) {
        sources.push(s);
        return sources.length - 1;
      },
      buildPipeline: (p) => buildPipeline(p, ctx),
      runStatic: () => {
        throw new Error("internal error: runStatic not installed");
      },
    };
    ctx.runStatic = (p) => runStatic(p, opts, clock);
    const main = buildPipeline(pipeline, ctx);
    return { search: new Search(main, sources, clock, toDiag), diagnostics: [], expanded };
  } catch (e) {
    if (e instanceof SplError) return { diagnostics: [toDiag(e)], expanded };
    throw e;
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function runStatic(pipeline: Pipeline, opts: CompileOptions, clock: RunState): Table {
  const sources: SourceStage[] = [];
  const ctx: BuildContext = {
    lookups: opts.lookups,
    clock,
    addSource(s) {
      sources.push(s);
      return sources.length - 1;
    },
    buildPipeline: (p) => buildPipeline(p, ctx),
    runStatic: (p) => runStatic(p, opts, clock),
  };
  const compiled = buildPipeline(pipeline, ctx);
  if (sources.some((s) => s.datasets.length > 0)) {
    throw new SplError(
      "spl-unsupported",
      "a subsearch that reads a data model inside a tstats where clause (it would need a second pass)",
      pipeline.span,
    );
  }
  clock.now = Date.now() / 1000;
  return runPipeline(compiled, { diagnostics: [], sources: sources.map((s) => s.start()) });
}

function buildPipeline(pipeline: Pipeline, ctx: BuildContext): CompiledPipeline {
  const [first, ...rest] = pipeline.commands;
  const firstSpec = commandSpec(first.kind);
  if (!firstSpec) throw new Error(`internal error: no spec for parsed command ${first.kind}`);
  if (!firstSpec.generating) {
    throw new SplError(
      "spl-unsupported",
      `a search that starts with '${first.kind}' (raw-event search); the first command must be tstats, inputlookup or makeresults`,
      first.span,
    );
  }
  const head = firstSpec.build(first, ctx);
  if (head.kind !== "source")
    throw new Error(`internal error: generating command ${first.kind} built no source`);
  const sourceId = ctx.addSource(head.source);
  const stages: RowStage[] = [];
  for (const node of rest) {
    const spec = commandSpec(node.kind);
    if (!spec) throw new Error(`internal error: no spec for parsed command ${node.kind}`);
    if (spec.generating) {
      throw new SplError(
        "spl-unsupported",
        `'${node.kind}' after the first command (append mode)`,
        node.span,
      );
    }
    const built = spec.build(node, ctx);
    if (built.kind !== "rows") throw new Error(`internal error: ${node.kind} built a source`);
    stages.push(built.stage);
  }
  return { sourceId, stages };
}

class Search implements CompiledSearch {
  readonly datasets: readonly string[];
  readonly fieldsUsed: ReadonlyMap<string, readonly string[]>;
  readonly recordFilters: readonly RecordFilterSpec[] | undefined;

  private readonly main: CompiledPipeline;
  private readonly sources: readonly SourceStage[];
  private readonly clock: RunState;
  private readonly diagnose: (e: SplError) => Diagnostic;

  constructor(
    main: CompiledPipeline,
    sources: readonly SourceStage[],
    clock: RunState,
    diagnose: (e: SplError) => Diagnostic,
  ) {
    this.diagnose = diagnose;
    this.main = main;
    this.sources = sources;
    this.clock = clock;
    const datasets = new Set<string>();
    const fields = new Map<string, Set<string>>();
    for (const s of sources) {
      for (const d of s.datasets) datasets.add(d);
      for (const [d, fs] of s.fieldsUsed) {
        let set = fields.get(d);
        if (!set) fields.set(d, (set = new Set()));
        for (const f of fs) set.add(f);
      }
    }
    this.datasets = [...datasets];
    this.fieldsUsed = new Map([...fields].map(([d, s]) => [d, [...s].sort()]));
    const reading = sources.filter((s) => s.datasets.length > 0);
    const filters = reading.flatMap((s) => (s.recordFilter === undefined ? [] : [s.recordFilter]));
    this.recordFilters = filters.length === reading.length ? filters : undefined;
  }

  start(): SearchRun {
    const clock = this.clock;
    const diagnose = this.diagnose;
    const runs = this.sources.map((s) => s.start());
    const main = this.main;
    let finished = false;
    return {
      push(dataset, record) {
        for (const r of runs) r.push(dataset, record);
      },
      finish() {
        if (finished) throw new Error("internal error: SearchRun.finish called twice");
        finished = true;
        clock.now = Date.now() / 1000;
        const ctx: RunContext = { diagnostics: [], sources: runs };
        const table = runPipeline(main, ctx);
        const warnings = clock.warnings.splice(0);
        const seen = new Set<string>();
        for (const w of warnings) {
          const key = `${w.at.start}:${w.message}`;
          if (seen.has(key)) continue;
          seen.add(key);
          ctx.diagnostics.push({ ...diagnose(w), severity: "warning" });
        }
        return { rows: table.rows, columns: table.columns, diagnostics: ctx.diagnostics };
      },
    };
  }
}

function splDiagnostic(
  e: SplError,
  expanded: string,
  origins: readonly MacroOrigin[],
  opts: CompileOptions,
): Diagnostic {
  const { line, column } = lineColumn(expanded, e.at.start);
  // A zero-width position (the end of the search) belongs to the text just before it.
  const macro = e.macro ?? macroAt(origins, e.at.end > e.at.start ? e.at.start : Math.max(0, e.at.start - 1));
  const near = expanded.slice(e.at.start, Math.min(e.at.end, e.at.start + 40));
  const where = `at expanded search line ${line}, column ${column}${macro ? ` (from macro \`${macro}\`)` : ""}`;
  const d: Diagnostic = {
    code: e.code,
    severity: "error",
    message: `${e.message} ${where}${near && !e.message.includes(near) ? ` near '${near}'` : ""}`,
    searchOffset: e.at.start,
  };
  if (opts.origin?.file !== undefined) d.file = opts.origin.file;
  if (opts.origin?.line !== undefined) d.line = opts.origin.line;
  if (opts.origin?.detection !== undefined) d.detection = opts.origin.detection;
  return d;
}

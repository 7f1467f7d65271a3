/**
 * Explaining a tstats where clause on one record: which of its clauses matched, on which value.
 * Used by `hunt --explain` (which clause matched which value in which source event) and `doctor`
 * (how many records each clause matched).
 *
 * Design notes:
 * - No hook into the compiled plan: the explainer expands the macros and parses the search again
 *   (cheap; once per detection), takes the first command when it is `tstats`, and compiles each
 *   leaf clause (`f=v`, `f!=v`, `f<v`, `f IN (...)`) with the same `compileSearchExpr` the engine
 *   uses, so a clause matches here exactly when it matches in the search.
 * - `passes(record)` is the whole where clause with the engine's semantics. A subsearch inside the
 *   where clause is not run here (it would need lookups): it counts as matching and is shown as
 *   "not evaluated", so `passes` can only be wider than the engine's filter, never narrower.
 * - Leaves are listed in written order; `negated` says the leaf sits under an odd number of NOTs,
 *   so a leaf that did NOT match is what let the record through.
 */
import type { SearchExpr } from "./ast.js";
import { resolveDataset } from "./commands/datamodels.js";
import type { TstatsNode } from "./commands/tstats.js";
import { fieldValue } from "./exec/row-field.js";
import { compileSearchExpr, type RowPredicate } from "./exec/search-match.js";
import { scalarToString, valuesOf } from "./exec/values.js";
import { expandMacros } from "./macros/expand.js";
import { parsePipeline } from "./parse.js";
import { printSearchExpr } from "./print.js";
import { SplError } from "./source.js";
import type { MacroTable, Row } from "./types.js";

/** One leaf of the where clause. */
export interface WhereClause {
  /** The clause as SPL text, e.g. `Processes.process_name="winrs.exe"`. */
  readonly text: string;
  /** The record field it reads (object prefix removed), e.g. `process_name`; undefined for a subsearch. */
  readonly field?: string;
  /** Under an odd number of NOTs: the clause helps the record through when it does NOT match. */
  readonly negated: boolean;
  /** False for a subsearch (not run by the explainer). */
  readonly evaluated: boolean;
}

/** How one clause fared on one record. */
export interface ClauseOutcome {
  readonly clause: WhereClause;
  /** Whether the clause itself (without the NOT around it) matched. Subsearches: true. */
  readonly matched: boolean;
  /** The record's values of the clause's field (empty when the field is missing). */
  readonly values: readonly string[];
}

export interface WhereExplainer {
  /** `Model.Dataset` the tstats reads. */
  readonly dataset: string;
  /** The by-fields as written (`Processes.dest`) and the record keys they read (`dest`). */
  readonly byFields: readonly { readonly written: string; readonly key: string }[];
  /** Every leaf clause in written order (empty without a where clause). */
  readonly clauses: readonly WhereClause[];
  /** The whole where clause, as the engine evaluates it (subsearches count as matching). */
  passes(record: Row): boolean;
  /** Each leaf clause's outcome on the record. */
  explain(record: Row): ClauseOutcome[];
}

/**
 * The explainer for a search whose first command is `tstats ... from datamodel=...`, or undefined for
 * any other search, or one that does not parse (compileSearch reports why).
 */
export function whereExplainer(spl: string, macros: MacroTable): WhereExplainer | undefined {
  const expansion = expandMacros(spl, macros);
  if (expansion.errors.length > 0) return undefined;
  try {
    const pipeline = parsePipeline(expansion.text);
    const first = pipeline.commands[0];
    if (first === undefined || first.kind !== "tstats") return undefined;
    const node = first as TstatsNode;
    if (node.datamodel === undefined) return undefined;
    const resolved = resolveDataset(node.datamodel.value);
    if (resolved === undefined) return undefined;
    const prefix = `${resolved.object}.`;
    const resolve = (name: string) => (name.startsWith(prefix) ? name.slice(prefix.length) : name);
    const leaves: { clause: WhereClause; test: RowPredicate }[] = [];
    let passes: RowPredicate = () => true;
    if (node.where !== undefined) {
      collectLeaves(node.where, false, resolve, leaves);
      passes = compileSearchExpr(node.where, resolve, () => ({ rows: [], columns: [] }));
    }
    return {
      dataset: resolved.dataset,
      byFields: node.by.map((f) => ({ written: f.name, key: resolve(f.name) })),
      clauses: leaves.map((l) => l.clause),
      passes,
      explain(record: Row): ClauseOutcome[] {
        return leaves.map(({ clause, test }) => ({
          clause,
          matched: test(record),
          values:
            clause.field === undefined ? [] : valuesOf(fieldValue(record, clause.field)).map(scalarToString),
        }));
      },
    };
  } catch (e) {
    if (e instanceof SplError) return undefined;
    throw e;
  }
}

function collectLeaves(
  e: SearchExpr,
  negated: boolean,
  resolve: (name: string) => string,
  out: { clause: WhereClause; test: RowPredicate }[],
): void {
  switch (e.kind) {
    case "and":
    case "or":
      for (const o of e.operands) collectLeaves(o, negated, resolve, out);
      return;
    case "not":
      collectLeaves(e.operand, !negated, resolve, out);
      return;
    case "subsearch":
      out.push({ clause: { text: printSearchExpr(e), negated, evaluated: false }, test: () => true });
      return;
    case "term":
      // Only a bare `*` compiles (anything else is unsupported and the search never runs).
      out.push({
        clause: { text: printSearchExpr(e), negated, evaluated: true },
        test: compileSearchExpr(e, resolve),
      });
      return;
    case "compare":
    case "in":
      out.push({
        clause: { text: printSearchExpr(e), field: resolve(e.field), negated, evaluated: true },
        test: compileSearchExpr(e, resolve),
      });
      return;
  }
}

/**
 * Relevance probe for the streaming session: does one data-model record change a detection's result?
 *
 * Design notes:
 * - `SearchRun.finish()` may be called once (it throws on a second call), so a live result is recomputed
 *   by replaying records into a fresh run. Replaying every event would make each snapshot cost a full hunt;
 *   instead only the records that the search's first command (`| tstats … where … by …`) keeps are stored.
 * - The probe is that first command compiled on its own. Pushed one record, a `tstats … by …` run yields a
 *   row exactly when the record passed the where clause and made or joined a group; a record that yields no
 *   row leaves the real run's state untouched (tstats returns before touching any group), so dropping it
 *   cannot change any later stage. This is exact, not a heuristic.
 * - When the probe cannot be proven exact — the first command cannot be isolated, it has no by-fields (it
 *   yields a row over no records), or other parts of the search read data models too (a join subsearch) —
 *   every record of the search's datasets counts as relevant (correct, only slower).
 */
import type { ContentSet, Detection } from "../content/index.js";
import { type CompiledSearch, compileSearch, type Row, type Scalar } from "../spl/index.js";
import { parsePipeline } from "../spl/parse.js";

export interface RelevanceProbe {
  /** True when pushing this record to the detection's search can change its result. */
  relevant(dataset: string, record: Row): boolean;
  /**
   * The tstats groups (by-field values) a record joins: [] when it is not relevant. Only on a partitionable
   * probe (`byFields` set).
   */
  groups?(dataset: string, record: Row): Scalar[][];
  /** False when the probe fell back to "every record is relevant". */
  readonly exact: boolean;
  /**
   * Set when the search can be computed group by group (stream-session.ts): the number of tstats by-fields,
   * and every command after tstats works on each row alone (a row's output depends on that row only, in
   * order), so the result over all records is the tstats groups' results concatenated in tstats order.
   */
  readonly byFields?: number;
}

/**
 * Commands whose output for a row depends on that row alone (and the table's columns), keeping row order:
 * filters, per-row evaluation, projections, static lookups, one-to-many expansion. Everything else (stats,
 * eventstats, sort, dedup, head, transaction, join, append, addtotals, …) looks across rows.
 */
const ROW_LOCAL = new Set([
  "rename",
  "convert",
  "search",
  "where",
  "eval",
  "table",
  "fields",
  "fillnull",
  "regex",
  "rex",
  "bin",
  "mvexpand",
  "lookup",
  "makemv",
]);

/** Eval functions whose value depends on when the search runs: a group computed earlier would keep a stale one. */
const CLOCK_FUNCTIONS = /\b(?:now|time|random)\s*\(/i;

/** The text of the first command of an SPL pipeline (up to the first top-level `|` after it), or undefined. */
export function firstCommand(spl: string): string | undefined {
  const start = spl.search(/\S/);
  if (start === -1 || spl[start] !== "|") return undefined;
  let depth = 0;
  let quoted = false;
  for (let i = start + 1; i < spl.length; i++) {
    const c = spl[i];
    if (quoted) {
      if (c === "\\") i++;
      else if (c === '"') quoted = false;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === "[") depth++;
    else if (c === "]") {
      if (depth === 0) return undefined;
      depth--;
    } else if (c === "|" && depth === 0) return spl.slice(start, i);
  }
  return quoted || depth !== 0 ? undefined : spl.slice(start);
}

const ALL: RelevanceProbe = { relevant: () => true, exact: false };

export function relevanceProbe(d: Detection, search: CompiledSearch, content: ContentSet): RelevanceProbe {
  const full = compileSearch(d.search, { macros: content.macros, lookups: content.lookups });
  const head = full.expanded === undefined ? undefined : firstCommand(full.expanded);
  if (head === undefined || full.expanded === undefined) return ALL;
  // Another data-model read later in the pipeline (a join or append subsearch) sees records the head drops.
  if (/\b(tstats|datamodel)\b/i.test(full.expanded.slice(full.expanded.indexOf(head) + head.length)))
    return ALL;
  const probe = compileSearch(head, { macros: content.macros, lookups: content.lookups }).search;
  if (probe === undefined) return ALL;
  const same =
    probe.datasets.length === search.datasets.length &&
    probe.datasets.every((x) => search.datasets.includes(x));
  if (!same || probe.start().finish().rows.length !== 0) return ALL;
  const datasets = new Set(probe.datasets);
  const relevant = (dataset: string, record: Row) => {
    if (!datasets.has(dataset)) return false;
    const run = probe.start();
    run.push(dataset, record);
    return run.finish().rows.length > 0;
  };
  const byFields = partitionBy(full.expanded, head);
  if (byFields === undefined) return { exact: true, relevant };
  return {
    exact: true,
    relevant,
    byFields,
    groups(dataset, record) {
      if (!datasets.has(dataset)) return [];
      const run = probe.start();
      run.push(dataset, record);
      const out = run.finish();
      const by = out.columns.slice(0, byFields);
      return out.rows.map((row) => by.map((c) => row[c] as Scalar));
    },
  };
}

/** The number of by-fields when the search after its tstats head is row-local (above), else undefined. */
function partitionBy(expanded: string, head: string): number | undefined {
  const rest = expanded.slice(expanded.indexOf(head) + head.length);
  if (CLOCK_FUNCTIONS.test(rest)) return undefined;
  const commands = parsePipeline(expanded).commands;
  const first = commands[0] as { kind: string; by?: readonly unknown[] };
  if (first.kind !== "tstats" || first.by === undefined || first.by.length === 0) return undefined;
  if (!commands.slice(1).every((c) => ROW_LOCAL.has(c.kind))) return undefined;
  return first.by.length;
}

/**
 * Leaving out, on the reader threads, the records no loaded search can use.
 *
 * With two readers on two cores, every record a reader thread makes is copied to the main thread (a structured
 * clone, paid on both sides), and that copy cost more than the second core won: most records match no
 * detection's tstats `where`, and those the searches ignore on arrival. So the main thread sends each reader
 * the searches' record filters as data (`PrefilterSpec`: the where clauses' syntax trees and their subsearches'
 * results, spl/exec/stage.ts RecordFilterSpec), the reader compiles them with the same compiler the searches
 * use, and a record no filter of its dataset keeps crosses as a placeholder (`null`) that is only counted.
 *
 * Identical results: a search whose sources cannot say which records they use (spl/types.ts recordFilters
 * undefined) makes its datasets' records all cross; a filter that throws keeps the record (the search then
 * meets the same error on the main thread); the main thread still runs every search on every record that
 * crosses, so a filter only decides what is left out, never what a search sees of what it can use.
 */
import type { CimRecord } from "../normalize/normalize-event.js";
import { recordField } from "../spl/commands/tstats.js";
import { compileSearchExpr, type RowPredicate, subsearchesIn } from "../spl/exec/search-match.js";
import type { RecordFilterSpec, Table } from "../spl/exec/stage.js";
import type { CompiledSearch } from "../spl/types.js";

/** Per dataset, the filters of the searches that read it; null when one of them may use any of its records. */
export type PrefilterSpec = [dataset: string, filters: RecordFilterSpec[] | null][];

/** Whether some loaded search can use this record of this dataset. */
export type RecordPrefilter = (dataset: string, record: CimRecord) => boolean;

export function prefilterSpec(searches: readonly CompiledSearch[]): PrefilterSpec {
  const byDataset = new Map<string, RecordFilterSpec[] | null>();
  for (const s of searches) {
    for (const ds of s.datasets) {
      const mine = s.recordFilters?.filter((f) => f.dataset === ds);
      if (mine === undefined || mine.length === 0) {
        byDataset.set(ds, null);
        continue;
      }
      const list = byDataset.get(ds);
      if (list === undefined) byDataset.set(ds, [...mine]);
      else if (list !== null) list.push(...mine);
    }
  }
  return [...byDataset];
}

export function compilePrefilter(spec: PrefilterSpec): RecordPrefilter {
  const byDataset = new Map<string, RowPredicate[] | null>();
  for (const [ds, filters] of spec) byDataset.set(ds, filters === null ? null : filters.map(compileFilter));
  return (dataset, record) => {
    const predicates = byDataset.get(dataset);
    // A dataset no search reads: not for the filter to decide (the main thread counts and drops it).
    if (predicates === null || predicates === undefined) return true;
    for (let i = 0; i < predicates.length; i++) {
      try {
        if (predicates[i](record)) return true;
      } catch {
        return true;
      }
    }
    return false;
  };
}

const NO_RESULTS: Table = { rows: [], columns: [] };

function compileFilter(f: RecordFilterSpec): RowPredicate {
  if (f.where === undefined) return () => true;
  const results = new Map(subsearchesIn(f.where).map((s, i) => [s, f.subsearches[i] ?? NO_RESULTS]));
  return compileSearchExpr(
    f.where,
    (name) => recordField(name, f.prefix),
    (s) => results.get(s) ?? NO_RESULTS,
  );
}

/**
 * `tstats` over a CIM data model (SEMANTICS §4), computed from the records the engine pushes:
 *
 *   tstats [options] aggregates [from datamodel=Model.Dataset] [where <search expr>] [by fields [span=N]]
 *
 * - Records carry fields without the object prefix; `Processes.process_name` reads `process_name`.
 *   `datamodel=Model` alone names the model's root dataset (`datamodels.ts`); `nodename=` is unsupported.
 * - The where clause uses the search-language rules and is compiled to one closure. A subsearch in
 *   it must not read data (e.g. `[| inputlookup ...]`): it runs once, when the search is compiled.
 * - A null by-field drops the event, unless `fillnull_value` is set (then it is that string).
 *   A multivalue by-field puts the event in one group per value.
 * - `span=` buckets `_time` (a by-field) to multiples of the span in epoch seconds (UTC).
 * - Output: by-fields in order, then aggregates in written order; rows sorted by the by-field values
 *   (lexicographic; `compareKeys`).
 * - Options: `fillnull_value` is applied; `summariesonly`, `allow_old_summaries`, `local`,
 *   `chunk_size`, `include_reduced_buckets` are accepted and ignored (all data counts as summarized,
 *   so they cannot change results); `prestats` and `append` only with a false value. Anything else
 *   is unsupported.
 */
import type { AggregateNode, FieldNode, OptionNode, SearchExpr } from "../ast.js";
import {
  type Aggregator,
  type AggregatorFactory,
  aggregatorFactory,
  isAggregateFunction,
} from "../exec/aggregate.js";
import { fieldReader, setField } from "../exec/row-field.js";
import { compileSearchExpr, type RowPredicate, subsearchesIn } from "../exec/search-match.js";
import type { RunContext, SourceRun, Stage, Table } from "../exec/stage.js";
import { compareKeys, valuesOf } from "../exec/values.js";
import { parseAggregates } from "../parse-aggregate.js";
import { parseSearchExpr } from "../parse-search-expr.js";
import { type Span, SplError, span } from "../source.js";
import type { FieldValue, Row, Scalar } from "../types.js";
import { defineCommand } from "./command-spec.js";
import { resolveDataset } from "./datamodels.js";
import { parseSpan } from "./time-span.js";

export interface TstatsNode {
  readonly kind: "tstats";
  readonly span: Span;
  readonly options: readonly OptionNode[];
  readonly aggregates: readonly AggregateNode[];
  readonly datamodel?: { readonly value: string; readonly span: Span };
  readonly where?: SearchExpr;
  readonly by: readonly FieldNode[];
  readonly timeSpan?: OptionNode;
}

const IGNORED_OPTIONS = new Set([
  "summariesonly",
  "allow_old_summaries",
  "local",
  "chunk_size",
  "include_reduced_buckets",
]);
const FALSE_ONLY_OPTIONS = new Set(["prestats", "append"]);
const BOOLEAN = /^(?:t|f|true|false|1|0)$/i;

export const tstatsCommand = defineCommand<TstatsNode>({
  name: "tstats",
  generating: true,
  parse(p, nameTok) {
    const options: OptionNode[] = [];
    while (p.atOption()) options.push(p.parseOption());
    const aggregates = parseAggregates(p, ["from", "where", "by"]);
    while (p.atOption()) options.push(p.parseOption());
    let datamodel: TstatsNode["datamodel"];
    if (p.eatWord("from")) {
      const opt = p.atOption() ? p.parseOption() : undefined;
      if (opt?.name.toLowerCase() !== "datamodel" || !opt) {
        return p.unexpected(p.peek("search"), "datamodel=<Model.Dataset> after 'from'");
      }
      datamodel = { value: opt.value, span: opt.span };
    }
    let where: SearchExpr | undefined;
    if (p.eatWord("where")) {
      where = parseSearchExpr(p, (t) => t.kind === "word" && t.text.toLowerCase() === "by");
    }
    const by: FieldNode[] = [];
    let timeSpan: OptionNode | undefined;
    if (p.eatWord("by")) {
      for (;;) {
        if (p.atCommandEnd()) break;
        if (p.eat("comma")) continue;
        if (p.atOption()) {
          const opt = p.parseOption();
          if (opt.name.toLowerCase() !== "span")
            p.unsupported(`tstats by-clause option '${opt.name}'`, opt.span);
          timeSpan = opt;
          continue;
        }
        by.push(p.parseFieldName("a by-field"));
      }
    }
    if (!p.atCommandEnd()) p.unexpected(p.peek("search"), "'|' or the end of the search after tstats");
    if (aggregates.length === 0) p.error("tstats needs at least one aggregate such as count", nameTok);
    return {
      kind: "tstats",
      span: span(nameTok.start, p.pos),
      options,
      aggregates,
      datamodel,
      where,
      by,
      timeSpan,
    };
  },
  build(node, ctx): Stage {
    let fillnull: string | undefined;
    for (const o of node.options) {
      const name = o.name.toLowerCase();
      if (name === "fillnull_value") fillnull = o.value;
      else if (IGNORED_OPTIONS.has(name)) {
        if ((name === "summariesonly" || name === "allow_old_summaries") && !BOOLEAN.test(o.value)) {
          throw new SplError("spl-syntax", `${o.name} expects true or false, got '${o.value}'`, o.span);
        }
      } else if (FALSE_ONLY_OPTIONS.has(name)) {
        if (!/^(?:f|false|0)$/i.test(o.value))
          throw new SplError("spl-unsupported", `tstats ${o.name}=${o.value}`, o.span);
      } else throw new SplError("spl-unsupported", `tstats option '${o.name}'`, o.span);
    }
    if (!node.datamodel)
      throw new SplError("spl-unsupported", "tstats without 'from datamodel=...'", node.span);
    const resolved = resolveDataset(node.datamodel.value);
    if (!resolved) {
      throw new SplError(
        "spl-unsupported",
        `datamodel=${node.datamodel.value}: name a dataset as Model.Dataset (e.g. Endpoint.Processes)`,
        node.datamodel.span,
      );
    }
    const dataset = resolved.dataset;
    const prefix = `${resolved.object}.`;
    const used = new Set<string>();
    const resolve = (name: string, at: Span) => {
      if (name === "nodename") {
        throw new SplError(
          "spl-unsupported",
          "nodename= (selecting a child dataset) in a tstats where clause",
          at,
        );
      }
      const f = recordField(name, prefix);
      used.add(f);
      return f;
    };
    let where: RowPredicate = () => true;
    const subsearches: Table[] = [];
    const time = node.where && timeModifierIn(node.where);
    if (time) {
      throw new SplError(
        "spl-unsupported",
        `time modifier '${time.field}=' in a tstats where clause (Splunk takes it as the search's time range, not a field)`,
        time.span,
      );
    }
    if (node.where) {
      const subs = new Map(subsearchesIn(node.where).map((s) => [s, ctx.runStatic(s.pipeline)]));
      where = compileSearchExpr(node.where, resolve, (s) => subs.get(s) ?? { rows: [], columns: [] });
      subsearches.push(...subs.values());
    }
    const byFields = node.by.map((f) => resolve(f.name, f.span));
    let bucket: number | undefined;
    if (node.timeSpan) {
      const seconds = parseSpan(node.timeSpan.value);
      if (seconds === undefined) {
        throw new SplError(
          "spl-unsupported",
          `span=${node.timeSpan.value} (supported: s, m, h, d units)`,
          node.timeSpan.span,
        );
      }
      if (!byFields.includes("_time")) {
        throw new SplError("spl-syntax", "span= needs _time as a by-field", node.timeSpan.span);
      }
      bucket = seconds;
    }
    const aggs = node.aggregates.map((a) => {
      if (!isAggregateFunction(a.fn))
        throw new SplError("spl-unsupported", `tstats function '${a.fn}'`, a.span);
      if (a.expr) throw new SplError("spl-unsupported", `${a.fn}(eval(...)) in tstats`, a.span);
      if (a.fn !== "count" && a.field === undefined) {
        throw new SplError("spl-syntax", `${a.fn} needs a field: ${a.fn}(field)`, a.span);
      }
      if (a.fn === "list" || a.fn === "first" || a.fn === "last") {
        throw new SplError("spl-unsupported", `tstats function '${a.fn}'`, a.span);
      }
      const field = a.field === undefined ? undefined : resolve(a.field, a.span);
      const get = field === undefined ? undefined : fieldReader(field);
      return { get, factory: aggregatorFactory(a.fn, field !== undefined), name: a.as };
    });
    const needsTime = node.aggregates.some((a) => a.fn === "earliest" || a.fn === "latest");
    if (needsTime) used.add("_time");
    const columns = [...node.by.map((f) => f.name), ...aggs.map((a) => a.name)];
    const fieldsUsed = new Map([[dataset, [...used].sort()]]);
    const byReaders = byFields.map(fieldReader);
    const plan: TstatsPlan = { dataset, where, byFields, byReaders, bucket, fillnull, aggs, columns };
    return {
      kind: "source",
      source: {
        datasets: [dataset],
        fieldsUsed,
        recordFilter: { dataset, prefix, where: node.where, subsearches },
        start: () => new TstatsRun(plan),
      },
    };
  },
});

/**
 * A field as records carry it: `Processes.process_name` → `process_name` (the object prefix off); a name without
 * the prefix is already one. The reader threads' prefilter resolves a where clause's names with it too.
 */
export function recordField(name: string, prefix: string): string {
  return name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

/** Splunk's time modifiers: in a tstats where clause they set the time range instead of comparing a field. */
const TIME_MODIFIER = /^(?:earliest|latest|_index_earliest|_index_latest)$/i;

function timeModifierIn(e: SearchExpr): { field: string; span: Span } | undefined {
  switch (e.kind) {
    case "and":
    case "or":
      for (const o of e.operands) {
        const t = timeModifierIn(o);
        if (t) return t;
      }
      return undefined;
    case "not":
      return timeModifierIn(e.operand);
    case "compare":
    case "in":
      return TIME_MODIFIER.test(e.field) ? { field: e.field, span: e.span } : undefined;
    default:
      return undefined;
  }
}

interface TstatsPlan {
  dataset: string;
  where: RowPredicate;
  byFields: readonly string[];
  /** `byFields[i]` read from a record. */
  byReaders: readonly ((row: Row) => FieldValue)[];
  bucket: number | undefined;
  fillnull: string | undefined;
  /** `get` reads the aggregate's field from a record (undefined for `count`). */
  aggs: readonly { get: ((row: Row) => FieldValue) | undefined; factory: AggregatorFactory; name: string }[];
  columns: readonly string[];
}

interface Group {
  keys: Scalar[];
  aggs: Aggregator[];
}

class TstatsRun implements SourceRun {
  private groups = new Map<string, Group>();
  private readonly plan: TstatsPlan;
  constructor(plan: TstatsPlan) {
    this.plan = plan;
  }

  push(dataset: string, record: Row): void {
    const plan = this.plan;
    if (dataset !== plan.dataset || !plan.where(record)) return;
    const by = plan.byFields;
    const keyLists: (readonly Scalar[])[] = [];
    let fanOut = false;
    for (let i = 0; i < by.length; i++) {
      let v: FieldValue = plan.byReaders[i](record);
      if (plan.bucket !== undefined && by[i] === "_time" && typeof v === "number") {
        v = Math.floor(v / plan.bucket) * plan.bucket;
      }
      let list = valuesOf(v);
      if (list.length === 0) {
        if (plan.fillnull === undefined) return;
        list = [plan.fillnull];
      }
      if (list.length > 1) {
        fanOut = true;
        list = [...new Set(list)];
      }
      keyLists.push(list);
    }
    const time = typeof record._time === "number" ? record._time : undefined;
    if (!fanOut) {
      this.addTo(
        keyLists.map((l) => l[0]),
        record,
        time,
      );
      return;
    }
    for (const keys of cartesian(keyLists)) this.addTo(keys, record, time);
  }

  private addTo(keys: Scalar[], record: Row, time: number | undefined): void {
    const key = keys.length === 1 ? String(keys[0]) : keys.join("\u0000");
    let g = this.groups.get(key);
    if (!g) {
      g = { keys, aggs: this.plan.aggs.map((a) => a.factory()) };
      this.groups.set(key, g);
    }
    const aggs = this.plan.aggs;
    for (let i = 0; i < aggs.length; i++) {
      const get = aggs[i].get;
      g.aggs[i].add(get === undefined ? 1 : get(record), time);
    }
  }

  finish(_ctx: RunContext): Table {
    const plan = this.plan;
    const groups = [...this.groups.values()];
    if (plan.byFields.length === 0 && groups.length === 0) {
      // Splunk returns one row for an aggregate without by-fields, even over no events.
      groups.push({ keys: [], aggs: plan.aggs.map((a) => a.factory()) });
    }
    groups.sort((a, b) => {
      for (let i = 0; i < a.keys.length; i++) {
        const c = compareKeys(a.keys[i], b.keys[i]);
        if (c !== 0) return c;
      }
      return 0;
    });
    const rows = groups.map((g) => {
      const row: Row = {};
      for (let i = 0; i < g.keys.length; i++) setField(row, plan.columns[i], g.keys[i]);
      const off = g.keys.length;
      for (let i = 0; i < g.aggs.length; i++) setField(row, plan.columns[off + i], g.aggs[i].result());
      return row;
    });
    return { rows, columns: [...plan.columns] };
  }
}

function* cartesian(lists: readonly (readonly Scalar[])[]): Generator<Scalar[]> {
  const idx = lists.map(() => 0);
  for (;;) {
    yield idx.map((k, i) => lists[i][k]);
    let i = lists.length - 1;
    while (i >= 0 && ++idx[i] === lists[i].length) idx[i--] = 0;
    if (i < 0) return;
  }
}

/**
 * `convert [timeformat="..."] ctime(field) [AS name] ...` (SEMANTICS §4).
 *
 * - `ctime` renders epoch seconds (a number or numeric text) with the strftime format (default
 *   `%m/%d/%Y %H:%M:%S`, Splunk's), in UTC, seconds truncated. Non-numeric values are left as they are.
 * - The epoch value is remembered per row (`rawTimeOf`) for risk event times.
 * - Without AS the field is converted in place; with AS a new column is added at the end (or the
 *   existing one replaced in place).
 * - Other conversion functions are unsupported.
 */
import type { FieldNode, OptionNode } from "../ast.js";
import { setRawTime } from "../exec/raw-time.js";
import { fieldValue, setField } from "../exec/row-field.js";
import type { Stage, Table } from "../exec/stage.js";
import { compileStrftime, type TimeFormatter } from "../exec/strftime.js";
import { asNumber, valuesOf } from "../exec/values.js";
import { type Span, SplError, span } from "../source.js";
import type { FieldValue, Row } from "../types.js";
import { defineCommand } from "./command-spec.js";

export interface ConvertNode {
  readonly kind: "convert";
  readonly span: Span;
  readonly options: readonly OptionNode[];
  readonly conversions: readonly { fn: string; field: FieldNode; as?: FieldNode; span: Span }[];
}

export const DEFAULT_TIMEFORMAT = "%m/%d/%Y %H:%M:%S";

export const convertCommand = defineCommand<ConvertNode>({
  name: "convert",
  parse(p, nameTok) {
    const options: OptionNode[] = [];
    const conversions: ConvertNode["conversions"][number][] = [];
    while (!p.atCommandEnd()) {
      if (p.eat("comma")) continue;
      if (p.atOption()) {
        options.push(p.parseOption());
        continue;
      }
      const fn = p.expect("word", "search", "a conversion such as ctime(field)");
      p.expect("lparen", "search", `'(' after ${fn.text}`);
      const field = p.parseFieldName();
      let end = p.expect("rparen", "search", "')'").end;
      let as: FieldNode | undefined;
      if (p.eatWord("as")) {
        as = p.parseFieldName("a name after 'as'");
        end = as.span.end;
      }
      conversions.push({ fn: fn.text.toLowerCase(), field, as, span: span(fn.start, end) });
    }
    if (conversions.length === 0) p.error("convert needs a conversion such as ctime(field)", nameTok);
    return { kind: "convert", span: span(nameTok.start, p.pos), options, conversions };
  },
  build(node): Stage {
    let format = DEFAULT_TIMEFORMAT;
    let formatSpan: Span = node.span;
    for (const o of node.options) {
      if (o.name.toLowerCase() !== "timeformat")
        throw new SplError("spl-unsupported", `convert option '${o.name}'`, o.span);
      format = o.value;
      formatSpan = o.span;
    }
    const compiled = compileStrftime(format);
    if ("error" in compiled) throw new SplError("spl-unsupported", compiled.error, formatSpan);
    const formatter: TimeFormatter = compiled;
    const steps = node.conversions.map((c) => {
      if (c.fn !== "ctime") throw new SplError("spl-unsupported", `convert function '${c.fn}'`, c.span);
      if (c.field.name.includes("*")) {
        throw new SplError("spl-unsupported", "convert with a wildcard field name", c.field.span);
      }
      return { from: c.field.name, to: c.as?.name ?? c.field.name };
    });
    return {
      kind: "rows",
      stage: {
        run(input: Table): Table {
          const columns = [...input.columns];
          for (const s of steps) if (!columns.includes(s.to)) columns.push(s.to);
          for (const row of input.rows) for (const s of steps) convertOne(row, s.from, s.to, formatter);
          return { rows: input.rows, columns };
        },
      },
    };
  },
});

function convertOne(row: Row, from: string, to: string, fmt: TimeFormatter): void {
  const v = fieldValue(row, from);
  if (v === null || v === undefined) return;
  const list = valuesOf(v);
  const out = list.map((x) => {
    const n = asNumber(x);
    return n === undefined ? x : fmt(n);
  });
  const value: FieldValue = Array.isArray(v) ? out : out[0];
  if (!Array.isArray(v)) {
    const n = asNumber(list[0]);
    if (n !== undefined) setRawTime(row, to, n);
  }
  setField(row, to, value);
}

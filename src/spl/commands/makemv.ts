/**
 * `makemv [delim="x" | tokenizer="regex"] [allowempty=bool] field` (issue 4 corpus): splits a text
 * field into a multivalue. `delim` (default a single space) splits on the text; empty values are
 * dropped unless `allowempty=true`. `tokenizer` takes every match of the regex, its first group if it
 * has one. `setsv` is unsupported.
 */
import type { FieldNode, OptionNode } from "../ast.js";
import { compilePcre } from "../exec/pcre.js";
import { fieldValue, setField } from "../exec/row-field.js";
import type { Stage } from "../exec/stage.js";
import { scalarToString, valuesOf } from "../exec/values.js";
import { type Span, SplError, span } from "../source.js";
import { defineCommand } from "./command-spec.js";

export interface MakemvNode {
  readonly kind: "makemv";
  readonly span: Span;
  readonly options: readonly OptionNode[];
  readonly field: FieldNode;
}

export const makemvCommand = defineCommand<MakemvNode>({
  name: "makemv",
  parse(p, nameTok) {
    const options: OptionNode[] = [];
    let field: FieldNode | undefined;
    while (!p.atCommandEnd()) {
      if (p.atOption()) options.push(p.parseOption());
      else if (!field) field = p.parseFieldName();
      else p.unexpected(p.peek("search"), "the end of makemv");
    }
    if (!field) return p.error("makemv needs a field", nameTok);
    return { kind: "makemv", span: span(nameTok.start, p.pos), options, field };
  },
  build(node): Stage {
    let delim = " ";
    let tokenizer: RegExp | undefined;
    let allowEmpty = false;
    for (const o of node.options) {
      const n = o.name.toLowerCase();
      if (n === "delim") delim = o.value;
      else if (n === "allowempty") allowEmpty = /^(?:t|true|1)$/i.test(o.value);
      else if (n === "tokenizer") {
        const r = compilePcre(o.value, "g");
        if (!r.regex) throw new SplError("spl-unsupported", r.error ?? "invalid regex", o.span);
        tokenizer = r.regex;
      } else throw new SplError("spl-unsupported", `makemv option '${o.name}'`, o.span);
    }
    const f = node.field.name;
    const split = (s: string): string[] => {
      if (tokenizer) {
        tokenizer.lastIndex = 0;
        return [...s.matchAll(tokenizer)].map((m) => m[1] ?? m[0]);
      }
      const parts = s.split(delim);
      return allowEmpty ? parts : parts.filter((x) => x !== "");
    };
    return {
      kind: "rows",
      stage: {
        run(input) {
          for (const r of input.rows) {
            const vs = valuesOf(fieldValue(r, f));
            if (vs.length !== 1) continue;
            const parts = split(scalarToString(vs[0]));
            if (parts.length === 0) delete r[f];
            else setField(r, f, parts.length === 1 ? parts[0] : parts);
          }
          return { rows: input.rows, columns: input.columns };
        },
      },
    };
  },
});

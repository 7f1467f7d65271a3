/**
 * Parse one YAML content file into plain data, keeping a way back from a data path to its
 * line and column (for schema diagnostics).
 *
 * Design notes:
 * - Syntax errors and warnings from the yaml library become `content-yaml` diagnostics with the
 *   library's `linePos`; a file with errors yields no value, so nothing half-parsed is used.
 * - The value is `unknown`: the schema (zod) is the only thing that narrows it.
 * - One leniency, reported as a warning: quoted values whose continuation lines are not indented
 *   (see lenient-quoted-indent.ts).
 * - `locate(path)` finds the deepest node that exists along the path, so a missing key is
 *   reported at the mapping that should have held it.
 */
import { createRequire } from "node:module";
import type * as YamlModule from "yaml";
import type { Diagnostic } from "../diag/diagnostic.js";
import { indentQuotedContinuations } from "./lenient-quoted-indent.js";

// Loaded on first use: a run over the built-in content alone restores it from its snapshot and never parses YAML.
const load = createRequire(import.meta.url);
let yaml: typeof YamlModule | undefined;

export interface Position {
  line: number;
  column: number;
}

export interface YamlFile {
  /** The document as plain data; undefined when the file has syntax errors. */
  value: unknown;
  diagnostics: Diagnostic[];
  locate(path: readonly PropertyKey[]): Position;
}

export function parseYamlFile(text: string, file: string): YamlFile {
  yaml ??= load("yaml") as typeof YamlModule;
  const { isNode, LineCounter, parseDocument } = yaml;
  let lineCounter = new LineCounter();
  let doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const diagnostics: Diagnostic[] = [];
  if (doc.errors.length > 0) {
    // Accept what PyYAML (contentctl) accepts: quoted values with unindented continuation lines.
    const repaired = indentQuotedContinuations(text);
    if (repaired.keyLines.length > 0) {
      const lc = new LineCounter();
      const again = parseDocument(repaired.text, { lineCounter: lc, prettyErrors: true, uniqueKeys: true });
      if (again.errors.length === 0) {
        doc = again;
        lineCounter = lc;
        for (const line of repaired.keyLines) {
          diagnostics.push({
            code: "content-yaml",
            severity: "warning",
            message:
              "a quoted value continues on lines that are not indented (not valid YAML 1.2; read as PyYAML and contentctl read it)",
            file,
            line,
            column: 1,
          });
        }
      }
    }
  }
  for (const [list, severity] of [
    [doc.errors, "error"],
    [doc.warnings, "warning"],
  ] as const) {
    for (const e of list) {
      const pos = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
      diagnostics.push({
        code: "content-yaml",
        severity,
        message: firstLine(e.message),
        file,
        line: pos.line,
        column: pos.col,
      });
    }
  }
  const locate = (path: readonly PropertyKey[]): Position => {
    const keys = path.filter((k): k is string | number => typeof k === "string" || typeof k === "number");
    for (let n = keys.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(keys.slice(0, n), true);
      if (isNode(node) && node.range) {
        const p = lineCounter.linePos(node.range[0]);
        return { line: p.line, column: p.col };
      }
    }
    return { line: 1, column: 1 };
  };
  const hasErrors = doc.errors.length > 0;
  return { value: hasErrors ? undefined : (doc.toJS() as unknown), diagnostics, locate };
}

/**
 * The yaml library's pretty message repeats the source with a caret, after "… at line 3, column 1:"; keep the
 * first line without that position (the diagnostic carries line and column itself).
 */
function firstLine(message: string): string {
  const nl = message.indexOf("\n");
  const first = nl < 0 ? message : message.slice(0, nl);
  return first.replace(/ at line \d+, column \d+:?$/, "");
}

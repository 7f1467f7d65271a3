/**
 * zod issues → `content-schema` diagnostics, one per issue, each placed at the YAML node the
 * issue's path points to (or the nearest enclosing node when the key is missing).
 */
import type { z } from "zod";
import type { Diagnostic } from "../diag/diagnostic.js";
import type { Position } from "./yaml-file.js";

export function schemaDiagnostics(
  error: z.ZodError,
  file: string,
  locate: (path: readonly PropertyKey[]) => Position,
  what: string,
  detection?: string,
): Diagnostic[] {
  return error.issues.map((issue) => {
    const pos = locate(issue.path);
    const where = issue.path.length > 0 ? issue.path.map(String).join(".") : "(document)";
    const d: Diagnostic = {
      code: "content-schema",
      severity: "error",
      message: `${what}: ${where}: ${issue.message}`,
      file,
      line: pos.line,
      column: pos.column,
    };
    if (detection !== undefined) d.detection = detection;
    return d;
  });
}

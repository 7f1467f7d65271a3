/**
 * Input problems on stderr for commands that read logs but print no run summary (doctor): the same lines,
 * cap and overflow note as hunt's summary (output/summary.ts), so both say the same about the same file.
 */
import { type Diagnostic, formatDiagnostic } from "../diag/diagnostic.js";
import type { FileReport } from "../ingest/types.js";

export function inputDiagnosticLines(diagnostics: readonly Diagnostic[], max = 20): string[] {
  const shown = diagnostics.filter((d) => d.severity !== "info");
  const lines = shown.slice(0, max).map(formatDiagnostic);
  if (shown.length > max) {
    const byCode = new Map<string, number>();
    for (const d of shown) byCode.set(d.code, (byCode.get(d.code) ?? 0) + 1);
    const n = (x: number) => x.toLocaleString("en-US");
    lines.push(
      `… and ${n(shown.length - max)} more (${[...byCode].map(([c, k]) => `${c}: ${n(k)}`).join(", ")}); --format json lists all`,
    );
  }
  for (const d of diagnostics) if (d.code === "time-local-as-utc") lines.push(formatDiagnostic(d));
  return lines;
}

/**
 * Whether some input could not be read (exit 3, as hunt): an unreadable file, a skipped malformed record, or
 * a file read only in part (`damaged`, where the ingest reports it).
 */
export function inputDamaged(files: readonly FileReport[]): boolean {
  return files.some(
    (f) => f.unreadable !== undefined || f.malformed > 0 || ("damaged" in f && f.damaged !== undefined),
  );
}

/**
 * Problems as the CLI prints them at a start: the first `max` with their reason, then one line counting the rest
 * by code and saying where the whole list is. A content tree such as ESCU has hundreds (detections that cannot
 * run: raw-event searches, data models with no log source yet; content files with problems), and each is named
 * in that list, never skipped silently; printing all of them at every start buried everything else.
 */
import { type Diagnostic, formatDiagnostic } from "../diag/diagnostic.js";

/** `what`: what the rest are ("detections that cannot run"); `whereAll`: where the whole list is. */
export function cappedDiagnosticLines(
  diagnostics: readonly Diagnostic[],
  what: string,
  whereAll: string,
  max = 20,
): string[] {
  const lines = diagnostics.slice(0, max).map(formatDiagnostic);
  if (diagnostics.length > max) {
    const byCode = new Map<string, number>();
    for (const d of diagnostics.slice(max)) byCode.set(d.code, (byCode.get(d.code) ?? 0) + 1);
    const counts = [...byCode].map(([c, k]) => `${c}: ${k}`).join(", ");
    lines.push(`… and ${diagnostics.length - max} more ${what} (${counts}); ${whereAll}`);
  }
  return lines;
}

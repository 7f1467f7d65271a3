/**
 * The detections that cannot run, as the CLI prints them: the first `max` with their reason, then one line
 * counting the rest by reason and saying where the whole list is. A content tree such as ESCU has hundreds
 * (raw-event searches, data models with no log source yet), and each is named once somewhere, never skipped
 * silently; printing all of them at every start buried everything else.
 */
import { type Diagnostic, formatDiagnostic } from "../diag/diagnostic.js";

export function cannotRunLines(failed: readonly Diagnostic[], whereAll: string, max = 20): string[] {
  const lines = failed.slice(0, max).map(formatDiagnostic);
  if (failed.length > max) {
    const byCode = new Map<string, number>();
    for (const d of failed.slice(max)) byCode.set(d.code, (byCode.get(d.code) ?? 0) + 1);
    const counts = [...byCode].map(([c, k]) => `${c}: ${k}`).join(", ");
    lines.push(`… and ${failed.length - max} more detections that cannot run (${counts}); ${whereAll}`);
  }
  return lines;
}

/** The human summary printed on stderr at the end of a run (the same facts as `--stats-json`). */
import { type Diagnostic, formatDiagnostic } from "../diag/diagnostic.js";
import type { RunStats } from "./run-stats.js";

const n = (x: number) => x.toLocaleString("en-US");
const plural = (x: number, word: string) => `${n(x)} ${word}${x === 1 ? "" : "s"}`;

export interface SummaryOptions {
  /** How many individual diagnostics to print before summarizing the rest by code (default 20). */
  maxDiagnostics?: number;
}

/**
 * Notes worth a line although they are not problems: local times read as UTC, a file named twice, and records in
 * EVTX chunk slack, not read or carved: one line for all of them (`--stats-json` lists each chunk).
 */
export function noteLines(diagnostics: readonly Diagnostic[]): string[] {
  const lines: string[] = [];
  const slack = {
    "evtx-slack-records": { records: 0, chunks: 0, files: new Set<string>() },
    "evtx-slack-carved": { records: 0, chunks: 0, files: new Set<string>() },
  };
  for (const d of diagnostics) {
    if (d.code === "time-local-as-utc" || d.code === "input-duplicate") lines.push(formatDiagnostic(d));
    if (d.code === "evtx-slack-records" || d.code === "evtx-slack-carved") {
      const f = slack[d.code];
      f.records += d.count ?? 0;
      f.chunks++;
      f.files.add(d.file ?? "");
    }
  }
  const found = slack["evtx-slack-records"];
  const carved = slack["evtx-slack-carved"];
  if (found.chunks > 0) {
    const one = found.files.size === 1 ? [...found.files][0] : undefined;
    const where = `the slack of ${plural(found.chunks, "chunk")}${one === undefined ? ` in ${plural(found.files.size, "file")}` : ""}`;
    const text =
      carved.chunks > 0
        ? `${plural(found.records, "record")} found in ${where}: ${n(carved.records)} carved and marked recovered, ` +
          `${n(found.records - carved.records)} could not be decoded (their templates or values were overwritten)`
        : `${plural(found.records, "record")} found in ${where}, not read: stale copies or events from before a chunk was reused; --carve-slack decodes those that still can be`;
    lines.push(`${one === undefined ? "" : `${one}: `}info [evtx-slack-records] ${text}`);
  }
  return lines;
}

export function renderSummary(s: RunStats, opts: SummaryOptions = {}): string {
  const t = s.totals;
  const lines: string[] = [];
  const max = opts.maxDiagnostics ?? 20;
  // `input-strict-stop` is not repeated here: hunt prints it on its own line first, also with --quiet.
  const listed = s.diagnostics.filter((d) => d.severity !== "info" && d.code !== "input-strict-stop");
  const shown = listed.slice(0, max);
  for (const d of shown) lines.push(formatDiagnostic(d));
  const hidden = listed.length - shown.length;
  if (hidden > 0) {
    const byCode = new Map<string, number>();
    for (const d of listed) byCode.set(d.code, (byCode.get(d.code) ?? 0) + 1);
    lines.push(
      `… and ${n(hidden)} more (${[...byCode].map(([c, k]) => `${c}: ${n(k)}`).join(", ")}); --stats-json FILE lists all`,
    );
  }
  lines.push(...noteLines(s.diagnostics));
  for (const f of s.files) {
    if (f.skipped !== null) lines.push(`skipped ${f.file}: ${f.skipped}`);
  }
  const damaged = t.files_damaged > 0 ? ` (${n(t.files_damaged)} damaged)` : "";
  const fileParts = [`${plural(t.files_read, "file")} read${damaged}`];
  if (t.files_skipped > 0) fileParts.push(`${n(t.files_skipped)} skipped (not logs)`);
  if (t.files_unreadable > 0) fileParts.push(`${n(t.files_unreadable)} unreadable`);
  if (t.files_not_read > 0) fileParts.push(`${n(t.files_not_read)} not read (--strict stopped)`);
  const other = Object.values(s.datasets).reduce((x, k) => x + k, 0) - t.process_events;
  const records = other > 0 ? `, ${n(other)} other data-model record${other === 1 ? "" : "s"}` : "";
  lines.push(
    `winnow: ${fileParts.join(", ")}; ${plural(t.events, "event")} (${n(t.process_events)} process${records}), ` +
      `${n(t.malformed)} malformed record${t.malformed === 1 ? "" : "s"} skipped` +
      (t.recovered > 0 ? `, ${n(t.recovered)} recovered` : ""),
  );
  const detParts = [`${plural(t.detections_run, "detection")} run`];
  if (t.detections_failed > 0) detParts.push(`${n(t.detections_failed)} could not run (see above)`);
  if (t.detections_excluded > 0) detParts.push(`${n(t.detections_excluded)} excluded`);
  lines.push(
    `winnow: ${detParts.join(", ")}; ${plural(t.rows, "row")}, ${plural(t.risk_events, "risk event")} in ${s.seconds.toFixed(2)} s`,
  );
  return lines.join("\n");
}

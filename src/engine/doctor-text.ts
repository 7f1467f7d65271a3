/**
 * `doctor --format text`: the DoctorReport as a terminal page (README "Why didn't it fire?").
 * `--format json` is the report itself (JSON.stringify), so nothing here is an API.
 */
import type { DoctorReport } from "./doctor.js";
import { sourceLabel } from "./explain-text.js";

/** Sources listed before "… and N more". */
const MAX_SOURCES = 25;

export function doctorText(r: DoctorReport): string {
  const out: string[] = [];
  const unreadable = r.files.filter((f) => f.unreadable !== undefined).length;
  const damaged = r.files.filter((f) => f.damaged !== undefined).length;
  const malformed = r.files.reduce((n, f) => n + f.malformed, 0);
  const skipped = r.files.filter((f) => f.skipped !== undefined).length;
  const damage = [
    damaged > 0 ? `${damaged} damaged (read in part)` : "",
    unreadable > 0 ? `${unreadable} unreadable` : "",
    skipped > 0 ? `${skipped} skipped (not logs)` : "",
    malformed > 0 ? `${malformed} malformed records` : "",
  ].filter((s) => s !== "");
  out.push(
    `Inputs: ${r.files.length} file${r.files.length === 1 ? "" : "s"}, ${r.events} events${damage.length > 0 ? ` (${damage.join(", ")})` : ""}`,
  );

  out.push("", "Sources seen (events  provider | channel | EventID → mapping):");
  const width = String(r.sources[0]?.events ?? 0).length;
  for (const s of r.sources.slice(0, MAX_SOURCES)) {
    const m = s.mapping !== undefined ? ` → ${s.mapping}` : "";
    out.push(
      `  ${String(s.events).padStart(width)}  ${s.provider || "-"} | ${s.channel || "-"} | ${s.eventId}${m}`,
    );
  }
  if (r.sources.length > MAX_SOURCES) out.push(`  … and ${r.sources.length - MAX_SOURCES} more sources`);
  if (r.sources.length === 0) out.push("  (none)");

  out.push("", "Data-model records:");
  if (r.datasets.length === 0) out.push("  (none: no event is one that a source mapping covers)");
  for (const d of r.datasets) {
    const by = Object.entries(d.byMapping)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ");
    out.push(`  ${d.dataset}: ${d.records} (${by})`);
  }

  if (r.observations.length > 0) {
    out.push("", "Observations:");
    for (const o of r.observations) out.push(`  - ${o.message}`);
  }

  const c = r.nearMisses.counts;
  const total = c["winrs-remote"] + c["winrs-switch-gap"] + c["winrs-local"] + c["winrm-target"];
  out.push("", "WinRM/winrs near misses (flagship):");
  if (total === 0) out.push("  none: no winrs.exe, winrshost.exe or wsmprovhost.exe process events");
  else {
    out.push(
      `  winrs-remote ${c["winrs-remote"]}, winrs-switch-gap ${c["winrs-switch-gap"]}, winrs-local ${c["winrs-local"]}, winrm-target ${c["winrm-target"]}`,
    );
    for (const m of r.nearMisses.examples) {
      out.push(`  - [${m.kind}] ${sourceLabel(m.source)}`, `      ${m.process}`, `      ${m.message}`);
    }
  }

  out.push("", "Detections:");
  for (const d of r.detections) {
    out.push(`  [${d.verdict}] ${d.name}`);
    for (const reason of d.reasons) out.push(`      ${reason}`);
    if (d.where !== undefined && d.verdict !== "fires" && d.where.clauses.length > 0) {
      out.push(`      where clause, records each clause holds on (of ${d.where.of}):`);
      const w = String(d.where.of).length;
      for (const cl of d.where.clauses) {
        const text = cl.negated ? `NOT ${cl.clause}` : cl.clause;
        out.push(`        ${cl.evaluated ? String(cl.held).padStart(w) : "?".padStart(w)}  ${text}`);
      }
    }
  }
  return out.join("\n");
}

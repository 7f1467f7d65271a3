/**
 * `doctor`, near misses for the flagship (ESCU "Remote Process Instantiation via WinRM and Winrs"):
 * process records that are close to what it looks for, each with why it does or does not fire.
 *
 * - `winrs-remote`: winrs.exe with `-r:`/`-remote:` (the flagship's `*-r:*`/`*-remote:*` matches).
 * - `winrs-switch-gap`: winrs.exe with a remote switch ESCU does not match: `/r:`, `/remote:`, or a
 *   Unicode dash (– — ―) before `r:`/`remote:`. winrs accepts them; only the WinRM pack sees them.
 * - `winrs-local`: winrs.exe with no remote switch at all (runs on the local machine).
 * - `winrm-target`: winrshost.exe (winrs's target side) or wsmprovhost.exe (PowerShell remoting's)
 *   as the process or its parent: the flagship fires on the source host, never here.
 * Matching uses the data-model record (process_name, original_file_name, process,
 * parent_process_name), as the detection does.
 */
import type { CimRecord } from "../normalize/normalize-event.js";
import type { ExplainSource } from "./explain.js";

export type NearMissKind = "winrs-remote" | "winrs-switch-gap" | "winrs-local" | "winrm-target";

export interface NearMiss {
  kind: NearMissKind;
  message: string;
  dest: string;
  process: string;
  source: ExplainSource;
}

/** Examples kept per kind (all are counted). */
export const MAX_EXAMPLES = 10;

const ESCU_SWITCH = /-r(?:emote)?:/i;
const OTHER_SWITCH = /(?:\/|[\u2013\u2014\u2015])r(?:emote)?:/i;

function text(v: string | number | undefined): string {
  return v === undefined ? "" : String(v);
}

/** The near miss a process record is, if any. */
export function nearMissOf(r: CimRecord): { kind: NearMissKind; message: string } | undefined {
  const name = text(r.process_name).toLowerCase();
  const original = text(r.original_file_name).toLowerCase();
  const parent = text(r.parent_process_name).toLowerCase();
  const cmd = text(r.process);
  if (name === "winrs.exe" || original === "winrs.exe") {
    if (ESCU_SWITCH.test(cmd))
      return { kind: "winrs-remote", message: "winrs.exe with -r:/-remote: (the flagship matches it)" };
    const other = OTHER_SWITCH.exec(cmd);
    if (other !== null) {
      return {
        kind: "winrs-switch-gap",
        message: `winrs.exe with the remote switch spelled '${other[0]}': winrs accepts it but ESCU's *-r:* / *-remote:* does not match (the ESCU gap; the WinRM pack's any-switch detection does)`,
      };
    }
    return {
      kind: "winrs-local",
      message:
        "winrs.exe without a remote switch (-r:/-remote:): it runs locally, the flagship does not fire",
    };
  }
  for (const host of ["winrshost.exe", "wsmprovhost.exe"]) {
    if (name === host || parent === host) {
      const what = host === "winrshost.exe" ? "winrs" : "PowerShell remoting";
      return {
        kind: "winrm-target",
        message: `${host} ${name === host ? "started" : "is the parent"}: the TARGET side of ${what}; the flagship fires on the source host (where winrs.exe ran), not here`,
      };
    }
  }
  return undefined;
}

export class NearMissCollector {
  readonly counts: Record<NearMissKind, number> = {
    "winrs-remote": 0,
    "winrs-switch-gap": 0,
    "winrs-local": 0,
    "winrm-target": 0,
  };
  readonly examples: NearMiss[] = [];

  offer(record: CimRecord, source: ExplainSource): void {
    const m = nearMissOf(record);
    if (m === undefined) return;
    this.counts[m.kind]++;
    if (this.counts[m.kind] > MAX_EXAMPLES) return;
    this.examples.push({ ...m, dest: text(record.dest), process: text(record.process), source });
  }
}

/** Test helper: reads one EVTX file (path or Buffer) to the end, collecting events, diagnostics and counts. */
import type { Diagnostic } from "../../../src/diag/diagnostic.js";
import { readEvtx } from "../../../src/ingest/evtx/index.js";
import type { EventFilter, ReadCounts } from "../../../src/ingest/types.js";
import type { WinEvent } from "../../../src/model/event.js";

export interface ReadAll {
  events: WinEvent[];
  diagnostics: Diagnostic[];
  counts: ReadCounts;
}

export async function readAll(
  source: string | Buffer,
  file: string,
  filter?: EventFilter,
  opts: { carveSlack?: boolean } = {},
): Promise<ReadAll> {
  const diagnostics: Diagnostic[] = [];
  const events: WinEvent[] = [];
  const gen = readEvtx(source, { file, report: (d) => diagnostics.push(d), filter, ...opts });
  for (;;) {
    const r = await gen.next();
    if (r.done) return { events, diagnostics, counts: r.value };
    events.push(...r.value);
  }
}

/** MANIFEST's definition of a process-creation event. */
export function isProcessCreation(e: WinEvent): boolean {
  return (e.eventId === 1 && isSysmon(e)) || (e.eventId === 4688 && isSecurity(e));
}

export const isSysmon = (e: { provider: string; channel: string }) =>
  e.provider.includes("Sysmon") || e.channel.includes("Sysmon");
export const isSecurity = (e: { provider: string; channel: string }) =>
  e.provider.includes("Security") || e.channel.includes("Security");

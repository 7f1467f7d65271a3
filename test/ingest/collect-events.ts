/**
 * Test helper: runs readInputs to the end and returns everything it produced, plus the location of the
 * shared, read-only test data (../shared beside the repository).
 */
import { fileURLToPath } from "node:url";
import type { Diagnostic } from "../../src/diag/diagnostic.js";
import { type ReadInputsOptions, readInputs } from "../../src/ingest/read-inputs.js";
import type { FileReport } from "../../src/ingest/types.js";
import type { WinEvent } from "../../src/model/event.js";

export const SHARED = fileURLToPath(new URL("../../../shared/", import.meta.url));

export interface Collected {
  events: WinEvent[];
  reports: FileReport[];
  diagnostics: Diagnostic[];
  batches: number[];
}

export async function collect(paths: string[], opts: Partial<ReadInputsOptions> = {}): Promise<Collected> {
  const diagnostics: Diagnostic[] = [];
  const events: WinEvent[] = [];
  const batches: number[] = [];
  const gen = readInputs(paths, { ...opts, report: (d) => diagnostics.push(d) });
  while (true) {
    const r = await gen.next();
    if (r.done) return { events, reports: r.value, diagnostics, batches };
    batches.push(r.value.length);
    for (const e of r.value) events.push(e);
  }
}

/** Only the events readInputs produced from `paths`, in order. */
export async function eventsOf(paths: string[]): Promise<WinEvent[]> {
  return (await collect(paths)).events;
}

/** MANIFEST.md's definition of a process creation event. */
export function isProcessCreation(e: WinEvent): boolean {
  const where = `${e.provider} ${e.channel}`;
  return (e.eventId === 1 && /sysmon/i.test(where)) || (e.eventId === 4688 && /security/i.test(where));
}

export function isSysmon1(e: WinEvent): boolean {
  return e.eventId === 1 && /sysmon/i.test(`${e.provider} ${e.channel}`);
}

/** The source mappings and data-model defaults Winnow knows, indexed by Event ID for a cheap lookup. */
import type { DatasetDefaults, SourceMapping } from "./mapping.js";
import { ENDPOINT_PROCESSES } from "./maps/endpoint-processes.js";
import { SECURITY_4688 } from "./maps/security-4688.js";
import { SYSMON_1 } from "./maps/sysmon-1.js";

export const SOURCE_MAPPINGS: readonly SourceMapping[] = [SYSMON_1, SECURITY_4688];
export const DATASET_DEFAULTS: readonly DatasetDefaults[] = [ENDPOINT_PROCESSES];

/** The mapping that applies to an event's System header, or undefined (e.g. Event ID 1 from SecurityCenter). */
export function findMapping(
  mappings: readonly SourceMapping[],
  provider: string,
  channel: string,
  eventId: number,
): SourceMapping | undefined {
  for (const m of mappings) {
    if (m.match.eventId !== eventId) continue;
    const word = m.match.providerOrChannel;
    if (provider.includes(word) || channel.includes(word)) return m;
  }
  return undefined;
}

export function datasetsOf(mappings: readonly SourceMapping[]): string[] {
  return [...new Set(mappings.map((m) => m.dataset))];
}

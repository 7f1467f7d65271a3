/**
 * The source mappings and data-model defaults Winnow knows, indexed by Event ID for a cheap lookup.
 * One table per source: Endpoint.Processes (Sysmon 1, Security 4688), Endpoint.Filesystem (Sysmon 2, 11,
 * 23, 26), Endpoint.Registry (Sysmon 12, 13, 14), Network_Traffic.All_Traffic (Sysmon 3). Dataset names are
 * the `Model.Dataset` strings the SPL engine reports for `tstats … from datamodel=Model.Dataset`.
 */
import type { DatasetDefaults, SourceMapping } from "./mapping.js";
import { ENDPOINT_FILESYSTEM } from "./maps/endpoint-filesystem.js";
import { ENDPOINT_PROCESSES } from "./maps/endpoint-processes.js";
import { ENDPOINT_REGISTRY } from "./maps/endpoint-registry.js";
import { NETWORK_TRAFFIC_ALL_TRAFFIC } from "./maps/network-traffic-all-traffic.js";
import { SECURITY_4688 } from "./maps/security-4688.js";
import { SYSMON_1 } from "./maps/sysmon-1.js";
import { SYSMON_2 } from "./maps/sysmon-2.js";
import { SYSMON_3 } from "./maps/sysmon-3.js";
import { SYSMON_11 } from "./maps/sysmon-11.js";
import { SYSMON_12 } from "./maps/sysmon-12.js";
import { SYSMON_13 } from "./maps/sysmon-13.js";
import { SYSMON_14 } from "./maps/sysmon-14.js";
import { SYSMON_23 } from "./maps/sysmon-23.js";
import { SYSMON_26 } from "./maps/sysmon-26.js";

export const SOURCE_MAPPINGS: readonly SourceMapping[] = [
  SYSMON_1,
  SECURITY_4688,
  SYSMON_2,
  SYSMON_11,
  SYSMON_23,
  SYSMON_26,
  SYSMON_12,
  SYSMON_13,
  SYSMON_14,
  SYSMON_3,
];
export const DATASET_DEFAULTS: readonly DatasetDefaults[] = [
  ENDPOINT_PROCESSES,
  ENDPOINT_FILESYSTEM,
  ENDPOINT_REGISTRY,
  NETWORK_TRAFFIC_ALL_TRAFFIC,
];

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

/** Structurally an ingest `EventFilter` (this stage does not import ingest/). */
export type MappingFilter = ((provider: string, channel: string, eventId: number) => boolean) & {
  readonly eventIds: ReadonlySet<number>;
};

/**
 * The readers' filter for these mappings: true for an event some mapping applies to. It carries the Event IDs
 * the mappings match, so that a reader may reject an event by its ID before it renders provider and channel.
 */
export function mappingFilter(mappings: readonly SourceMapping[]): MappingFilter {
  const filter = (provider: string, channel: string, eventId: number) =>
    findMapping(mappings, provider, channel, eventId) !== undefined;
  return Object.assign(filter, { eventIds: new Set(mappings.map((m) => m.match.eventId)) });
}

export function datasetsOf(mappings: readonly SourceMapping[]): string[] {
  return [...new Set(mappings.map((m) => m.dataset))];
}

/**
 * Sysmon Event ID 12 (registry key or value created or deleted) → Endpoint.Registry, as Splunk Add-on for
 * Sysmon 4.0.x maps it: `action` from EventType (CreateKey → created, DeleteKey / DeleteValue → deleted),
 * `registry_key_name` = the last segment of TargetObject. No value name or data: the event has no Details.
 */
import type { SourceMapping } from "../mapping.js";
import { SYSMON_SOURCE } from "./sysmon-actor-fields.js";
import { SYSMON_REGISTRY_CONSTANTS, SYSMON_REGISTRY_FIELDS } from "./sysmon-registry-fields.js";

export const SYSMON_12: SourceMapping = {
  id: "sysmon-12",
  dataset: "Endpoint.Registry",
  source: SYSMON_SOURCE,
  match: { eventId: 12, providerOrChannel: "Sysmon" },
  time: { kind: "data-utc", field: "UtcTime" },
  fields: {
    ...SYSMON_REGISTRY_FIELDS,
    registry_key_name: { from: ["TargetObject"], transform: "last-segment" },
    action: { from: ["EventType"], transform: "sysmon-registry-event-action" },
  },
  constants: SYSMON_REGISTRY_CONSTANTS,
};

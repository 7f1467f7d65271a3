/**
 * Sysmon Event ID 14 (registry key or value renamed) → Endpoint.Registry, as Splunk Add-on for Sysmon 4.0.x
 * maps it: `registry_path` = TargetObject (the old name; NewName is not a CIM field), `registry_key_name`
 * its last segment, `action` = modified.
 */
import type { SourceMapping } from "../mapping.js";
import { SYSMON_SOURCE } from "./sysmon-actor-fields.js";
import { SYSMON_REGISTRY_CONSTANTS, SYSMON_REGISTRY_FIELDS } from "./sysmon-registry-fields.js";

export const SYSMON_14: SourceMapping = {
  id: "sysmon-14",
  dataset: "Endpoint.Registry",
  source: SYSMON_SOURCE,
  match: { eventId: 14, providerOrChannel: "Sysmon" },
  time: { kind: "data-utc", field: "UtcTime" },
  fields: {
    ...SYSMON_REGISTRY_FIELDS,
    registry_key_name: { from: ["TargetObject"], transform: "last-segment" },
  },
  constants: { ...SYSMON_REGISTRY_CONSTANTS, action: "modified" },
};

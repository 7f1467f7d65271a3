/**
 * Sysmon Event ID 13 (registry value set) → Endpoint.Registry, as Splunk Add-on for Sysmon 4.0.x maps it:
 * TargetObject names a value, so `registry_value_name` is its last segment and `registry_key_name` the
 * segment before (the key holding the value); `registry_value_data` is Details with a typed
 * `DWORD (0x00000001)` reduced to `0x00000001` (other Details verbatim); `action` = modified.
 */
import type { SourceMapping } from "../mapping.js";
import { SYSMON_SOURCE } from "./sysmon-actor-fields.js";
import { SYSMON_REGISTRY_CONSTANTS, SYSMON_REGISTRY_FIELDS } from "./sysmon-registry-fields.js";

export const SYSMON_13: SourceMapping = {
  id: "sysmon-13",
  dataset: "Endpoint.Registry",
  source: SYSMON_SOURCE,
  match: { eventId: 13, providerOrChannel: "Sysmon" },
  time: { kind: "data-utc", field: "UtcTime" },
  fields: {
    ...SYSMON_REGISTRY_FIELDS,
    registry_key_name: { from: ["TargetObject"], transform: "parent-segment" },
    registry_value_name: { from: ["TargetObject"], transform: "last-segment" },
    registry_value_data: { from: ["Details"], transform: "registry-value-data" },
  },
  constants: { ...SYSMON_REGISTRY_CONSTANTS, action: "modified" },
};

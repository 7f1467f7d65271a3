/**
 * Sysmon Event ID 2 (a process changed a file's creation time) → Endpoint.Filesystem. The add-on's
 * `ms-sysmon-filemod` event type has always held Event IDs 11 and 2; `action` is `modified` (the file
 * existed and one of its times changed) and `file_create_time` the new CreationUtcTime. The action value
 * is our choice — no add-on source we could read names one for Event ID 2 (docs/normalization.md).
 */
import type { SourceMapping } from "../mapping.js";
import { SYSMON_ACTOR_FIELDS, SYSMON_SOURCE } from "./sysmon-actor-fields.js";

export const SYSMON_2: SourceMapping = {
  id: "sysmon-2",
  dataset: "Endpoint.Filesystem",
  source: SYSMON_SOURCE,
  match: { eventId: 2, providerOrChannel: "Sysmon" },
  time: { kind: "data-utc", field: "UtcTime" },
  fields: {
    ...SYSMON_ACTOR_FIELDS,
    file_path: { from: ["TargetFilename"], transform: "copy" },
    file_name: { from: ["TargetFilename"], transform: "basename" },
    file_create_time: { from: ["CreationUtcTime"], transform: "copy" },
  },
  constants: { action: "modified", vendor_product: "Microsoft Sysmon" },
};

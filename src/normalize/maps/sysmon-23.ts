/**
 * Sysmon Event ID 23 (FileDelete, archived) → Endpoint.Filesystem, as Splunk Add-on for Sysmon 4.0.x maps
 * it: `action` = deleted, `file_path` = TargetFilename, `file_name` its basename, `file_hash` = the whole
 * Hashes string (as `process_hash` is for Event ID 1).
 */
import type { SourceMapping } from "../mapping.js";
import { SYSMON_ACTOR_FIELDS, SYSMON_SOURCE } from "./sysmon-actor-fields.js";

export const SYSMON_23: SourceMapping = {
  id: "sysmon-23",
  dataset: "Endpoint.Filesystem",
  source: SYSMON_SOURCE,
  match: { eventId: 23, providerOrChannel: "Sysmon" },
  time: { kind: "data-utc", field: "UtcTime" },
  fields: {
    ...SYSMON_ACTOR_FIELDS,
    file_path: { from: ["TargetFilename"], transform: "copy" },
    file_name: { from: ["TargetFilename"], transform: "basename" },
    file_hash: { from: ["Hashes"], transform: "copy" },
  },
  constants: { action: "deleted", vendor_product: "Microsoft Sysmon" },
};

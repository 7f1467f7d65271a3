/**
 * Sysmon Event ID 11 (FileCreate) → Endpoint.Filesystem, as Splunk Add-on for Sysmon 4.0.x maps it:
 * `file_path` = TargetFilename, `file_name` its basename, `file_create_time` = CreationUtcTime (verbatim
 * text), and `action` from the two timestamps — a file whose creation time is the event time was created,
 * an older one was overwritten (`modified`). See docs/normalization.md for the sources and the doubts.
 */
import type { SourceMapping } from "../mapping.js";
import { SYSMON_ACTOR_FIELDS, SYSMON_SOURCE } from "./sysmon-actor-fields.js";

export const SYSMON_11: SourceMapping = {
  id: "sysmon-11",
  dataset: "Endpoint.Filesystem",
  source: SYSMON_SOURCE,
  match: { eventId: 11, providerOrChannel: "Sysmon" },
  time: { kind: "data-utc", field: "UtcTime" },
  fields: {
    ...SYSMON_ACTOR_FIELDS,
    file_path: { from: ["TargetFilename"], transform: "copy" },
    file_name: { from: ["TargetFilename"], transform: "basename" },
    file_create_time: { from: ["CreationUtcTime"], transform: "copy" },
    action: { from: ["UtcTime", "CreationUtcTime"], transform: "sysmon-file-create-action" },
  },
  constants: { vendor_product: "Microsoft Sysmon" },
};

/**
 * Sysmon Event ID 26 (FileDeleteDetected: a deletion logged without archiving the file) → Endpoint.Filesystem,
 * the same fields as Event ID 23 (`action` = deleted), which carries the same EventData.
 */
import type { SourceMapping } from "../mapping.js";
import { SYSMON_23 } from "./sysmon-23.js";

export const SYSMON_26: SourceMapping = {
  ...SYSMON_23,
  id: "sysmon-26",
  match: { eventId: 26, providerOrChannel: "Sysmon" },
};

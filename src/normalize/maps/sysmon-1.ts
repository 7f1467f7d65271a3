/** Sysmon Event ID 1 → Endpoint.Processes, as Splunk Add-on for Sysmon 4.x does (SEMANTICS.md §3). */
import type { SourceMapping } from "../mapping.js";

export const SYSMON_1: SourceMapping = {
  id: "sysmon-1",
  dataset: "Endpoint.Processes",
  source: "XmlWinEventLog:Microsoft-Windows-Sysmon/Operational",
  match: { eventId: 1, providerOrChannel: "Sysmon" },
  time: { kind: "data-utc", field: "UtcTime" },
  fields: {
    dest: { from: ["$computer"], transform: "copy" },
    user: { from: ["User"], transform: "strip-domain" },
    process: { from: ["CommandLine"], transform: "copy" },
    process_path: { from: ["Image"], transform: "copy" },
    process_name: { from: ["Image"], transform: "basename" },
    process_exec: { from: ["Image"], transform: "basename" },
    process_id: { from: ["ProcessId"], transform: "copy" },
    process_guid: { from: ["ProcessGuid"], transform: "copy" },
    parent_process: { from: ["ParentCommandLine"], transform: "copy" },
    parent_process_path: { from: ["ParentImage"], transform: "copy" },
    parent_process_name: { from: ["ParentImage"], transform: "basename" },
    parent_process_exec: { from: ["ParentImage"], transform: "basename" },
    parent_process_id: { from: ["ParentProcessId"], transform: "copy" },
    parent_process_guid: { from: ["ParentProcessGuid"], transform: "copy" },
    original_file_name: { from: ["OriginalFileName"], transform: "dash-is-missing" },
    process_hash: { from: ["Hashes"], transform: "copy" },
    process_integrity_level: { from: ["IntegrityLevel"], transform: "copy" },
    process_current_directory: { from: ["CurrentDirectory"], transform: "copy" },
  },
  constants: { action: "allowed", vendor_product: "Microsoft Sysmon" },
};

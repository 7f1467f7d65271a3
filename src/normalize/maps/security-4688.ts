/** Security 4688 → Endpoint.Processes, as Splunk Add-on for Microsoft Windows 8.x does (SEMANTICS.md §3). */
import type { SourceMapping } from "../mapping.js";

export const SECURITY_4688: SourceMapping = {
  id: "security-4688",
  dataset: "Endpoint.Processes",
  source: "XmlWinEventLog:Security",
  match: { eventId: 4688, providerOrChannel: "Security" },
  time: { kind: "system" },
  fields: {
    dest: { from: ["$computer"], transform: "copy" },
    user: { from: ["TargetUserName", "SubjectUserName"], transform: "first-not-dash" },
    process: { from: ["CommandLine", "NewProcessName"], transform: "process-4688" },
    process_path: { from: ["NewProcessName"], transform: "copy" },
    process_name: { from: ["NewProcessName"], transform: "basename" },
    process_exec: { from: ["NewProcessName"], transform: "basename" },
    process_id: { from: ["NewProcessId"], transform: "copy" },
    parent_process: { from: ["ParentProcessName"], transform: "copy" },
    parent_process_path: { from: ["ParentProcessName"], transform: "copy" },
    parent_process_name: { from: ["ParentProcessName"], transform: "basename" },
    parent_process_exec: { from: ["ParentProcessName"], transform: "basename" },
    parent_process_id: { from: ["ProcessId"], transform: "copy" },
  },
  constants: { action: "allowed", vendor_product: "Microsoft Windows" },
};

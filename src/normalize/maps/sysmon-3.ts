/**
 * Sysmon Event ID 3 (network connection) → Network_Traffic.All_Traffic, as Splunk Add-on for Sysmon 4.0.x
 * maps it: `src` / `dest` = the host name when Sysmon resolved one, else the IP (`-` and empty mean none);
 * `src_ip`, `src_port`, `dest_ip`, `dest_port` verbatim; `transport` = Protocol; `direction` from
 * Initiated; `app` = Image (the full path — corpus detections match `*\\users\\*` and `*Regsvcs.exe`);
 * `dvc` = Computer; `action` = allowed. Ports go through CIM's `if(isnum(port),port,0)` here because a
 * dataset default cannot express it. Only fields of the All_Traffic data model are produced: tstats cannot
 * see any other (so no `process_name`, `process_path`, `src_host`).
 */
import type { SourceMapping } from "../mapping.js";
import { SYSMON_SOURCE } from "./sysmon-actor-fields.js";

export const SYSMON_3: SourceMapping = {
  id: "sysmon-3",
  dataset: "Network_Traffic.All_Traffic",
  source: SYSMON_SOURCE,
  match: { eventId: 3, providerOrChannel: "Sysmon" },
  time: { kind: "data-utc", field: "UtcTime" },
  fields: {
    src: { from: ["SourceHostname", "SourceIp"], transform: "first-not-dash" },
    src_ip: { from: ["SourceIp"], transform: "copy" },
    src_port: { from: ["SourcePort"], transform: "number-or-zero" },
    dest: { from: ["DestinationHostname", "DestinationIp"], transform: "first-not-dash" },
    dest_ip: { from: ["DestinationIp"], transform: "copy" },
    dest_port: { from: ["DestinationPort"], transform: "number-or-zero" },
    transport: { from: ["Protocol"], transform: "copy" },
    protocol_version: { from: ["SourceIsIpv6"], transform: "ipv6-version" },
    direction: { from: ["Initiated"], transform: "initiated-direction" },
    app: { from: ["Image"], transform: "copy" },
    dvc: { from: ["$computer"], transform: "copy" },
    user: { from: ["User"], transform: "strip-domain" },
    process_guid: { from: ["ProcessGuid"], transform: "copy" },
    process_id: { from: ["ProcessId"], transform: "copy" },
  },
  constants: { action: "allowed", protocol: "ip", vendor_product: "Microsoft Sysmon" },
};

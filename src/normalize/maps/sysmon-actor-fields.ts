/**
 * The fields every Sysmon file and registry event carries about the process that acted, mapped the way
 * the Splunk Add-on for Sysmon 4.0.x maps them for Endpoint.Filesystem and Endpoint.Registry (the same
 * rules as Sysmon 1's own process fields: `dest` = Computer, `user` without its domain, `Image` → path,
 * name and exec). Shared so the eight file/registry tables cannot drift apart.
 */
import type { FieldRule } from "../mapping.js";

export const SYSMON_ACTOR_FIELDS: Readonly<Record<string, FieldRule>> = {
  dest: { from: ["$computer"], transform: "copy" },
  user: { from: ["User"], transform: "strip-domain" },
  process_guid: { from: ["ProcessGuid"], transform: "copy" },
  process_id: { from: ["ProcessId"], transform: "copy" },
  process_path: { from: ["Image"], transform: "copy" },
  process_name: { from: ["Image"], transform: "basename" },
  process_exec: { from: ["Image"], transform: "basename" },
};

export const SYSMON_SOURCE = "XmlWinEventLog:Microsoft-Windows-Sysmon/Operational";

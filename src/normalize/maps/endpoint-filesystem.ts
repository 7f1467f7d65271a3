/**
 * CIM Endpoint.Filesystem calculated fields (Splunk CIM app's Endpoint data model JSON, as extracted for
 * CIM 8.5 — see docs/normalization.md): `action`, `dest`, `user`, `file_name`, `file_path`, `file_hash`,
 * `file_acl`, `process`, `parent_process` empty or missing → "unknown"; `process_name` and
 * `parent_process_name` from the command line's first token when missing, else "unknown".
 */
import type { DatasetDefaults } from "../mapping.js";

export const ENDPOINT_FILESYSTEM: DatasetDefaults = {
  dataset: "Endpoint.Filesystem",
  fill: {
    action: "unknown",
    dest: "unknown",
    user: "unknown",
    file_name: "unknown",
    file_path: "unknown",
    file_hash: "unknown",
    file_acl: "unknown",
    process: "unknown",
    parent_process: "unknown",
    process_name: "unknown",
    parent_process_name: "unknown",
  },
  nameFromCommandLine: { process_name: "process", parent_process_name: "parent_process" },
  lowerCase: [],
};

/**
 * CIM Endpoint.Registry calculated fields (Splunk CIM app's Endpoint data model JSON, as extracted for
 * CIM 8.5 — see docs/normalization.md): `action`, `dest`, `user`, `registry_path`, `registry_key_name`,
 * `registry_value_name`, `registry_value_data`, `registry_value_type`, `process`, `parent_process` empty or
 * missing → "unknown"; `process_name` / `parent_process_name` from the command line when missing, else
 * "unknown". `registry_hive` and `status` are declared, not calculated: they stay null when absent.
 */
import type { DatasetDefaults } from "../mapping.js";

export const ENDPOINT_REGISTRY: DatasetDefaults = {
  dataset: "Endpoint.Registry",
  fill: {
    action: "unknown",
    dest: "unknown",
    user: "unknown",
    registry_path: "unknown",
    registry_key_name: "unknown",
    registry_value_name: "unknown",
    registry_value_data: "unknown",
    registry_value_type: "unknown",
    process: "unknown",
    parent_process: "unknown",
    process_name: "unknown",
    parent_process_name: "unknown",
  },
  nameFromCommandLine: { process_name: "process", parent_process_name: "parent_process" },
  lowerCase: [],
};

/** CIM Endpoint.Processes calculated fields (Splunk CIM app's data model JSON), SEMANTICS.md §3. */
import type { DatasetDefaults } from "../mapping.js";

export const ENDPOINT_PROCESSES: DatasetDefaults = {
  dataset: "Endpoint.Processes",
  fill: {
    dest: "unknown",
    user: "unknown",
    process: "unknown",
    parent_process: "unknown",
    original_file_name: "unknown",
    process_name: "unknown",
    parent_process_name: "unknown",
  },
  nameFromCommandLine: { process_name: "process", parent_process_name: "parent_process" },
  lowerCase: ["process_integrity_level"],
};

/**
 * The flagship search (SEMANTICS §1) and the macros it uses (§2), for the SPL tests.
 */
import { createMacroTable } from "../../src/spl/index.js";

export const FLAGSHIP_SPL = `| tstats \`security_content_summariesonly\` count min(_time) as firstTime max(_time) as lastTime
  from datamodel=Endpoint.Processes
  where (Processes.process_name=winrs.exe OR Processes.original_file_name=winrs.exe)
        (Processes.process="*-r:*" OR Processes.process="*-remote:*")
  by Processes.dest Processes.user Processes.parent_process_name Processes.process_name
     Processes.process Processes.process_id Processes.parent_process_id
| \`drop_dm_object_name(Processes)\`
| \`security_content_ctime(firstTime)\`
| \`security_content_ctime(lastTime)\`
| \`remote_process_instantiation_via_winrm_and_winrs_filter\``;

export const FLAGSHIP_COLUMNS = [
  "dest",
  "user",
  "parent_process_name",
  "process_name",
  "process",
  "process_id",
  "parent_process_id",
  "count",
  "firstTime",
  "lastTime",
];

/** The macros as newer content spells them (three helper macros), plus the built-ins. */
export function flagshipMacros(filterDefinition?: string) {
  const defs = [
    {
      name: "security_content_summariesonly",
      args: [],
      definition:
        "summariesonly=`summariesonly_config` allow_old_summaries=`oldsummaries_config` fillnull_value=`fillnull_config`",
    },
    { name: "summariesonly_config", args: [], definition: "false" },
    { name: "oldsummaries_config", args: [], definition: "true" },
    { name: "fillnull_config", args: [], definition: "null" },
    {
      name: "security_content_ctime",
      args: ["field"],
      definition: 'convert timeformat="%Y-%m-%dT%H:%M:%S" ctime($field$)',
    },
  ];
  if (filterDefinition !== undefined) {
    defs.push({
      name: "remote_process_instantiation_via_winrm_and_winrs_filter",
      args: [],
      definition: filterDefinition,
    });
  }
  return createMacroTable(defs, { generateFilters: true });
}

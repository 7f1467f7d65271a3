/**
 * Winlogbeat / Elastic ECS fields mapped back to the Windows EventData names of the event they represent
 * (data, not code). Used for Sysmon Event ID 1 and Security 4688 only, and only for names that
 * `winlog.event_data` does not already carry (it is preferred when both exist). `process.args` is never
 * used: it is a lossy split of the command line (SEMANTICS.md §3).
 *
 * `render` says how an ECS value becomes Windows text:
 * - "text": as is (numbers printed in decimal);
 * - "hex": an integer pid rendered as Windows renders 4688's HexInt64 (`0x` + lower-case hex, no padding);
 * - "domain-user": `user.domain` + `\` + `user.name` when the domain is known (Sysmon's `User` rendering).
 */

export type EcsRender = "text" | "hex" | "domain-user";

export interface EcsFieldMapping {
  ecs: string;
  eventData: string;
  render: EcsRender;
}

export const ECS_SYSMON_1: readonly EcsFieldMapping[] = [
  { ecs: "process.command_line", eventData: "CommandLine", render: "text" },
  { ecs: "process.executable", eventData: "Image", render: "text" },
  { ecs: "process.pid", eventData: "ProcessId", render: "text" },
  { ecs: "process.entity_id", eventData: "ProcessGuid", render: "text" },
  { ecs: "process.working_directory", eventData: "CurrentDirectory", render: "text" },
  { ecs: "process.pe.original_file_name", eventData: "OriginalFileName", render: "text" },
  { ecs: "process.pe.file_version", eventData: "FileVersion", render: "text" },
  { ecs: "process.pe.description", eventData: "Description", render: "text" },
  { ecs: "process.pe.product", eventData: "Product", render: "text" },
  { ecs: "process.pe.company", eventData: "Company", render: "text" },
  { ecs: "process.parent.pid", eventData: "ParentProcessId", render: "text" },
  { ecs: "process.parent.executable", eventData: "ParentImage", render: "text" },
  { ecs: "process.parent.command_line", eventData: "ParentCommandLine", render: "text" },
  { ecs: "process.parent.entity_id", eventData: "ParentProcessGuid", render: "text" },
  { ecs: "user.name", eventData: "User", render: "domain-user" },
];

export const ECS_SECURITY_4688: readonly EcsFieldMapping[] = [
  { ecs: "process.command_line", eventData: "CommandLine", render: "text" },
  { ecs: "process.executable", eventData: "NewProcessName", render: "text" },
  { ecs: "process.pid", eventData: "NewProcessId", render: "hex" },
  { ecs: "process.parent.pid", eventData: "ProcessId", render: "hex" },
  { ecs: "process.parent.executable", eventData: "ParentProcessName", render: "text" },
  { ecs: "user.name", eventData: "SubjectUserName", render: "text" },
  { ecs: "user.domain", eventData: "SubjectDomainName", render: "text" },
  { ecs: "user.id", eventData: "SubjectUserSid", render: "text" },
  { ecs: "user.target.name", eventData: "TargetUserName", render: "text" },
  { ecs: "user.target.domain", eventData: "TargetDomainName", render: "text" },
];

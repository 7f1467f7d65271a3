/**
 * Mapping tables (data, not code) from a classic WinEventLog `Message=` text back to EventData names.
 *
 * Security 4688 renders its EventData as labelled lines under section headers:
 *   Creator Subject: / Subject:   Security ID, Account Name, Account Domain, Logon ID
 *   Target Subject:               Security ID, Account Name, Account Domain, Logon ID
 *   Process Information:          New Process ID, New Process Name, Token Elevation Type, Mandatory Label,
 *                                 Creator Process ID, Creator Process Name, Process Command Line
 * Sysmon renders `Name: value` lines whose names ARE the EventData names (UtcTime, Image, CommandLine, …),
 * so it needs no table (see classic-event.ts).
 */

/** section header (without the colon) → label (without the colon) → EventData name. */
export const SECURITY_4688_MESSAGE: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  "Creator Subject": {
    "Security ID": "SubjectUserSid",
    "Account Name": "SubjectUserName",
    "Account Domain": "SubjectDomainName",
    "Logon ID": "SubjectLogonId",
  },
  Subject: {
    "Security ID": "SubjectUserSid",
    "Account Name": "SubjectUserName",
    "Account Domain": "SubjectDomainName",
    "Logon ID": "SubjectLogonId",
  },
  "Target Subject": {
    "Security ID": "TargetUserSid",
    "Account Name": "TargetUserName",
    "Account Domain": "TargetDomainName",
    "Logon ID": "TargetLogonId",
  },
  "Process Information": {
    "New Process ID": "NewProcessId",
    "New Process Name": "NewProcessName",
    "Token Elevation Type": "TokenElevationType",
    "Mandatory Label": "MandatoryLabel",
    "Creator Process ID": "ProcessId",
    "Creator Process Name": "ParentProcessName",
    "Process Command Line": "CommandLine",
  },
};

/** Classic header keys that fill System fields; other header keys (Type, User, Sid, …) are not EventData. */
export const CLASSIC_SYSTEM_KEYS = {
  channel: "LogName",
  provider: "SourceName",
  eventId: "EventCode",
  computer: "ComputerName",
  recordId: "RecordNumber",
} as const;

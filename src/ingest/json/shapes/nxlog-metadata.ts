/**
 * Keys that NXLog (im_msvistalog) and the OTRF/Mordor pipeline (Logstash) add to a flattened event. They
 * describe the logger, the System header or the transport — NOT the event's EventData — so the flat reader
 * never copies them into `data` (SEMANTICS.md §3; case 06: `ProcessID` is the Sysmon service's pid and
 * `Domain`/`AccountName` the account that wrote the event). Data, not code: extend the list, not the reader.
 */
export const NXLOG_METADATA_KEYS: ReadonlySet<string> = new Set([
  // System header as NXLog names it
  "EventID",
  "SourceName",
  "ProviderName",
  "ProviderGuid",
  "Channel",
  "Hostname",
  "RecordNumber",
  "Version",
  "Task",
  "Opcode",
  "OpcodeValue",
  "Keywords",
  "Level",
  "EventType",
  "EventTypeOrignal",
  "Severity",
  "SeverityValue",
  "Category",
  "ActivityID",
  "RelatedActivityID",
  // System/Execution and System/Security, resolved by NXLog
  "ProcessID",
  "ThreadID",
  "ExecutionProcessID",
  "Domain",
  "AccountName",
  "AccountType",
  "UserID",
  // NXLog itself
  "EventTime",
  "EventReceivedTime",
  "SourceModuleName",
  "SourceModuleType",
  "Message",
  "ERROR_EVT_UNRESOLVED",
  // Logstash / OTRF transport
  "@timestamp",
  "@version",
  "host",
  "port",
  "tags",
]);

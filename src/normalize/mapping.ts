/**
 * Source mappings are data: one table per log source says which Windows field feeds which CIM field and
 * through which named transform. The interpreter (`apply-mapping.ts`) is the only code that reads them,
 * so adding a source (or a data model such as Endpoint.Registry) means adding a table, not code in readers.
 */

/** How a CIM field's value is computed from the event. Every transform is implemented in `transforms.ts`. */
export type Transform =
  | "copy" // the first listed field's value, verbatim
  | "basename" // the part after the last `\` or `/`
  | "strip-domain" // `CORP\alice` → `alice`; `-` → missing
  | "first-not-dash" // the first listed field that is present, non-empty and not `-`
  | "dash-is-missing" // verbatim unless `-`
  | "process-4688" // 4688's process rebuild (SEMANTICS §3): needs [CommandLine, NewProcessName]
  | "last-segment" // registry: the part after the last `\` (`HKLM\…\Run\evil` → `evil`)
  | "parent-segment" // registry: the part between the last two `\` (`HKLM\…\Run\evil` → `Run`)
  | "registry-hive" // registry: Sysmon TargetObject prefix → CIM hive name (three prefixes only)
  | "registry-value-data" // registry: `DWORD (0x00000001)` → `0x00000001`; other Details verbatim
  | "sysmon-registry-event-action" // Sysmon 12's EventType: CreateKey → created, Delete* → deleted
  | "sysmon-file-create-action" // Sysmon 11: [UtcTime, CreationUtcTime] equal → created, else modified
  | "initiated-direction" // Sysmon 3's Initiated: `true` → outbound, anything else → inbound
  | "ipv6-version" // Sysmon 3's SourceIsIpv6: `true` → ipv6, anything else → ipv4
  | "number-or-zero"; // CIM ports: the value when it is a number, else `0`

/** A CIM field computed from the event: from `System` values (`computer`) or EventData names. */
export interface FieldRule {
  /** EventData names (in order of preference) or `$computer` for System/Computer. */
  from: readonly string[];
  transform: Transform;
}

/** When this mapping applies: the event ID, and a word the provider or channel must contain. */
export interface SourceMatch {
  eventId: number;
  /** Case-sensitive substring of System/Provider/@Name or System/Channel (MANIFEST's counting rule). */
  providerOrChannel: string;
}

export type TimeRule =
  /** Sysmon's `UtcTime` (`YYYY-MM-DD HH:MM:SS.mmm`, UTC) when present, else System/TimeCreated. */
  | { kind: "data-utc"; field: string }
  /** System/TimeCreated/@SystemTime. */
  | { kind: "system" };

export interface SourceMapping {
  /** Stable id shown by `explain` and `doctor`, e.g. `sysmon-1`. */
  id: string;
  /** Data model dataset the records belong to, e.g. `Endpoint.Processes`. */
  dataset: string;
  /** The Splunk source this mapping mirrors (informative; the add-on's props/transforms). */
  source: string;
  match: SourceMatch;
  time: TimeRule;
  fields: Readonly<Record<string, FieldRule>>;
  /** Constant fields (`action`, `vendor_product`). */
  constants: Readonly<Record<string, string>>;
}

/**
 * Calculated fields the data model itself applies to every record of a dataset (CIM's `eval` fields):
 * fill values for empty or missing fields, names derived from command lines, case folding.
 */
export interface DatasetDefaults {
  dataset: string;
  /** Empty or missing → this value. */
  fill: Readonly<Record<string, string>>;
  /** name field ← basename of the first token of this command-line field, when the name is missing. */
  nameFromCommandLine: Readonly<Record<string, string>>;
  /** Lower-cased when present. */
  lowerCase: readonly string[];
}

/**
 * The one event shape every reader produces (EVTX, XML lines, JSON layouts, classic text).
 *
 * Design notes:
 * - Names are Windows' own: `System` values as typed fields, `EventData`/`UserData` as a flat
 *   name → text map. JSON layouts (Winlogbeat ECS, NXLog flat, …) are mapped back to these names by
 *   their reader, so normalization sees one vocabulary whatever the input format.
 * - Values are text exactly as Windows renders them in event XML (SEMANTICS.md "How EVTX values are
 *   rendered as text"), with XML entities decoded exactly once.
 * - `origin` says where the event came from, precisely enough for a diagnostic or `--explain`.
 */

export interface EventOrigin {
  /** Path of the file as given on the command line (or inside an archive: `archive.zip!inner.json`). */
  file: string;
  /** 1-based line number for line-oriented text formats. */
  line?: number;
  /** Byte offset of the record in the (decompressed) file, where known. */
  offset?: number;
  /** EVTX chunk index (0-based), where the event came from an EVTX file. */
  chunk?: number;
}

/** Where the event's `timeCreated` came from, for the run summary (NXLog's local EventTime is flagged). */
export type TimeSource = "system" | "timestamp" | "local-as-utc";

export interface WinEvent {
  /** System/Provider/@Name, e.g. `Microsoft-Windows-Sysmon`, `Microsoft-Windows-Security-Auditing`; "" if absent. */
  provider: string;
  /** System/Channel, e.g. `Microsoft-Windows-Sysmon/Operational`, `Security`; "" if absent. */
  channel: string;
  /** System/EventID as a number (qualifiers dropped). */
  eventId: number;
  /** System/Version where known. */
  version?: number;
  /** System/Computer; "" if absent. */
  computer: string;
  /** System/TimeCreated/@SystemTime as ISO 8601 text (any number of fractional digits); undefined if absent. */
  timeCreated?: string;
  /** How `timeCreated` was obtained (default "system"). */
  timeSource?: TimeSource;
  /** System/EventRecordID where known. */
  recordId?: number;
  /** EventData/Data (and UserData leaf elements) by Name → rendered text. */
  data: Record<string, string>;
  /** Set by the EVTX reader for records recovered from chunk slack or a damaged chunk. */
  recovered?: boolean;
  origin: EventOrigin;
}

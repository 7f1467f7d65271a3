/**
 * Contracts shared by every reader. A reader turns one file (or one member of an archive) into
 * batches of `WinEvent`s, reporting every problem through `ctx.report` and counting what it read.
 */
import type { Diagnostic } from "../diag/diagnostic.js";
import type { WinEvent } from "../model/event.js";

/** Formats recognised from content (never from the file name). */
export type LogFormat =
  | "evtx"
  | "xml" // XmlWinEventLog lines, <Events> exports, pretty-printed events (and classic text mixed in)
  | "classic" // classic WinEventLog key=value text (may contain XML events too)
  | "json"; // JSON lines or a pretty-printed JSON document of any supported layout

/**
 * Decides, from the System header alone, whether an event can matter to any loaded detection.
 * Readers that can skip decoding the rest of an event (EVTX) call it before decoding EventData.
 * Returning false means the event is counted as read but not produced. `eventIds`, when given, is a promise
 * that the filter returns false for every Event ID not in it (whatever the provider and channel), so a reader
 * may decide on the ID alone.
 */
export type EventFilter = ((provider: string, channel: string, eventId: number) => boolean) & {
  readonly eventIds?: ReadonlySet<number>;
};

export interface ReaderContext {
  /** Display name of the input (a path, or `archive.tar.gz!member.json`). */
  file: string;
  report(d: Diagnostic): void;
  filter?: EventFilter;
  /** EVTX: decode the records in chunk slack (marked `recovered`) instead of only counting them. */
  carveSlack?: boolean;
  /**
   * True once reading must stop (`--strict`, after the first input problem). Readers ask between batches and
   * then end as if the input ended there, returning what they counted so far.
   */
  stopped?(): boolean;
}

/** What one input file gave; the run summary and `--stats-json` are built from these. */
export interface FileReport {
  file: string;
  /** Detected format; undefined when the file was skipped or unreadable. */
  format?: LogFormat;
  /** Container layers that were opened on the way, outermost first (e.g. ["gzip", "tar"]). */
  containers?: string[];
  /** Well-formed events read (all of them, whether or not a detection used them). */
  events: number;
  /** Records that were reported and skipped (malformed line, damaged EVTX record, …). */
  malformed: number;
  /** Events recovered from damaged regions (EVTX slack), included in `events`. */
  recovered?: number;
  /**
   * Set when the file was not read as a log: not a log at all (README, YAML, …), or not a regular file (FIFO,
   * socket, device) — not an error.
   */
  skipped?: string;
  /** Set when nothing could be read from the file (missing, I/O error, damaged container) — an error. */
  unreadable?: string;
  /**
   * Set when events were read from the file but not all of it could be (a cut gzip, a damaged archive, I/O
   * error or stall part-way, `--strict` stopping in it) — an error; `events` are those read before.
   * Never set together with `unreadable`: a file is read (perhaps damaged), skipped, unreadable or not read.
   */
  damaged?: string;
  /** Set when the file was not opened because `--strict` had already stopped the run. */
  notRead?: string;
  /** Counts of per-record diagnostic codes for this file. */
  problems?: Record<string, number>;
}

export type EventBatch = WinEvent[];

/** What a reader returns when it is done with one input. */
export interface ReadCounts {
  /** Well-formed events read, including those the EventFilter told it not to produce. */
  events: number;
  /** Records reported and skipped. */
  malformed: number;
  /** Events recovered from damaged regions (included in `events`). */
  recovered?: number;
}

/** Every reader is an async generator of event batches that returns its counts. */
export type Reader = AsyncGenerator<EventBatch, ReadCounts, void>;

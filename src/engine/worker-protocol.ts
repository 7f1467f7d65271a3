/**
 * Messages between `hunt`'s main thread and its reader threads (parallel-hunt.ts ↔ worker-entry.ts).
 *
 * A worker reads units (ingest/parallel-units.ts), keeps the events some loaded source mapping can use,
 * normalizes them and sends the records back in batches; the main thread runs the searches. Mappings are
 * sent as indexes into SOURCE_MAPPINGS, records grouped by file so a file name is sent once per batch.
 */
import type { Diagnostic } from "../diag/diagnostic.js";
import type { ReadUnit, UnitEnd } from "../ingest/parallel-units.js";
import type { CimRecord } from "../normalize/normalize-event.js";
import type { PrefilterSpec } from "./record-prefilter.js";

/** `workerData` of a hunt reader thread. */
export interface HuntWorkerData {
  winnowHuntWorker: true;
  /** Data-model datasets read by the loaded searches: the worker keeps events of their mappings only. */
  datasets: string[];
  /** Batches a worker may send before the main thread has taken them (bounds memory). */
  window: number;
  /** The loaded searches' record filters: records none keeps cross as `null` (record-prefilter.ts). */
  prefilter?: PrefilterSpec;
}

export function isHuntWorkerData(v: unknown): v is HuntWorkerData {
  return typeof v === "object" && v !== null && "winnowHuntWorker" in v && v.winnowHuntWorker === true;
}

/**
 * Records of one file: `mapping[i]` (index into SOURCE_MAPPINGS) made `records[i]`; `null` for a record no
 * loaded search can use (left out by the prefilter: it is only counted).
 */
export interface RecordSegment {
  file: string;
  mapping: number[];
  records: (CimRecord | null)[];
}

export type ToWorker = { type: "unit"; id: number; unit: ReadUnit } | { type: "credit" } | { type: "close" };

export type FromWorker =
  | {
      type: "batch";
      id: number;
      /** Diagnostics reported before the records of this batch were read. */
      diagnostics: Diagnostic[];
      segments: RecordSegment[];
      /** Set on the unit's last batch. */
      end?: UnitEnd;
    }
  | { type: "failed"; id: number; message: string; stack?: string };

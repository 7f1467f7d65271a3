/**
 * The results store contract, implemented for SQLite (sqlite-store.ts, the default: one file, no setup) and
 * PostgreSQL (postgres-store.ts, shared by scale-out workers).
 *
 * What is stored:
 * - `batches`: one row per intake batch (an HEC request, or one bus message), keyed by its id. A batch that is
 *   already there is a duplicate (a redelivered message): its records are not counted again.
 * - `records`: the relevant data-model records per detection (the streaming session's partial state), unique
 *   per (detection, event uid). Union is the merge: it is idempotent and exact for any search, where merging
 *   count/min/max partial aggregates would be exact only for the tstats stage.
 * - `findings`, `risk_events`, `notables`: each detection's current results, replaced as a whole whenever the
 *   detection is recomputed. A finding is stored as the exact `hunt --format jsonl` line.
 * - `scheduled_runs`: results of ES-style scheduled runs (a detection over a time window), one row per run.
 * Schema changes are numbered migrations, applied in order inside a transaction and recorded in
 * `schema_migrations`.
 */
import type { DetectionResult } from "../../engine/hunt.js";
import type { Notable } from "../../engine/notable.js";
import type { RiskEvent } from "../../engine/risk.js";
import type { RelevantRecord } from "../../engine/stream-session.js";
import { isObject } from "../../ingest/json/json-access.js";
import { jsonlLines } from "../../output/jsonl.js";
import type { Row } from "../../spl/index.js";

export interface BatchInfo {
  id: string;
  /** Events the batch carried (all of them, relevant or not). */
  events: number;
}

export interface StoreCounts {
  batches: number;
  events: number;
  records: number;
  findings: number;
}

export interface ScheduledRunInfo {
  detectionId: string;
  /** ISO 8601 times: when the run was due, and its window [earliest, latest). */
  runAt: string;
  earliest: string;
  latest: string;
}

/** A stored scheduled run: rows exactly like `hunt --format jsonl` rows, with its risk events and notables. */
export interface ScheduledRun {
  detection_id: string;
  run_at: string;
  earliest: string;
  latest: string;
  rows: unknown[];
  risk: RiskEvent[];
  notables: Notable[];
}

/** The JSON a scheduled run is stored as. */
export function scheduledJson(r: DetectionResult): string {
  return `{"rows":[${resultRows(r).findings.join(",")}],"risk":${JSON.stringify(r.risk)},"notables":${JSON.stringify(r.notables)}}`;
}

export type Recompute = (detectionId: string, records: RelevantRecord[]) => DetectionResult;

export interface ResultsStore {
  readonly kind: "sqlite" | "postgres";
  /** Applies pending migrations; returns the schema version. */
  migrate(): Promise<number>;
  /** Stores a batch and its relevant records in one transaction. `duplicate`: the batch was stored before. */
  commitBatch(batch: BatchInfo, records: readonly RelevantRecord[]): Promise<{ duplicate: boolean }>;
  /** Several batches in one transaction (group commit: one fsync for all). */
  commitBatches(batches: readonly { batch: BatchInfo; records: readonly RelevantRecord[] }[]): Promise<void>;
  /** Relevant records in the order they were stored (all detections, or one). */
  records(detectionId?: string): Promise<RelevantRecord[]>;
  /** Replaces the stored results of each given detection. */
  replaceResults(results: readonly DetectionResult[]): Promise<void>;
  /**
   * For each detection: reads its records, computes, and replaces its results, serialised per detection across
   * processes (PostgreSQL advisory lock), so the last writer always saw every committed record.
   */
  recompute(detectionIds: readonly string[], compute: Recompute): Promise<DetectionResult[]>;
  /** Findings as `hunt --format jsonl` lines, by detection id then row order. */
  findingLines(detectionId?: string): Promise<string[]>;
  riskEvents(object?: string): Promise<RiskEvent[]>;
  notables(): Promise<Notable[]>;
  counts(): Promise<StoreCounts>;
  /** Stores one scheduled run's result (a run stored twice, e.g. by two servers, is kept once). */
  storeScheduledRun(run: ScheduledRunInfo, result: DetectionResult): Promise<void>;
  scheduledRuns(detectionId?: string): Promise<ScheduledRun[]>;
  close(): Promise<void>;
}

/** The rows one detection result stores. */
export function resultRows(r: DetectionResult): {
  findings: string[];
  risk: { object: string; type: string; score: number; timeMs: number; json: string }[];
  notables: string[];
} {
  return {
    findings: [...jsonlLines([r])],
    risk: r.risk.map((e) => ({
      object: e.risk_object,
      type: e.risk_object_type,
      score: e.risk_score,
      timeMs: Date.parse(e._time),
      json: JSON.stringify(e),
    })),
    notables: r.notables.map((n) => JSON.stringify(n)),
  };
}

/** A stored record back to a Row (values are strings, numbers or arrays of them, as normalize made them). */
export function parseRecord(text: string): Row {
  const v: unknown = JSON.parse(text);
  if (!isObject(v)) throw new Error("internal error: a stored record is not a JSON object");
  return v as Row;
}

export function parseJsonAs<T>(text: string): T {
  const v: unknown = JSON.parse(text);
  if (!isObject(v)) throw new Error("internal error: a stored result is not a JSON object");
  return v as T;
}

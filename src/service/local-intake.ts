/**
 * Single-node continuous detection: HEC batches → streaming session → results store.
 *
 * Design notes:
 * - Per batch: the session picks the relevant records (stream-probe); the store commits them with the batch
 *   row, then the session adds them. Only then is the batch acknowledged. Batches that arrive while a commit
 *   is pending share one transaction (group commit), so under load there is one fsync per group, not per
 *   request (better-sqlite3 blocks the event loop while it syncs).
 * - Results are recomputed right after each commit for the detections that changed (coalesced: while one
 *   recompute runs, further batches only mark detections dirty), so a finding is stored within milliseconds
 *   of its first event, and its count/lastTime follow.
 * - On start the session is rebuilt from the stored records: nothing acknowledged is lost across a restart.
 * - After a recompute that changed risk events, entities whose 24-hour risk sum passes the threshold go to the
 *   sinks as risk incidents (ES's "24 Hour Risk Threshold Exceeded" notable), beside the new findings.
 */
import type { DetectionResult } from "../engine/hunt.js";
import type { RelevantRecord, StreamSession } from "../engine/stream-session.js";
import type { Intake, IntakeBatch } from "./intake.js";
import { riskIncidentLines } from "./risk-rollup.js";
import { type AlertSink, NewLines } from "./sinks/alert-sink.js";

/** The NewLines key of risk incidents (no detection id looks like it). */
const RISK_INCIDENTS = "\0risk-incidents";

import { type BatchInfo, type ResultsStore, resultRows } from "./store/results-store.js";

export interface LocalIntakeOptions {
  session: StreamSession;
  store: ResultsStore;
  sinks?: AlertSink[];
  /** The 24-hour risk sum over which an entity raises a risk incident (default 100, as ES). */
  riskThreshold?: number;
  /** Called after each recompute was stored (latency measurement, tests). */
  onStored?(results: readonly DetectionResult[]): void;
  report?(message: string): void;
}

export class LocalIntake implements Intake {
  private readonly o: LocalIntakeOptions;
  private running: Promise<void> | undefined;
  private again = false;
  private readonly newLines = new NewLines();
  /** Each detection's result as last stored (risk incidents are computed from these). */
  private readonly stored = new Map<string, DetectionResult>();
  private queue: {
    batch: BatchInfo;
    records: RelevantRecord[];
    resolve: () => void;
    reject: (e: unknown) => void;
  }[] = [];

  private constructor(o: LocalIntakeOptions) {
    this.o = o;
  }

  static async open(o: LocalIntakeOptions): Promise<LocalIntake> {
    const intake = new LocalIntake(o);
    o.session.add(await o.store.records());
    // Findings already stored were already sent: prime the sinks' memory so a restart sends nothing twice.
    const results = o.session.snapshot();
    for (const r of results) intake.newLines.take(r.detection.id, resultRows(r).findings);
    await o.store.replaceResults(results);
    for (const r of results) intake.stored.set(r.detection.id, r);
    intake.riskIncidents();
    return intake;
  }

  accept(batch: IntakeBatch): Promise<void> {
    const records = this.o.session.relevantFor(
      batch.events.map((event, i) => ({ uid: `${batch.id}:${i}`, event })),
    );
    return new Promise((resolve, reject) => {
      const events = batch.events.length + (batch.skipped ?? 0);
      this.queue.push({ batch: { id: batch.id, events }, records, resolve, reject });
      if (this.queue.length === 1) setImmediate(() => this.flush());
    });
  }

  /** Group commit: every batch queued since the last flush goes in one transaction (one fsync). */
  private async flush(): Promise<void> {
    const group = this.queue;
    this.queue = [];
    try {
      await this.o.store.commitBatches(group);
    } catch (e) {
      for (const g of group) g.reject(e);
      return;
    }
    let added = 0;
    for (const g of group) added += this.o.session.add(g.records);
    for (const g of group) g.resolve();
    if (added > 0) this.schedule();
  }

  /** Resolves when every change accepted so far is stored. */
  async settled(): Promise<void> {
    while (this.running !== undefined) await this.running;
  }

  private schedule(): void {
    if (this.running !== undefined) {
      this.again = true;
      return;
    }
    this.running = this.recomputeLoop().finally(() => {
      this.running = undefined;
    });
  }

  private async recomputeLoop(): Promise<void> {
    do {
      this.again = false;
      const dirty = new Set(this.o.session.dirty());
      if (dirty.size === 0) continue;
      const changed = this.o.session.snapshot().filter((r) => dirty.has(r.detection.id));
      try {
        await this.o.store.replaceResults(changed);
      } catch (e) {
        this.o.report?.(`storing results failed: ${e instanceof Error ? e.message : String(e)}`);
        continue;
      }
      this.o.onStored?.(changed);
      const fresh = changed.flatMap((r) => this.newLines.take(r.detection.id, resultRows(r).findings));
      for (const r of changed) this.stored.set(r.detection.id, r);
      if (changed.some((r) => r.risk.length > 0)) fresh.push(...this.riskIncidents());
      for (const s of this.o.sinks ?? []) await s.send(fresh);
    } while (this.again);
  }

  /**
   * Risk incidents not sent yet: entities whose 24-hour risk sum passed the threshold (ES's risk incident rule),
   * sent again when their roll-up grows. Derived from the current results (rebuilt from the store on start), so
   * a restart raises nothing twice.
   */
  private riskIncidents(): string[] {
    // From what is stored, not from a new snapshot: a snapshot here would take the dirty marks of records that
    // arrived during the store's commit, and their results would never be stored.
    const risk = [...this.stored.values()].flatMap((r) => r.risk);
    return this.newLines.take(RISK_INCIDENTS, riskIncidentLines(risk, this.o.riskThreshold));
  }

  async close(): Promise<void> {
    await this.settled();
  }
}

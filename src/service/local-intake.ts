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
 *   of its first event, and its count/lastTime follow. The session recomputes only the tstats groups that got
 *   a record and the store writes only the rows that changed, so this holds however many findings there are.
 * - On start the session is rebuilt from the stored records: nothing acknowledged is lost across a restart.
 * - The sinks get what the store reports new: finding lines not stored before, and the risk incidents the
 *   write raised (ES's "24 Hour Risk Threshold Exceeded" notable; the store raises each once, so a restart
 *   sends nothing twice).
 */
import type { DetectionResult } from "../engine/hunt.js";
import type { RelevantRecord, StreamSession } from "../engine/stream-session.js";
import type { Intake, IntakeBatch } from "./intake.js";
import type { AlertSink } from "./sinks/alert-sink.js";
import type { BatchInfo, ResultsStore, StoreOutcome } from "./store/results-store.js";

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
  /** Detections whose last store failed: stored again with the next recompute. */
  private unsaved = new Set<string>();
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
    // What the store holds was sent when it was stored: only what differs (new content, say) is sent now.
    const outcome = await o.store.replaceResults(o.session.snapshot(), { riskThreshold: o.riskThreshold });
    await intake.send(outcome);
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
      const dirty = new Set([...this.o.session.dirty(), ...this.unsaved]);
      if (dirty.size === 0) continue;
      const changed = this.o.session.results([...dirty]);
      let outcome: StoreOutcome;
      try {
        outcome = await this.o.store.replaceResults(changed, { riskThreshold: this.o.riskThreshold });
        this.unsaved = new Set();
      } catch (e) {
        this.unsaved = dirty;
        this.o.report?.(`storing results failed: ${e instanceof Error ? e.message : String(e)}`);
        continue;
      }
      this.o.onStored?.(changed);
      await this.send(outcome);
    } while (this.again);
  }

  private async send(outcome: StoreOutcome): Promise<void> {
    const lines = [...outcome.findings, ...outcome.incidents.map((x) => JSON.stringify(x))];
    for (const s of this.o.sinks ?? []) await s.send(lines);
  }

  async close(): Promise<void> {
    await this.settled();
  }
}

/**
 * `winnow worker`: pulls event messages from the shared durable JetStream consumer, runs the detections, and
 * merges into PostgreSQL, idempotently.
 *
 * Per fetched group of messages: each message's relevant records are committed with its batch row in one
 * transaction (ON CONFLICT DO NOTHING: a redelivered or duplicated message adds nothing), the touched
 * detections are recomputed from every stored record under a per-detection advisory lock, and only then are
 * the messages acknowledged (ackAck: the server confirmed). A worker that dies before acking leaves its
 * messages to be redelivered; the recompute after a duplicate is harmless.
 */
import type { DetectionResult } from "../engine/hunt.js";
import type { StreamSession } from "../engine/stream-session.js";
import { type BusMessage, type EventBus, parseBusMessage } from "./bus/event-bus.js";
import { type AlertSink, NewLines } from "./sinks/alert-sink.js";
import { type ResultsStore, resultRows } from "./store/results-store.js";

export interface WorkerOptions {
  bus: EventBus;
  store: ResultsStore;
  session: StreamSession;
  /** Messages per fetch (default 100). */
  batch?: number;
  sinks?: AlertSink[];
  onStored?(results: readonly DetectionResult[], messages: number): void;
  report?(message: string): void;
}

/** Commits messages and recomputes what they touched; returns the recomputed results. */
export async function processMessages(
  messages: readonly BusMessage[],
  session: StreamSession,
  store: ResultsStore,
): Promise<DetectionResult[]> {
  const touched = new Set<string>();
  for (const m of messages) {
    const records = session.relevantFor(m.events);
    await store.commitBatch({ id: m.id, events: m.count }, records);
    for (const r of records) touched.add(r.detectionId);
  }
  if (touched.size === 0) return [];
  return store.recompute([...touched], (id, records) => session.resultFor(id, records));
}

export class Worker {
  private stopping = false;
  private readonly o: WorkerOptions;
  private readonly newLines = new NewLines();
  processed = 0;

  constructor(o: WorkerOptions) {
    this.o = o;
  }

  stop(): void {
    this.stopping = true;
  }

  async run(): Promise<void> {
    const consumer = await this.o.bus.consumer();
    while (!this.stopping) {
      const iter = await consumer.fetch({ max_messages: this.o.batch ?? 100, expires: 1000 });
      const msgs = [];
      for await (const m of iter) msgs.push(m);
      if (msgs.length === 0) continue;
      const good: BusMessage[] = [];
      for (const m of msgs) {
        try {
          good.push(parseBusMessage(m.string()));
        } catch (e) {
          this.o.report?.(`dropping message ${m.seq}: ${e instanceof Error ? e.message : String(e)}`);
          m.term();
        }
      }
      let results: DetectionResult[];
      try {
        results = await processMessages(good, this.o.session, this.o.store);
      } catch (e) {
        this.o.report?.(
          `store failed, messages will be redelivered: ${e instanceof Error ? e.message : String(e)}`,
        );
        for (const m of msgs) m.nak(1000);
        continue;
      }
      await Promise.all(msgs.map((m) => m.ackAck().catch(() => false)));
      this.processed += good.length;
      this.o.onStored?.(results, good.length);
      const fresh = results.flatMap((r) => this.newLines.take(r.detection.id, resultRows(r).findings));
      for (const s of this.o.sinks ?? []) await s.send(fresh);
    }
  }
}

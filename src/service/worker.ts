/**
 * `winnow worker`: pulls event messages from the shared durable JetStream consumer, runs the detections, and
 * merges into PostgreSQL, idempotently.
 *
 * Per fetched group of messages: the messages' relevant records are committed with their batch rows in one
 * transaction (ON CONFLICT DO NOTHING: a redelivered or duplicated message adds nothing), the touched
 * detections are recomputed from every stored record under a per-detection advisory lock, and only then are
 * the messages acknowledged (ackAck: the server confirmed). A worker that dies before acking leaves its
 * messages to be redelivered; the recompute after a duplicate is harmless.
 */
import type { ConsumerMessages, JsMsg } from "@nats-io/jetstream";
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
  const group = messages.map((m) => {
    const records = session.relevantFor(m.events);
    for (const r of records) touched.add(r.detectionId);
    return { batch: { id: m.id, events: m.count }, records };
  });
  await store.commitBatches(group);
  if (touched.size === 0) return [];
  return store.recompute([...touched], (id, records) => session.resultFor(id, records));
}

export class Worker {
  private stopping = false;
  private readonly o: WorkerOptions;
  private readonly newLines = new NewLines();
  private messages: ConsumerMessages | undefined;
  processed = 0;

  constructor(o: WorkerOptions) {
    this.o = o;
  }

  /** Stops taking messages; the group being stored is finished and acknowledged. */
  stop(): void {
    this.stopping = true;
    this.messages?.stop();
  }

  async run(): Promise<void> {
    const consumer = await this.o.bus.consumer();
    const batch = this.o.batch ?? 100;
    const messages = await consumer.consume({ max_messages: batch * 2 });
    this.messages = messages;
    // Messages gather while a group is being stored; each flush takes up to `batch` of them at a time.
    const buffer: JsMsg[] = [];
    let flushing: Promise<void> | undefined;
    const flush = async () => {
      while (buffer.length > 0) await this.processGroup(buffer.splice(0, batch));
      flushing = undefined;
    };
    for await (const m of messages) {
      buffer.push(m);
      if (flushing === undefined) flushing = new Promise<void>((r) => setImmediate(r)).then(flush);
      if (this.stopping) break;
    }
    await flushing;
  }

  private async processGroup(msgs: JsMsg[]): Promise<void> {
    const good: BusMessage[] = [];
    const kept: JsMsg[] = [];
    for (const m of msgs) {
      try {
        good.push(parseBusMessage(m.string()));
        kept.push(m);
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
      for (const m of kept) m.nak(1000);
      return;
    }
    await Promise.all(kept.map((m) => m.ackAck().catch(() => false)));
    this.processed += good.length;
    this.o.onStored?.(results, good.length);
    const fresh = results.flatMap((r) => this.newLines.take(r.detection.id, resultRows(r).findings));
    for (const s of this.o.sinks ?? []) await s.send(fresh);
  }
}

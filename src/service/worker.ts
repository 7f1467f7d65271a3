/**
 * `winnow worker`: pulls event messages from the shared durable JetStream consumer, runs the detections, and
 * merges into PostgreSQL, idempotently.
 *
 * Per fetched group of messages: the messages' relevant records are committed with their batch rows in one
 * transaction (ON CONFLICT DO NOTHING: a redelivered or duplicated message adds nothing), the touched
 * detections are recomputed under a per-group advisory lock, and only then are the messages acknowledged
 * (ackAck: the server confirmed). A worker that dies before acking leaves its messages to be redelivered; the
 * recompute after a duplicate is harmless.
 *
 * The worker's session holds every record it has read from the store; a recompute reads only the records
 * committed since (by seq, exact under the locks: postgres-store.ts), so it costs what changed, not every
 * record. The WinRM pack's detections and their edge correlation are one group: the edges read all of them.
 * The alert sinks get what the store reports new (finding lines not stored before by anyone, the risk
 * incidents this worker's write raised), so several workers never send the same line twice.
 */
import type { ConsumerMessages, JsMsg } from "@nats-io/jetstream";
import type { DetectionResult } from "../engine/hunt.js";
import type { StreamSession } from "../engine/stream-session.js";
import { type BusMessage, type EventBus, parseBusMessage } from "./bus/event-bus.js";
import type { AlertSink } from "./sinks/alert-sink.js";
import type { RecomputeGroup, RecomputeStep, ResultsStore, StoreOutcome } from "./store/results-store.js";

export interface WorkerOptions {
  bus: EventBus;
  store: ResultsStore;
  session: StreamSession;
  /** Messages per fetch (default 100). */
  batch?: number;
  sinks?: AlertSink[];
  /** The 24-hour risk sum over which an entity raises a risk incident (default 100, as ES). */
  riskThreshold?: number;
  onStored?(results: readonly DetectionResult[], messages: number): void;
  report?(message: string): void;
}

/** The lock group of the WinRM pack's detections and their edges. */
export const PACK_LOCK = "winrm-pack";

/** The highest record seq each session holds per detection. */
const seen = new WeakMap<StreamSession, Map<string, number>>();

/** The recompute groups of the touched detections (the pack's, with the edges, as one). */
export function recomputeGroups(session: StreamSession, touched: Iterable<string>): RecomputeGroup[] {
  const pack = new Set(session.packDetectionIds);
  const groups: RecomputeGroup[] = [];
  let packTouched = false;
  for (const id of new Set(touched)) {
    if (pack.has(id)) packTouched = true;
    else groups.push({ lock: id, detectionIds: [id] });
  }
  if (packTouched) {
    const edge = session.edgeDetection;
    groups.push({ lock: PACK_LOCK, detectionIds: [...pack, ...(edge === undefined ? [] : [edge.id])] });
  }
  return groups;
}

function stepFor(session: StreamSession): RecomputeStep {
  let held = seen.get(session);
  if (held === undefined) seen.set(session, (held = new Map()));
  const m = held;
  return {
    since: (id) => m.get(id) ?? 0,
    add(id, records) {
      if (records.length === 0) return;
      session.add(records);
      m.set(id, records[records.length - 1].seq);
    },
    results: (ids) => session.results(ids),
  };
}

/** Commits messages and recomputes what they touched; returns the recomputed results and what was new. */
export async function processMessages(
  messages: readonly BusMessage[],
  session: StreamSession,
  store: ResultsStore,
  opts: { riskThreshold?: number } = {},
): Promise<{ results: DetectionResult[]; outcome: StoreOutcome }> {
  const touched = new Set<string>();
  const batch = messages.map((m) => {
    const records = session.relevantFor(m.events);
    for (const r of records) touched.add(r.detectionId);
    return { batch: { id: m.id, events: m.count }, records };
  });
  const groups = recomputeGroups(session, touched);
  await store.commitBatches(
    batch,
    groups.map((g) => g.lock),
  );
  if (groups.length === 0) return { results: [], outcome: { findings: [], incidents: [] } };
  return store.recompute(groups, stepFor(session), opts);
}

export class Worker {
  private stopping = false;
  private readonly o: WorkerOptions;
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
    let outcome: StoreOutcome;
    try {
      ({ results, outcome } = await processMessages(good, this.o.session, this.o.store, {
        riskThreshold: this.o.riskThreshold,
      }));
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
    const lines = [...outcome.findings, ...outcome.incidents.map((x) => JSON.stringify(x))];
    for (const s of this.o.sinks ?? []) await s.send(lines);
  }
}

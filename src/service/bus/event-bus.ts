/**
 * The JetStream side of scale-out (@nats-io/transport-node + @nats-io/jetstream 3.3.1, pinned: 3.4 pulls a
 * nuid that declares node ≥ 22). Works with nats-server 2.9 (no multi-filter consumers).
 *
 * Design notes:
 * - One file-backed stream (default `WINNOW_EVENTS`) over `<prefix>.>`; an intake batch is split by host into
 *   messages on `<prefix>.<host>` (subjects by host), each with a `Nats-Msg-Id` of `<batch>.<part>` so a
 *   re-published part is dropped by the server's duplicate window. A host's part larger than the server's
 *   `max_payload` (1 MiB by default) is cut into several messages: a valid request is never refused half-stored.
 *   An event that cannot fit one message on its own fails the request before anything is published.
 * - Workers share one durable pull consumer (explicit ack). A message not acknowledged within `ackWaitMs`
 *   (a worker died) is redelivered to another worker.
 * - A message carries parsed events (the WinEvent shape, with each event's uid), so workers do not re-parse.
 */

import { createHash } from "node:crypto";
import type { Consumer, JetStreamManager } from "@nats-io/jetstream";
import {
  AckPolicy,
  type JetStreamClient,
  jetstream,
  jetstreamManager,
  StorageType,
} from "@nats-io/jetstream";
import { connect, type NatsConnection, nanos } from "@nats-io/transport-node";
import type { StreamEvent } from "../../engine/stream-session.js";
import { isObject } from "../../ingest/json/json-access.js";
import type { WinEvent } from "../../model/event.js";
import { EventTooLarge, type IntakeBatch } from "../intake.js";

export interface BusOptions {
  /** `nats://host:port` (several comma-separated). */
  url: string;
  stream?: string;
  subjectPrefix?: string;
  durable?: string;
  ackWaitMs?: number;
  /**
   * Whether to make sure the shared durable consumer exists (default true: workers consume from it). The
   * intake (`serve --bus`) only publishes and passes false: it must not create a consumer that workers started
   * with another `--durable` would never read, and a stream that holds the messages for whichever consumer
   * the workers create first needs none.
   */
  consumer?: boolean;
}

export interface BusMessage {
  /** `<batch id>.<part>`: the store's batch key (duplicates are detected by it). */
  id: string;
  /** Events this part stands for (its own, plus on part 0 the request's events no detection can use). */
  count: number;
  events: StreamEvent[];
}

/** How long the stream keeps a message (created streams only; an existing stream keeps its own limits). */
export const STREAM_MAX_AGE_MS = 7 * 24 * 3600 * 1000;

/** Longest host token kept as it is: the subject must fit NATS's 4,096-byte control line with the prefix. */
export const MAX_HOST_TOKEN = 200;

/**
 * The subject token of a host: its name with what NATS subjects cannot hold as `_`; a name longer than
 * MAX_HOST_TOKEN is cut and ends with a hash of the whole (a subject past NATS's control line never published:
 * the request timed out with a 500 after the other hosts' parts were stored).
 */
export function hostToken(host: string): string {
  const t = host.replace(/[^A-Za-z0-9_-]/g, "_");
  if (t === "") return "_unknown";
  if (t.length <= MAX_HOST_TOKEN) return t;
  return `${t.slice(0, MAX_HOST_TOKEN - 41)}_${createHash("sha1").update(host).digest("hex")}`;
}

/** Room kept in a message for its envelope (`id`, `count`, the array's brackets). */
const ENVELOPE_BYTES = 256;

/**
 * Splits a batch by host, and a host's events into messages of at most `maxBytes` of JSON each; events no
 * detection can use (`keep` false) are counted but not sent.
 */
export function busMessages(
  batch: IntakeBatch,
  keep: (e: WinEvent) => boolean,
  maxBytes = Number.POSITIVE_INFINITY,
): { host: string; msg: BusMessage }[] {
  const byHost = new Map<string, StreamEvent[]>();
  let dropped = batch.skipped ?? 0;
  batch.events.forEach((event, i) => {
    if (!keep(event)) {
      dropped++;
      return;
    }
    const h = hostToken(event.computer);
    let list = byHost.get(h);
    if (list === undefined) byHost.set(h, (list = []));
    list.push({ uid: `${batch.id}:${i}`, event });
  });
  const parts: [string, StreamEvent[]][] = [];
  for (const [host, events] of byHost) {
    let part: StreamEvent[] = [];
    let bytes = ENVELOPE_BYTES;
    for (const e of events) {
      const size = Buffer.byteLength(JSON.stringify(e)) + 1;
      if (ENVELOPE_BYTES + size > maxBytes) {
        throw new EventTooLarge(size, maxBytes);
      }
      if (bytes + size > maxBytes && part.length > 0) {
        parts.push([host, part]);
        part = [];
        bytes = ENVELOPE_BYTES;
      }
      part.push(e);
      bytes += size;
    }
    parts.push([host, part]);
  }
  if (parts.length === 0) parts.push(["_none", []]);
  return parts.map(([host, events], n) => ({
    host,
    msg: { id: `${batch.id}.${n}`, count: events.length + (n === 0 ? dropped : 0), events },
  }));
}

export function parseBusMessage(data: string): BusMessage {
  const v: unknown = JSON.parse(data);
  if (!isObject(v) || typeof v.id !== "string" || typeof v.count !== "number" || !Array.isArray(v.events)) {
    throw new Error("not a winnow bus message");
  }
  for (const e of v.events) {
    if (!isObject(e) || typeof e.uid !== "string" || !isObject(e.event))
      throw new Error("not a winnow bus message");
  }
  return v as unknown as BusMessage;
}

export class EventBus {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly stream: string;
  readonly prefix: string;
  readonly durable: string;

  private constructor(nc: NatsConnection, jsm: JetStreamManager, o: BusOptions) {
    this.nc = nc;
    this.jsm = jsm;
    this.js = jetstream(nc);
    this.stream = o.stream ?? "WINNOW_EVENTS";
    this.prefix = o.subjectPrefix ?? "winnow.events";
    this.durable = o.durable ?? "winnow-workers";
  }

  /** Connects and makes sure the stream exists, and the shared durable consumer unless `consumer` is false. */
  static async connect(o: BusOptions): Promise<EventBus> {
    const servers = o.url.split(",").map((s) => s.trim().replace(/^nats:\/\//, ""));
    const nc = await connect({ servers, name: "winnow" });
    const jsm = await jetstreamManager(nc);
    const bus = new EventBus(nc, jsm, o);
    try {
      await jsm.streams.info(bus.stream);
    } catch {
      // Acknowledged messages are not needed again (the store has what they carried): the stream keeps a
      // message 7 days, long enough for workers to come back from an outage, instead of forever.
      await jsm.streams.add({
        name: bus.stream,
        subjects: [`${bus.prefix}.>`],
        storage: StorageType.File,
        max_age: nanos(STREAM_MAX_AGE_MS),
      });
    }
    if (o.consumer === false) return bus;
    const config = {
      durable_name: bus.durable,
      ack_policy: AckPolicy.Explicit,
      ack_wait: nanos(o.ackWaitMs ?? 30_000),
      max_ack_pending: 10_000,
    };
    try {
      await jsm.consumers.info(bus.stream, bus.durable);
    } catch {
      await jsm.consumers.add(bus.stream, config);
    }
    return bus;
  }

  /** Publishes every part; resolves when the server has stored them all (the HEC ack point). */
  async publish(batch: IntakeBatch, keep: (e: WinEvent) => boolean): Promise<void> {
    const max = this.nc.info?.max_payload ?? 1_048_576;
    await Promise.all(
      busMessages(batch, keep, max).map(({ host, msg }) =>
        this.js.publish(`${this.prefix}.${host}`, JSON.stringify(msg), { msgID: msg.id }),
      ),
    );
  }

  consumer(): Promise<Consumer> {
    return this.js.consumers.get(this.stream, this.durable);
  }

  /** Removes the stream (tests clean up after themselves). */
  async deleteStream(): Promise<void> {
    await this.jsm.streams.delete(this.stream).catch(() => false);
  }

  async close(): Promise<void> {
    await this.nc.drain().catch(() => this.nc.close());
  }
}

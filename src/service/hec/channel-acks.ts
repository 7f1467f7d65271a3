/**
 * Indexer acknowledgement: with a channel (`X-Splunk-Request-Channel` or `?channel=`), a request is answered
 * as soon as it is parsed, with an `ackId` that is per channel and counts up from 0. The ack turns true only
 * once the request's events are durably stored (committed to the results store, or published to JetStream
 * with the server's acknowledgement). `/services/collector/ack` answers `{"acks": {"<id>": bool}}`; an id
 * reported true is forgotten (Splunk reports each ack once). Channels idle for `idleMs` are dropped.
 */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isChannelId(s: string): boolean {
  return GUID.test(s);
}

interface Channel {
  next: number;
  pending: Set<number>;
  done: Set<number>;
  used: number;
}

export class ChannelAcks {
  private readonly channels = new Map<string, Channel>();
  private readonly idleMs: number;

  constructor(idleMs = 10 * 60 * 1000) {
    this.idleMs = idleMs;
  }

  private channel(id: string): Channel {
    let c = this.channels.get(id);
    if (c === undefined) {
      this.sweep();
      this.channels.set(id, (c = { next: 0, pending: new Set(), done: new Set(), used: Date.now() }));
    }
    c.used = Date.now();
    return c;
  }

  /** A new ack id for a request on this channel (pending until `complete`). */
  open(channel: string): number {
    const c = this.channel(channel);
    const id = c.next++;
    c.pending.add(id);
    return id;
  }

  complete(channel: string, id: number): void {
    const c = this.channels.get(channel);
    if (c === undefined || !c.pending.delete(id)) return;
    c.done.add(id);
  }

  /** Failed requests are never acknowledged (the client resends after its ack timeout). */
  fail(channel: string, id: number): void {
    this.channels.get(channel)?.pending.delete(id);
  }

  query(channel: string, ids: readonly number[]): Record<string, boolean> {
    const c = this.channel(channel);
    const out: Record<string, boolean> = {};
    for (const id of ids) {
      // An id asked twice in one query is answered once: the second would find it used up and overwrite true.
      if (Object.hasOwn(out, String(id))) continue;
      const ok = c.done.has(id);
      out[String(id)] = ok;
      if (ok) c.done.delete(id);
    }
    return out;
  }

  private sweep(): void {
    const cutoff = Date.now() - this.idleMs;
    for (const [k, c] of this.channels) if (c.used < cutoff && c.pending.size === 0) this.channels.delete(k);
  }
}

/**
 * The HTTP front: Splunk HEC endpoints and the results API on `node:http` (or `node:https` with a
 * certificate), one token for both.
 *
 * Routes:
 * - `GET  /services/collector/health[/1.0]` → 200 `{"text":"HEC is healthy","code":17}` (no token, as Splunk).
 * - `POST /services/collector[/event][/1.0]` → concatenated JSON envelopes (hec/split-envelopes).
 * - `POST /services/collector/raw[/1.0]?sourcetype=&source=&host=` → raw text (hec/raw-events).
 * - `POST /services/collector/ack` `{"acks":[0,1]}` with a channel → `{"acks":{"0":true,"1":false}}`.
 * - `GET  /api/findings[?detection=ID]` → JSON array of `hunt --format jsonl` rows.
 * - `GET  /api/risk[?object=X]` → risk events; `GET /api/risk/rollup[?object=&at=&threshold=]` → roll-ups.
 * - `GET  /api/notables`, `GET /api/stats`, `GET /api/scheduled[?detection=ID]` (scheduled-mode runs).
 *
 * HEC semantics kept: auth is checked before the body is read; an envelope that is not JSON stops the
 * request with code 6 and its `invalid-event-number`, and the events before it are still accepted (as Splunk
 * indexes them); an envelope over the event size limit is code 6 too; a body over the limit is 413; with a
 * channel the reply carries an `ackId` at once and the ack turns true when the batch is durably stored.
 */
import { randomUUID } from "node:crypto";
import {
  createServer as createHttp,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { createServer as createHttps } from "node:https";
import type { AddressInfo } from "node:net";
import type { EventFilter } from "../../ingest/types.js";
import type { WinEvent } from "../../model/event.js";
import { ChannelAcks, isChannelId } from "../hec/channel-acks.js";
import { eventFromEnvelope } from "../hec/envelope-event.js";
import { HEC, type HecReply } from "../hec/hec-status.js";
import { rawEvents } from "../hec/raw-events.js";
import { splitEnvelopes } from "../hec/split-envelopes.js";
import { tokenChecker } from "../hec/token-check.js";
import { EventTooLarge, type Intake } from "../intake.js";
import { DEFAULT_RISK_THRESHOLD, rollUpRisk } from "../risk-rollup.js";
import type { ResultsStore } from "../store/results-store.js";
import { readBody } from "./read-body.js";

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_EVENT_BYTES = 5 * 1024 * 1024;
/** Requests not stored yet before new ones get 503 "Server is busy" (with 100-event batches: 100,000 events). */
export const DEFAULT_MAX_PENDING_BATCHES = 1000;

export interface HecServerOptions {
  token: string;
  intake: Intake;
  /** Answers the /api routes (absent: 404). */
  store?: ResultsStore;
  maxBodyBytes?: number;
  maxEventBytes?: number;
  /**
   * Requests whose events are not stored yet (a store or bus that fell behind); past this many a request gets
   * HEC's 503 "Server is busy" (code 9) and the client retries later, instead of memory growing without bound.
   */
  maxPendingBatches?: number;
  tls?: { cert: Buffer; key: Buffer };
  /** The loaded detections' sources: events they cannot use are counted but not parsed in full. */
  filter?: EventFilter;
  /** `/api/risk/rollup`'s default threshold (`--risk-threshold`; default 100). */
  riskThreshold?: number;
  report?(message: string): void;
}

export interface HecCounters {
  requests: number;
  /** Requests refused with 503 "Server is busy" (too many batches not stored yet). */
  busy?: number;
  events: number;
  /** Envelopes accepted whose event is not a Windows event we can read. */
  unreadable: number;
  /** Events accepted that no loaded detection can use (not parsed in full, not stored). */
  filtered: number;
  /** Malformed records inside raw bodies. */
  malformed: number;
  /** Rejected requests by HEC code. */
  rejected: Record<string, number>;
}

export interface HecServer {
  readonly server: Server;
  readonly counters: HecCounters;
  listen(host: string, port: number): Promise<AddressInfo>;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=UTF-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

function isBlank(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return false;
  }
  return true;
}

export function createHecServer(o: HecServerOptions): HecServer {
  const checkToken = tokenChecker(o.token);
  const maxBody = o.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxEvent = o.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
  const acks = new ChannelAcks();
  const counters: HecCounters = {
    requests: 0,
    events: 0,
    unreadable: 0,
    filtered: 0,
    malformed: 0,
    rejected: {},
  };

  const reply = (res: ServerResponse, r: HecReply) => {
    if (r.body.code !== 0 && r.body.code !== 17) {
      const k = String(r.body.code);
      counters.rejected[k] = (counters.rejected[k] ?? 0) + 1;
    }
    send(res, r.status, r.body);
  };

  const maxPending = o.maxPendingBatches ?? DEFAULT_MAX_PENDING_BATCHES;
  let pending = 0;
  /** Stores the events; answers at once with an ackId when a channel is given, else after the store. */
  const accept = async (
    res: ServerResponse,
    channel: string | undefined,
    events: WinEvent[],
    after?: HecReply,
    skipped = 0,
  ) => {
    if (pending >= maxPending) {
      counters.busy = (counters.busy ?? 0) + 1;
      reply(res, HEC.serverBusy());
      return;
    }
    pending++;
    try {
      await store(res, channel, events, after, skipped);
    } finally {
      pending--;
    }
  };
  const store = async (
    res: ServerResponse,
    channel: string | undefined,
    events: WinEvent[],
    after: HecReply | undefined,
    skipped: number,
  ) => {
    counters.events += events.length + skipped;
    const batch = { id: randomUUID(), events, skipped };
    if (channel !== undefined && after === undefined) {
      const ackId = acks.open(channel);
      reply(res, HEC.success(ackId));
      try {
        await o.intake.accept(batch);
        acks.complete(channel, ackId);
      } catch (e) {
        acks.fail(channel, ackId);
        o.report?.(`storing a batch failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      return;
    }
    try {
      if (events.length + skipped > 0) await o.intake.accept(batch);
    } catch (e) {
      o.report?.(`storing a batch failed: ${e instanceof Error ? e.message : String(e)}`);
      reply(res, e instanceof EventTooLarge ? HEC.tooLarge(e.limit) : HEC.serverError());
      return;
    }
    reply(res, after ?? HEC.success());
  };

  const channelOf = (req: IncomingMessage, url: URL): string | undefined | HecReply => {
    const c = req.headers["x-splunk-request-channel"] ?? url.searchParams.get("channel") ?? undefined;
    if (c === undefined) return undefined;
    const s = Array.isArray(c) ? c[0] : c;
    return isChannelId(s) ? s : HEC.invalidChannel();
  };

  const body = async (req: IncomingMessage, res: ServerResponse): Promise<Buffer | undefined> => {
    const b = await readBody(req, maxBody);
    if ("tooLarge" in b) reply(res, HEC.tooLarge(maxBody));
    else if ("badEncoding" in b) reply(res, HEC.invalidDataFormat(0));
    else if (isBlank(b.body)) reply(res, HEC.noData());
    else return b.body;
    return undefined;
  };

  const onEvent = async (req: IncomingMessage, res: ServerResponse, channel: string | undefined) => {
    const b = await body(req, res);
    if (b === undefined) return;
    const events: WinEvent[] = [];
    let i = 0;
    let skipped = 0;
    let error: HecReply | undefined;
    for (const part of splitEnvelopes(b.toString("utf8"))) {
      if ("error" in part) {
        error = HEC.invalidDataFormat(i);
        break;
      }
      if (part.text.length * 3 > maxEvent && Buffer.byteLength(part.text) > maxEvent) {
        error = HEC.invalidDataFormat(i);
        break;
      }
      const r = eventFromEnvelope(part.text, o.filter);
      if (r.kind === "error") {
        error =
          r.code === 12 ? HEC.eventRequired(i) : r.code === 13 ? HEC.eventBlank(i) : HEC.invalidDataFormat(i);
        break;
      }
      if (r.kind === "event") {
        const e = r.event as WinEvent;
        e.origin = { file: "hec:/services/collector/event", line: i + 1 };
        events.push(e);
      } else if (r.kind === "filtered") {
        counters.filtered++;
        skipped++;
      } else counters.unreadable++;
      i++;
    }
    await accept(res, channel, events, error, skipped);
  };

  const onRaw = async (req: IncomingMessage, res: ServerResponse, url: URL, channel: string | undefined) => {
    const b = await body(req, res);
    if (b === undefined) return;
    const p = url.searchParams;
    const r = await rawEvents(b, {
      sourcetype: p.get("sourcetype") ?? undefined,
      source: p.get("source") ?? undefined,
      file: `hec:/services/collector/raw${p.get("source") ? `?source=${p.get("source")}` : ""}`,
      maxEventChars: maxEvent,
    });
    counters.malformed += r.malformed;
    await accept(res, channel, r.events);
  };

  const onAck = async (req: IncomingMessage, res: ServerResponse, channel: string | undefined) => {
    if (channel === undefined) return reply(res, HEC.channelMissing());
    const b = await body(req, res);
    if (b === undefined) return;
    let v: unknown;
    try {
      v = JSON.parse(b.toString("utf8"));
    } catch {
      return reply(res, HEC.invalidDataFormat(0));
    }
    const ids = typeof v === "object" && v !== null ? (v as { acks?: unknown }).acks : undefined;
    if (!Array.isArray(ids) || !ids.every((x) => Number.isInteger(x)))
      return reply(res, HEC.invalidDataFormat(0));
    send(res, 200, { acks: acks.query(channel, ids as number[]) });
  };

  const onApi = async (res: ServerResponse, url: URL) => {
    const store = o.store;
    if (store === undefined) return reply(res, HEC.notFound());
    const p = url.searchParams;
    switch (url.pathname) {
      case "/api/findings":
        return send(res, 200, `[${(await store.findingLines(p.get("detection") ?? undefined)).join(",")}]`);
      case "/api/risk":
        return send(res, 200, await store.riskEvents(p.get("object") ?? undefined));
      case "/api/risk/rollup": {
        const at = p.get("at");
        const threshold = p.get("threshold");
        const atMs = at === null ? undefined : Date.parse(at);
        if (atMs !== undefined && !Number.isFinite(atMs))
          return send(res, 400, {
            text: `at=${at} is not a date (ISO 8601, e.g. 2021-01-15T10:00:00Z)`,
            code: 400,
          });
        const score = threshold === null ? (o.riskThreshold ?? DEFAULT_RISK_THRESHOLD) : Number(threshold);
        if (threshold !== null && (threshold.trim() === "" || !Number.isFinite(score) || score < 0))
          return send(res, 400, { text: `threshold=${threshold} is not a number (0 or more)`, code: 400 });
        return send(
          res,
          200,
          rollUpRisk(await store.riskEvents(p.get("object") ?? undefined), { at: atMs, threshold: score }),
        );
      }
      case "/api/scheduled":
        return send(res, 200, await store.scheduledRuns(p.get("detection") ?? undefined));
      case "/api/notables":
        return send(res, 200, await store.notables());
      case "/api/stats":
        return send(res, 200, { intake: counters, store: await store.counts() });
      default:
        return reply(res, HEC.notFound());
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    // A request target that is no URL path (`//[`, `http://x:99999/`) is the client's error, not a 500.
    let url: URL;
    try {
      url = new URL(req.url ?? "/", "http://localhost");
    } catch {
      req.resume();
      return reply(res, HEC.notFound());
    }
    const path = url.pathname.replace(/\/+$/, "").replace(/\/1\.0$/, "");
    if (path === "/services/collector/health") return reply(res, HEC.healthy());
    const isHec = path.startsWith("/services/collector");
    if (!isHec && !path.startsWith("/api/")) {
      req.resume();
      return reply(res, HEC.notFound());
    }
    // Splunk refuses `?token=` unless an admin enabled it per token; Winnow never does (tokens stay out of logs).
    const denied = url.searchParams.has("token")
      ? HEC.queryStringAuthorization()
      : checkToken(req.headers.authorization);
    if (denied !== undefined) {
      req.resume();
      return reply(res, denied);
    }
    if (!isHec) {
      req.resume();
      if (req.method !== "GET") return reply(res, HEC.methodNotAllowed());
      return onApi(res, url);
    }
    if (req.method !== "POST") {
      req.resume();
      return reply(res, HEC.methodNotAllowed());
    }
    const channel = channelOf(req, url);
    if (typeof channel === "object") {
      req.resume();
      return reply(res, channel);
    }
    counters.requests++;
    if (path === "/services/collector" || path === "/services/collector/event")
      return onEvent(req, res, channel);
    if (path === "/services/collector/raw") return onRaw(req, res, url, channel);
    if (path === "/services/collector/ack") return onAck(req, res, channel);
    req.resume();
    return reply(res, HEC.notFound());
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((e: unknown) => {
      o.report?.(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      if (!res.headersSent) send(res, 500, HEC.serverError().body);
      else res.destroy();
    });
  };
  const server: Server = o.tls
    ? createHttps({ cert: o.tls.cert, key: o.tls.key }, listener)
    : createHttp(listener);
  server.keepAliveTimeout = 65_000;

  return {
    server,
    counters,
    listen: (host, port) =>
      new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => resolve(server.address() as AddressInfo));
      }),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

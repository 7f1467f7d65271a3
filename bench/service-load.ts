/**
 * Bounded loopback load test for `winnow serve` (issue #9): sustained events/s through HEC and p99 latency
 * from sending a request to its finding being stored, single node (SQLite) and with the bus (JetStream +
 * PostgreSQL + in-process workers). Runs its own client loop for a fixed time and stops by itself.
 *
 *   node --import tsx bench/service-load.ts [--seconds 8] [--concurrency 16] [--batch 100] [--mode single|bus|both]
 *     [--workers 2]
 *
 * Traffic: real XmlWinEventLog lines (the Sysmon EVTX of derived-positives rendered as XML, plus the attack
 * range log) as `event` strings, `--batch` envelopes per request. Every 20th request carries one positive winrs
 * event with a unique command line: its finding row is what the latency is measured to.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { Worker as Thread } from "node:worker_threads";
import { loadContent } from "../src/content/index.js";
import type { DetectionResult } from "../src/engine/hunt.js";
import { StreamSession } from "../src/engine/stream-session.js";
import { readInputs } from "../src/ingest/read-inputs.js";
import { renderEventXml } from "../src/output/event-xml.js";
import { BusIntake } from "../src/service/bus/bus-intake.js";
import { createHecServer, type HecServer } from "../src/service/http/hec-server.js";
import type { Intake } from "../src/service/intake.js";
import { LocalIntake } from "../src/service/local-intake.js";
import type { PostgresStore } from "../src/service/store/postgres-store.js";
import { SqliteStore } from "../src/service/store/sqlite-store.js";
import { openRun, removeRun, runNames, startWorker, stopCli } from "../test/service/services.js";

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i].replace(/^--/, ""), process.argv[i + 1]);
const SECONDS = Number(args.get("seconds") ?? 8);
const CONCURRENCY = Number(args.get("concurrency") ?? 16);
const BATCH = Number(args.get("batch") ?? 100);
const MODE = args.get("mode") ?? "both";
const WORKERS = Number(args.get("workers") ?? 2);
const TOKEN = "bench";
const SHARED = new URL("../../shared/data/derived-positives/", import.meta.url).pathname;
const WINRS = "0dd296a2-4338-11ec-ba02-3e22fbd008af";

const content = loadContent([]);

async function trafficLines(): Promise<{ background: string[]; positive: string }> {
  const it = readInputs([`${SHARED}derived_winrs_sysmon_Win10_APTSimulatorVM.evtx`], { report: () => {} });
  const background: string[] = [];
  for (let n = await it.next(); n.done !== true; n = await it.next())
    for (const e of n.value) background.push(renderEventXml(e));
  const xml = readFileSync(`${SHARED}derived_winrs_xmlwineventlog_attackrange.xml.log`, "utf8").split(
    /\r?\n/,
  );
  const positive = xml.find((l) => l.includes("-r:win-srv-02"));
  if (positive === undefined) throw new Error("no positive line in the attack range log");
  // Background: no winrs positives (drop every line that mentions winrs) so only marked events make findings.
  return {
    background: [...background, ...xml].filter((l) => l.trim() !== "" && !/winrs|rs\.exe/i.test(l)),
    positive,
  };
}

function p(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

interface Figures {
  mode: string;
  seconds: number;
  requests: number;
  events: number;
  eventsPerSecond: number;
  serverCpuSeconds: number | undefined;
  eventsPerServerCpuSecond: number | undefined;
  loadAverage: number;
  findings: number;
  latencyMs: { p50: number; p99: number; max: number };
}

/** The client loop runs in a worker thread (its own event loop and core), as an external sender would. */
const CLIENT = `
const { parentPort, workerData } = require("node:worker_threads");
const { randomBytes } = require("node:crypto");
const { base, token, bodies, positive, seconds, concurrency, batch } = workerData;
const now = () => performance.timeOrigin + performance.now();
let requests = 0, events = 0;
const started = now();
const until = started + seconds * 1000;
async function client(c) {
  let k = c;
  while (now() < until) {
    let body = bodies[k % bodies.length];
    let marker;
    if (k % 20 === 0) {
      marker = "bench-" + randomBytes(6).toString("hex");
      body = JSON.stringify({ event: positive.replace("hostname", "hostname " + marker) }) + "\\n" + body;
      parentPort.postMessage({ marker, t0: now() });
    }
    const r = await fetch(base + "/services/collector/event", { method: "POST", headers: { authorization: "Splunk " + token }, body });
    await r.arrayBuffer();
    if (r.status !== 200) throw new Error("HTTP " + r.status);
    requests++;
    events += batch + (marker === undefined ? 0 : 1);
    k += concurrency;
  }
}
Promise.all(Array.from({ length: concurrency }, (_, c) => client(c))).then(() =>
  parentPort.postMessage({ done: true, requests, events, seconds: (now() - started) / 1000 }));
`;

const absNow = () => performance.timeOrigin + performance.now();

/**
 * CPU seconds used by this process's main thread (the server: HTTP, parsing, detection, SQLite), from
 * /proc on Linux; undefined elsewhere. On a shared, loaded machine wall-clock events/s understate what one
 * free core sustains; events per main-thread CPU second does not depend on the load.
 */
function mainThreadCpu(): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) / 100; // utime + stime, in USER_HZ (100 on Linux)
  } catch {
    return undefined;
  }
}

async function drive(
  server: HecServer,
  traffic: { background: string[]; positive: string },
  pending: Map<string, number>,
): Promise<{ requests: number; events: number; seconds: number }> {
  const base = `http://127.0.0.1:${(server.server.address() as { port: number }).port}`;
  const bodies: string[] = [];
  for (let k = 0; k < 64; k++) {
    const start = (k * BATCH) % traffic.background.length;
    const lines = [];
    for (let j = 0; j < BATCH; j++) lines.push(traffic.background[(start + j) % traffic.background.length]);
    bodies.push(lines.map((l) => JSON.stringify({ sourcetype: "XmlWinEventLog", event: l })).join("\n"));
  }
  const done = await new Promise<{ requests: number; events: number; seconds: number }>((resolve, reject) => {
    const w = new Thread(CLIENT, {
      eval: true,
      workerData: {
        base,
        token: TOKEN,
        bodies,
        positive: traffic.positive,
        seconds: SECONDS,
        concurrency: CONCURRENCY,
        batch: BATCH,
      },
    });
    w.on(
      "message",
      (m: {
        marker?: string;
        t0?: number;
        done?: boolean;
        requests: number;
        events: number;
        seconds: number;
      }) => {
        if (m.marker !== undefined && m.t0 !== undefined) {
          if (!pending.has(m.marker)) pending.set(m.marker, m.t0);
        } else if (m.done) {
          resolve(m);
          void w.terminate();
        }
      },
    );
    w.on("error", reject);
  });
  return done;
}

function watcher(stored: Map<string, number>) {
  const seen = new Set<string>();
  return (results: readonly DetectionResult[]) => {
    const now = absNow();
    for (const r of results) {
      if (r.detection.id !== WINRS) continue;
      for (const row of r.rows) {
        const m = /bench-[0-9a-f]{12}/.exec(String(row.process ?? ""));
        if (m === null) continue;
        if (seen.has(m[0])) continue;
        seen.add(m[0]);
        stored.set(m[0], now);
      }
    }
  };
}

async function measure(
  mode: "single" | "bus",
  traffic: { background: string[]; positive: string },
): Promise<Figures> {
  const pending = new Map<string, number>();
  const stored = new Map<string, number>();
  const onStored = watcher(stored);
  const cleanup: (() => Promise<void>)[] = [];
  let intake: Intake;
  let store: SqliteStore | PostgresStore;
  const session = new StreamSession(content);
  if (mode === "single") {
    const dir = mkdtempSync(join(tmpdir(), "winnow-bench-"));
    store = new SqliteStore(join(dir, "bench.sqlite"));
    await store.migrate();
    const local = await LocalIntake.open({ session, store, onStored });
    intake = local;
    cleanup.push(async () => {
      await local.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });
  } else {
    const names = runNames("bench");
    const { store: pg, bus } = await openRun(names);
    store = pg;
    intake = new BusIntake(bus, session.filter);
    // Workers are separate processes (as in production); each prints new findings as JSON lines on stdout,
    // which is where the stored time of a marked finding is taken.
    const workers = Array.from({ length: WORKERS }, () => {
      let buf = "";
      return startWorker(names, [], (chunk) => {
        const now = absNow();
        buf += chunk;
        const lines = buf.split("\n");
        buf = lines.pop() ?? "";
        for (const l of lines) {
          const m = /bench-[0-9a-f]{12}/.exec(l);
          if (m !== null && !stored.has(m[0])) stored.set(m[0], now);
        }
      });
    });
    await Promise.all(workers.map((w) => w.ready));
    cleanup.push(async () => {
      await Promise.all(workers.map((w) => stopCli(w.child)));
      await removeRun(bus, pg);
    });
  }
  const server = createHecServer({ token: TOKEN, intake, store, filter: session.filter });
  await server.listen("127.0.0.1", 0);
  const cpu0 = mainThreadCpu();
  const done = await drive(server, traffic, pending);
  const cpu1 = mainThreadCpu();
  const cpu = cpu0 === undefined || cpu1 === undefined ? undefined : cpu1 - cpu0;
  const waitUntil = performance.now() + 30_000;
  while ([...pending.keys()].some((k) => !stored.has(k)) && performance.now() < waitUntil) {
    await new Promise((r) => setTimeout(r, 20));
  }
  const latencies = [...pending].filter(([k]) => stored.has(k)).map(([k, t0]) => (stored.get(k) ?? 0) - t0);
  const lost = pending.size - latencies.length;
  if (lost > 0) process.stderr.write(`warning: ${lost} findings were not stored within 30 s\n`);
  await server.close();
  for (const c of cleanup) await c();
  latencies.sort((a, b) => a - b);
  return {
    mode,
    seconds: Math.round(done.seconds * 10) / 10,
    requests: done.requests,
    events: done.events,
    eventsPerSecond: Math.round(done.events / done.seconds),
    serverCpuSeconds: cpu === undefined ? undefined : Math.round(cpu * 10) / 10,
    eventsPerServerCpuSecond: cpu === undefined || cpu === 0 ? undefined : Math.round(done.events / cpu),
    loadAverage: Math.round(loadavg()[0] * 10) / 10,
    findings: latencies.length,
    latencyMs: {
      p50: Math.round(p(latencies, 0.5)),
      p99: Math.round(p(latencies, 0.99)),
      max: Math.round(latencies[latencies.length - 1] ?? Number.NaN),
    },
  };
}

const traffic = await trafficLines();
process.stderr.write(
  `traffic: ${traffic.background.length} distinct XmlWinEventLog lines, ${BATCH} events/request, ${CONCURRENCY} connections, ${SECONDS} s per mode\n`,
);
for (const mode of MODE === "both" ? (["single", "bus"] as const) : [MODE as "single" | "bus"]) {
  const f = await measure(mode, traffic);
  process.stdout.write(`${JSON.stringify(f)}\n`);
}

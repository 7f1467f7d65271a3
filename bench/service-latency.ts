/**
 * Bounded latency test for `winnow serve` at volume (issue #9, "a finding within a second at any volume"): the
 * store is seeded with N matching events (each a winrs positive with its own command line, so N distinct rows
 * of the flagship and of the pack's source-side detection), then single 1-event requests are sent and timed
 * from sending to the stored finding. Stops by itself.
 *
 *   node --import tsx bench/service-latency.ts [--sizes 3000,5000,30000] [--requests 5] [--mode sqlite|postgres|worker|all]
 *     [--profile DIR]   (a CPU profile of the measured requests only, per mode and size, for Chrome DevTools)
 *
 * - sqlite:   single node, SQLite store, request over HTTP (HEC `/services/collector/event`), stored = the
 *             recompute's transaction committed (LocalIntake's onStored).
 * - postgres: the same on PostgreSQL (`serve --store postgres://…` without --bus).
 * - worker:   a bus worker's step (processMessages on PostgreSQL: commit the message, recompute under the
 *             advisory lock), without NATS.
 *
 * Reports per size: the median and max wall latency, the median CPU time of this process per request (user +
 * system, all threads: the HTTP client is in-process too), the rows the store wrote per request, and the load
 * average. Seeding writes the records directly (store.commitBatches) and lets LocalIntake.open rebuild once.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { loadContent } from "../src/content/index.js";
import type { DetectionResult } from "../src/engine/hunt.js";
import { StreamSession } from "../src/engine/stream-session.js";
import { parseEventXml } from "../src/ingest/xml/parse-event-xml.js";
import type { WinEvent } from "../src/model/event.js";
import { createHecServer } from "../src/service/http/hec-server.js";
import { LocalIntake } from "../src/service/local-intake.js";
import { PostgresStore } from "../src/service/store/postgres-store.js";
import type { ResultsStore } from "../src/service/store/results-store.js";
import { SqliteStore } from "../src/service/store/sqlite-store.js";
import { processMessages } from "../src/service/worker.js";

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i].replace(/^--/, ""), process.argv[i + 1]);
const SIZES = (args.get("sizes") ?? "3000,5000,30000").split(",").map(Number);
const REQUESTS = Number(args.get("requests") ?? 5);
const MODE = args.get("mode") ?? "sqlite";
const PROFILE = args.get("profile");

/** Profiles what runs between start() and stop() (the measured requests, not the seeding). */
async function profiler(name: string) {
  if (PROFILE === undefined) return { start: async () => {}, stop: async () => {} };
  const s = new Session();
  s.connect();
  await s.post("Profiler.enable");
  return {
    start: () => s.post("Profiler.start"),
    async stop() {
      const { profile } = await s.post("Profiler.stop");
      writeFileSync(join(PROFILE, `${name}.cpuprofile`), JSON.stringify(profile));
      s.disconnect();
    },
  };
}
const TOKEN = "bench";
const WINRS = "0dd296a2-4338-11ec-ba02-3e22fbd008af";
const PG = "postgres://postgres@127.0.0.1:5432/test";
const LOG = new URL(
  "../../shared/data/derived-positives/derived_winrs_xmlwineventlog_attackrange.xml.log",
  import.meta.url,
).pathname;

const content = loadContent([]);
const positive = readFileSync(LOG, "utf8")
  .split(/\r?\n/)
  .find((l) => l.includes("-r:win-srv-02"));
if (positive === undefined) throw new Error("no positive line in the attack range log");

/** The positive with a marker in its command line (a distinct row) and its own record id. */
function marked(marker: string, n: number): string {
  return positive!
    .replace("hostname", `hostname ${marker}`)
    .replace(/<EventRecordID>\d+</, `<EventRecordID>${100000000 + n}<`);
}

function eventOf(xml: string): WinEvent {
  const r = parseEventXml(xml);
  if ("error" in r) throw new Error(`the positive does not parse: ${r.error}`);
  return { ...r.event, origin: { file: "bench", line: 1 } } as WinEvent;
}

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function openStore(mode: string): Promise<{ store: ResultsStore; drop(): Promise<void> }> {
  if (mode === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "winnow-latency-"));
    const store = new SqliteStore(join(dir, "s.sqlite"));
    await store.migrate();
    return {
      store,
      drop: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const store = new PostgresStore(`${PG}?schema=winnow_latency_${randomBytes(4).toString("hex")}`);
  await store.migrate();
  return {
    store,
    drop: async () => {
      await store.dropSchema();
      await store.close();
    },
  };
}

async function seed(store: ResultsStore, session: StreamSession, n: number): Promise<void> {
  for (let i = 0; i < n; i += 1000) {
    const events = [];
    for (let j = i; j < Math.min(n, i + 1000); j++)
      events.push({ uid: `seed:${j}`, event: eventOf(marked(`seed-${j}`, j)) });
    await store.commitBatches([
      { batch: { id: `seed-${i}`, events: events.length }, records: session.relevantFor(events) },
    ]);
  }
}

async function measure(mode: string, n: number) {
  const { store, drop } = await openStore(mode === "worker" ? "postgres" : mode);
  const session = new StreamSession(content);
  await seed(store, session, n);
  const latencies: number[] = [];
  const cpus: number[] = [];
  const written: number[] = [];
  const prof = await profiler(`${mode}-${n}`);
  // Older stores have no write counter: rows written is then left out.
  const writes = () => (store as { written?: number }).written ?? Number.NaN;
  if (mode === "worker") {
    // The first message (not measured) is the worker's first recompute: it reads every stored record and
    // stores every result, as a worker joining a running system does once.
    for (let k = -1; k < REQUESTS; k++) {
      if (k === 0) await prof.start();
      const marker = `bench-${randomBytes(6).toString("hex")}`;
      const msg = {
        id: `req-${k}.0`,
        count: 1,
        events: [{ uid: `req-${k}:0`, event: eventOf(marked(marker, n + k)) }],
      };
      const w0 = writes();
      const c0 = cpu();
      const t0 = performance.now();
      const out: unknown = await processMessages([msg], session, store);
      const t1 = performance.now();
      const c1 = cpu();
      const results = (
        Array.isArray(out) ? out : (out as { results: DetectionResult[] }).results
      ) as DetectionResult[];
      if (k >= 0) {
        latencies.push(t1 - t0);
        cpus.push(c1 - c0);
        written.push(writes() - w0);
      }
      const rows = results.find((r) => r.detection.id === WINRS)?.rows ?? [];
      if (!rows.some((r) => String(r.process).includes(marker))) throw new Error("finding not stored");
    }
  } else {
    let waiting: { marker: string; resolve: () => void } | undefined;
    const onStored = (results: readonly DetectionResult[]) => {
      const w = waiting;
      if (w === undefined) return;
      const rows = results.find((r) => r.detection.id === WINRS)?.rows ?? [];
      if (rows.some((r) => String(r.process).includes(w.marker))) {
        waiting = undefined;
        w.resolve();
      }
    };
    const open0 = performance.now();
    const intake = await LocalIntake.open({ session, store, onStored });
    const openSeconds = (performance.now() - open0) / 1000;
    const server = createHecServer({ token: TOKEN, intake, store, filter: session.filter });
    const base = `http://127.0.0.1:${(await server.listen("127.0.0.1", 0)).port}`;
    await prof.start();
    for (let k = 0; k < REQUESTS; k++) {
      const marker = `bench-${randomBytes(6).toString("hex")}`;
      const body = JSON.stringify({ sourcetype: "XmlWinEventLog", event: marked(marker, n + k) });
      const stored = new Promise<void>((resolve) => {
        waiting = { marker, resolve };
      });
      const w0 = writes();
      const c0 = cpu();
      const t0 = performance.now();
      const r = await fetch(`${base}/services/collector/event`, {
        method: "POST",
        headers: { authorization: `Splunk ${TOKEN}` },
        body,
      });
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`HTTP ${r.status}`);
      await stored;
      latencies.push(performance.now() - t0);
      cpus.push(cpu() - c0);
      await intake.settled();
      written.push(writes() - w0);
    }
    await server.close();
    await intake.close();
    process.stderr.write(
      `  ${mode} n=${n}: LocalIntake.open (rebuild from the store) ${openSeconds.toFixed(2)} s\n`,
    );
  }
  await prof.stop();
  await drop();
  return {
    mode,
    matchingEvents: n,
    requests: REQUESTS,
    latencyMs: { median: Math.round(median(latencies)), max: Math.round(Math.max(...latencies)) },
    cpuSecondsPerRequest: Math.round(median(cpus) * 1000) / 1000,
    rowsWrittenPerRequest: Number.isNaN(median(written)) ? undefined : median(written),
    loadAverage: Math.round(loadavg()[0] * 10) / 10,
  };
}

for (const mode of MODE === "all" ? ["sqlite", "postgres", "worker"] : [MODE]) {
  for (const n of SIZES) process.stdout.write(`${JSON.stringify(await measure(mode, n))}\n`);
}

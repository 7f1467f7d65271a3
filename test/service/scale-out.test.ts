/**
 * Scale-out on the real NATS JetStream (127.0.0.1:4222) and PostgreSQL (127.0.0.1:5432, database `test`):
 * the HEC intake publishes, three `winnow worker` processes share the durable consumer, one is killed
 * (SIGKILL) mid-stream, and the stored findings and risk events are still exactly hunt's — no loss, no double
 * count. A duplicated message (same batch, new message id) adds nothing.
 *
 * Needs the services: without them the tests skip with a line saying so, unless WINNOW_REQUIRE_SERVICES=1
 * (CI), where they fail. Each run uses its own stream, subjects, consumer and schema, and removes them.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import { loadContent } from "../../src/content/index.js";
import { hunt } from "../../src/engine/hunt.js";
import { StreamSession } from "../../src/engine/stream-session.js";
import { renderEventXml } from "../../src/output/event-xml.js";
import { jsonlLines } from "../../src/output/jsonl.js";
import { BusIntake } from "../../src/service/bus/bus-intake.js";
import { busMessages, type EventBus } from "../../src/service/bus/event-bus.js";
import { createHecServer, type HecServer } from "../../src/service/http/hec-server.js";
import { LocalIntake } from "../../src/service/local-intake.js";
import { PostgresStore } from "../../src/service/store/postgres-store.js";
import { processMessages } from "../../src/service/worker.js";
import { eventsOf } from "../ingest/collect-events.js";
import { REPO, sharedPath } from "../support/shared.js";
import {
  type CliProcess,
  drained,
  killAll,
  missingServices,
  openRun,
  PG,
  removeRun,
  runNames,
  skipWithout,
  startWorker,
} from "./services.js";

const TOKEN = "scale-out-token";
const DP = sharedPath("data/derived-positives/");
const XML_LOG = `${DP}derived_winrs_xmlwineventlog_attackrange.xml.log`;
const OTRF_JSON = `${DP}derived_winrs_otrf_workstation6.json`;
const EVTX = [`${DP}derived_winrs_4688_fs03vuln.evtx`, `${DP}derived_winrs_sysmon_Win10_APTSimulatorVM.evtx`];
const MIXED_RAW = sharedPath("data/splunk-attack-data/certutil_exe_certificate_extraction.raw");
const EXAMPLES = [
  `${REPO}examples/sysmon-operational.xml.log`,
  `${REPO}examples/security-4688.winlogbeat.jsonl`,
];

const skip = await skipWithout("scale-out tests", ["nats", "postgres"]);

const names = runNames("test");
const sorted = (xs: Iterable<string>) => [...xs].sort();
const content = loadContent([]);

describe("scale-out: intake + 3 workers on NATS JetStream and PostgreSQL", { skip }, () => {
  let bus: EventBus;
  let store: PostgresStore;
  let server: HecServer;
  let base: string;
  const workers: CliProcess[] = [];

  before(async () => {
    const missing = await missingServices(["nats", "postgres"]);
    assert.deepEqual(
      missing,
      [],
      `services required (WINNOW_REQUIRE_SERVICES=1) but missing: ${missing.join(", ")}`,
    );
    ({ store, bus } = await openRun(names, { ackWaitMs: 2000 }));
    const session = new StreamSession(content);
    server = createHecServer({
      token: TOKEN,
      intake: new BusIntake(bus, session.filter),
      store,
      filter: session.filter,
    });
    base = `http://127.0.0.1:${(await server.listen("127.0.0.1", 0)).port}`;
  });

  after(async () => {
    killAll(workers.map((w) => w.child));
    await server?.close();
    await removeRun(bus, store);
  });

  async function startQuietWorker(i: number): Promise<void> {
    workers[i] = startWorker(names, ["--batch", "3", "--no-alerts"]);
    await workers[i].ready;
  }

  async function post(path: string, body: string | Buffer, headers: Record<string, string> = {}) {
    const r = await fetch(base + path, {
      method: "POST",
      headers: { authorization: `Splunk ${TOKEN}`, ...headers },
      body: typeof body === "string" ? body : new Uint8Array(body),
    });
    assert.equal(r.status, 200, await r.text());
  }

  it("ends with hunt's findings and risk events after one of three workers is killed mid-stream", async () => {
    await Promise.all([0, 1, 2].map(startQuietWorker));
    // Send everything in small requests (many messages), event and raw endpoints, gzip and not.
    const xml = readFileSync(XML_LOG, "utf8")
      .split(/\r?\n/)
      .filter((l) => l.trim() !== "");
    for (let i = 0; i < xml.length; i += 3) {
      await post(
        "/services/collector/event",
        xml
          .slice(i, i + 3)
          .map((l) => JSON.stringify({ event: l }))
          .join(""),
      );
    }
    const objs = readFileSync(OTRF_JSON, "utf8")
      .split(/\r?\n/)
      .filter((l) => l.trim() !== "");
    await post("/services/collector/event", gzipSync(objs.map((o) => `{"event":${o}}`).join("\n")), {
      "content-encoding": "gzip",
    });
    await post("/services/collector/raw", readFileSync(MIXED_RAW));
    // examples/ (the README's logs) hold a winrs hop with its target side: the pack's edge is correlated too.
    for (const f of EXAMPLES) await post("/services/collector/raw", readFileSync(f));
    const lines = (await eventsOf(EVTX)).map(renderEventXml);
    let left = -1;
    let killedAt = Number.POSITIVE_INFINITY;
    const kill = async () => {
      const info = await bus.jsm.consumers.info(names.stream, names.durable);
      left = info.num_pending + info.num_ack_pending;
      workers[0].child.kill("SIGKILL");
    };
    for (let i = 0; i < lines.length; i += 25) {
      await post("/services/collector/raw?sourcetype=XmlWinEventLog", lines.slice(i, i + 25).join("\n"));
      if (left === -1 && workers[0].stderr.includes("stored")) {
        await kill();
        killedAt = i;
      }
    }
    if (left === -1) await kill();
    // Mid-stream: more requests were sent after the kill, or messages were still waiting when it happened.
    assert.ok(
      killedAt < lines.length - 25 || left > 0,
      `worker 0 killed mid-stream (at ${killedAt}, ${left} left)`,
    );
    await drained(bus, 30_000);
    assert.ok(
      workers[1].stderr.includes("stored") || workers[2].stderr.includes("stored"),
      "the surviving workers processed messages",
    );

    const h = await hunt({ paths: [XML_LOG, OTRF_JSON, MIXED_RAW, ...EVTX, ...EXAMPLES], content });
    const findings = await store.findingLines();
    assert.equal(findings.filter((f) => f.includes("0dd296a2-4338-11ec-ba02-3e22fbd008af")).length, 22);
    assert.equal(
      findings.filter((f) => f.includes('"detection":"WinRM Pack - Lateral Movement Edge"')).length,
      1,
    );
    assert.deepEqual(sorted(findings), sorted(jsonlLines(h.results)));
    const risk = await store.riskEvents();
    assert.deepEqual(
      sorted(risk.map((x) => JSON.stringify(x))),
      sorted(h.results.flatMap((r) => r.risk.map((x) => JSON.stringify(x)))),
    );
    const counts = await store.counts();
    assert.equal(counts.events, server.counters.events);

    // A duplicated message (same batch id, a new message id so JetStream does not drop it) adds nothing.
    const dupEvents = (await eventsOf([XML_LOG])).slice(0, 3);
    const intake = new BusIntake(bus, () => true);
    await intake.accept({ id: `dup-${names.run}`, events: dupEvents });
    await drained(bus, 30_000);
    const once = { counts: await store.counts(), findings: sorted(await store.findingLines()) };
    for (const { host, msg } of busMessages({ id: `dup-${names.run}`, events: dupEvents }, () => true)) {
      await bus.js.publish(`${names.prefix}.${host}`, JSON.stringify(msg), { msgID: `again-${msg.id}` });
    }
    await drained(bus, 30_000);
    assert.deepEqual(await store.counts(), once.counts);
    assert.deepEqual(sorted(await store.findingLines()), once.findings);
  });

  it("single node on PostgreSQL (serve --store postgres://… without --bus) gives hunt's findings too", async () => {
    const pg = new PostgresStore(`${PG}?schema=${names.schema}_single`);
    try {
      await pg.migrate();
      const local = await LocalIntake.open({ session: new StreamSession(content), store: pg });
      const events = await eventsOf([XML_LOG, ...EVTX]);
      for (let i = 0; i < events.length; i += 200) {
        await local.accept({ id: `single-${names.run}-${i}`, events: events.slice(i, i + 200) });
      }
      await local.settled();
      const h = await hunt({ paths: [XML_LOG, ...EVTX], content });
      assert.deepEqual(sorted(await pg.findingLines()), sorted(jsonlLines(h.results)));
      assert.equal((await pg.counts()).events, events.length);
      // A restart on the same schema rebuilds the same results.
      const again = await LocalIntake.open({ session: new StreamSession(content), store: pg });
      assert.deepEqual(sorted(await pg.findingLines()), sorted(jsonlLines(h.results)));
      await again.close();
      await local.close();
    } finally {
      await pg.dropSchema();
      await pg.close();
    }
  });

  it("processMessages is idempotent: the same messages twice store and count the same", async () => {
    const session = new StreamSession(content);
    const events = await eventsOf([`${DP}derived_winrs_4688_fs03vuln.evtx`]);
    const msgs = busMessages({ id: `direct-${names.run}`, events }, () => true).map((m) => m.msg);
    const first = (await processMessages(msgs, session, store)).results;
    const c1 = await store.counts();
    const second = (await processMessages(msgs, session, store)).results;
    assert.deepEqual(await store.counts(), c1);
    assert.deepEqual(
      second.map((r) => r.rows.length),
      first.map((r) => r.rows.length),
    );
  });
});

/**
 * Bus mode on the real NATS JetStream and PostgreSQL, three `winnow worker` processes with their alerts on
 * stdout and `--risk-threshold 150`: the stored findings and risk events are exactly hunt's, the WinRM pack's
 * lateral-movement edge included (examples/ holds one hop with its target side); every risk incident is printed
 * by exactly one worker, the printed ones are the stored ones, and each entity's last incident carries its
 * whole 24-hour sum as worked out from hunt's risk events (expected-incidents.ts).
 *
 * `serve --bus` creates no consumer, and its log names the bus without its URL's password.
 *
 * Skips with a line saying so without the services, unless WINNOW_REQUIRE_SERVICES=1 (CI). Its own stream,
 * subjects, consumer and schema, removed at the end.
 */
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { loadContent } from "../../src/content/index.js";
import { hunt } from "../../src/engine/hunt.js";
import { StreamSession } from "../../src/engine/stream-session.js";
import { jsonlLines } from "../../src/output/jsonl.js";
import { BusIntake } from "../../src/service/bus/bus-intake.js";
import type { EventBus } from "../../src/service/bus/event-bus.js";
import type { RiskIncident } from "../../src/service/risk-rollup.js";
import type { PostgresStore } from "../../src/service/store/postgres-store.js";
import { eventsOf } from "../ingest/collect-events.js";
import { REPO, sharedPath } from "../support/shared.js";
import { expectedIncidentSums, incidentLines, lastIncidentSums } from "./expected-incidents.js";
import {
  drained,
  killAll,
  NATS,
  openRun,
  removeRun,
  runNames,
  skipWithout,
  startCli,
  startWorker,
  stopCli,
} from "./services.js";

const skip = await skipWithout("bus-mode incidents and edges", ["nats", "postgres"]);
const DP = sharedPath("data/derived-positives/");
const PATHS = [
  `${REPO}examples/sysmon-operational.xml.log`,
  `${REPO}examples/security-4688.winlogbeat.jsonl`,
  `${DP}derived_winrs_xmlwineventlog_attackrange.xml.log`,
  `${DP}derived_winrs_otrf_workstation6.json`,
  `${DP}derived_winrs_4688_fs03vuln.evtx`,
];
const names = runNames("inc");
const content = loadContent([]);
const sorted = (xs: Iterable<string>) => [...xs].sort();

describe("bus mode: risk incidents sent once by three workers, and the lateral-movement edges", {
  skip,
}, () => {
  let bus: EventBus;
  let store: PostgresStore;
  const workers: ChildProcess[] = [];
  const stdout: string[] = [];

  before(async () => {
    ({ store, bus } = await openRun(names));
  });

  after(async () => {
    killAll(workers);
    await removeRun(bus, store);
  });

  async function startWorkerPrinting(i: number): Promise<void> {
    stdout[i] = "";
    const w = startWorker(names, ["--batch", "2", "--risk-threshold", "150"], (s) => {
      stdout[i] += s;
    });
    workers[i] = w.child;
    await w.ready;
  }

  it("stores hunt's findings with the edge, and each risk incident is printed by one worker only", async () => {
    await Promise.all([0, 1, 2].map(startWorkerPrinting));
    const intake = new BusIntake(bus, new StreamSession(content).filter);
    const events = await eventsOf(PATHS);
    // Many small messages, so the workers interleave on the same detections and entities.
    for (let i = 0; i < events.length; i += 2)
      await intake.accept({ id: `inc-${i}`, events: events.slice(i, i + 2) });
    await drained(bus, 60_000);
    await new Promise((r) => setTimeout(r, 300)); // the last group's alert lines follow its ack

    const h = await hunt({ paths: PATHS, content });
    const edge = h.results[h.results.length - 1];
    assert.equal(edge.detection.name, "WinRM Pack - Lateral Movement Edge");
    assert.equal(edge.rows.length, 1);
    assert.deepEqual(sorted(await store.findingLines()), sorted(jsonlLines(h.results)));
    assert.deepEqual(
      (await store.findingLines(edge.detection.id)).map((l) => JSON.parse(l).src),
      ["WKS-FIN-07.contoso.example"],
    );
    const huntRisk = h.results.flatMap((r) => r.risk);
    assert.deepEqual(
      sorted((await store.riskEvents()).map((x) => JSON.stringify(x))),
      sorted(huntRisk.map((x) => JSON.stringify(x))),
    );

    const printed = stdout.flatMap(incidentLines);
    assert.ok(
      stdout.filter((s) => incidentLines(s).length > 0).length >= 2,
      "more than one worker raised incidents",
    );
    assert.equal(new Set(printed).size, printed.length, "no incident printed twice");
    const stored = await store.riskIncidents();
    assert.deepEqual(sorted(printed), sorted(stored.map((x) => JSON.stringify(x))));
    const expected = expectedIncidentSums(huntRisk, 150);
    assert.deepEqual(
      expected.map((x) => [x.object, x.sum]),
      [
        ["SRV-APP-11.contoso.example", 162],
        ["win-dc-791937.attackrange.local", 884],
        ["win-srv-02", 270],
        ["win-srv-02.attackrange.local", 162],
        ["WKS-FIN-07.contoso.example", 454],
        ["WORKSTATION5", 162],
        ["WORKSTATION6.theshire.local", 506],
        ["fs03vuln.offsec.lan", 378],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    assert.deepEqual(lastIncidentSums(stored), expected);
    assert.ok(stored.every((x: RiskIncident) => x.risk_score > 150 && x.risk_threshold === 150));
    // /api/notables' list: the detections' notables, then these incidents.
    const notables = await store.notables();
    assert.equal(notables.length, h.results.flatMap((r) => r.notables).length + stored.length);
  });

  it("serve --bus creates the stream but no consumer: the workers create theirs, whatever --durable they name", async () => {
    const stream = `WINNOW_SRV_${names.run}`;
    // Credentials in the bus URL (this NATS accepts any) are not written to the log.
    const busUrl = NATS.replace("nats://", "nats://winnow:bus-secret@");
    const serve = startCli(
      [
        "serve",
        "--token",
        "t",
        "--listen",
        "127.0.0.1:0",
        "--no-alerts",
        "--bus",
        busUrl,
        "--store",
        names.storeUrl,
        "--stream",
        stream,
        "--subject-prefix",
        `winnow.srv.${names.run}`,
      ],
      /listening on .*\n/,
    );
    try {
      await serve.ready;
      assert.match(serve.stderr, /, bus nats:\/\/winnow:\*\*\*@127\.0\.0\.1:4222\)/);
      assert.doesNotMatch(serve.stderr, /bus-secret/);
      assert.equal((await bus.jsm.streams.info(stream)).config.name, stream);
      const consumers = [];
      for await (const c of bus.jsm.consumers.list(stream)) consumers.push(c.name);
      assert.deepEqual(consumers, []);
    } finally {
      await stopCli(serve.child);
      await bus.jsm.streams.delete(stream).catch(() => false);
    }
  });
});

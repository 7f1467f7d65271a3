/**
 * A worker acknowledges a message only after its write committed (real NATS JetStream and PostgreSQL; an
 * in-process `Worker` over a store that fails once on purpose):
 * - the first commit fails: the messages are not acknowledged, JetStream delivers them again, and the second
 *   delivery stores them: nothing lost, the events counted once;
 * - when a recompute has committed its results, the messages it stored are still unacknowledged (they are
 *   acknowledged after it, not before);
 * - the findings and risk events are hunt's.
 *
 * Skips with a line saying so without the services, unless WINNOW_REQUIRE_SERVICES=1 (CI). Its own stream,
 * subjects, consumer and schema, removed at the end.
 */
import assert from "node:assert/strict";
import { it } from "node:test";
import { loadContent } from "../../src/content/index.js";
import { hunt } from "../../src/engine/hunt.js";
import { StreamSession } from "../../src/engine/stream-session.js";
import { jsonlLines } from "../../src/output/jsonl.js";
import { BusIntake } from "../../src/service/bus/bus-intake.js";
import type { ResultsStore } from "../../src/service/store/results-store.js";
import { Worker } from "../../src/service/worker.js";
import { eventsOf } from "../ingest/collect-events.js";
import { sharedPath } from "../support/shared.js";
import { drained, openRun, removeRun, runNames, skipWithout } from "./services.js";

const skip = await skipWithout("worker acknowledgement", ["nats", "postgres"]);
const DP = sharedPath("data/derived-positives/");
const PATHS = [
  `${DP}derived_winrs_xmlwineventlog_attackrange.xml.log`,
  `${DP}derived_winrs_otrf_workstation6.json`,
];
const names = runNames("ack");
const sorted = (xs: Iterable<string>) => [...xs].sort();

it("acknowledges only after the commit: a failed commit is delivered again and stored once", {
  skip,
}, async () => {
  const { store, bus } = await openRun(names, { ackWaitMs: 30_000 });
  try {
    const content = loadContent([]);
    const unacked = async () => (await bus.jsm.consumers.info(names.stream, names.durable)).num_ack_pending;
    let failures = 0;
    const afterRecompute: number[] = [];
    const flaky = new Proxy(store, {
      get(target, p) {
        if (p === "commitBatches")
          return async (...args: Parameters<ResultsStore["commitBatches"]>) => {
            if (failures++ === 0) throw new Error("injected: the database went away");
            return target.commitBatches(...args);
          };
        if (p === "recompute")
          return async (...args: Parameters<ResultsStore["recompute"]>) => {
            const out = await target.recompute(...args);
            afterRecompute.push(await unacked());
            return out;
          };
        const v = Reflect.get(target, p);
        return typeof v === "function" ? v.bind(target) : v;
      },
    });
    const session = new StreamSession(content);
    const problems: string[] = [];
    const worker = new Worker({ bus, store: flaky, session, report: (m) => problems.push(m) });
    const running = worker.run();

    const events = await eventsOf(PATHS);
    await new BusIntake(bus, session.filter).accept({ id: `ack-${names.run}`, events });

    // Drained, after the failed commit and a later one.
    await drained(bus, 30_000, () => failures > 1, 50);
    worker.stop();
    await running;

    assert.ok(problems.some((m) => m.startsWith("store failed, messages will be redelivered: injected")));
    const info = await bus.jsm.consumers.info(names.stream, names.durable);
    assert.ok(
      info.delivered.consumer_seq > info.delivered.stream_seq,
      `delivered again (${info.delivered.consumer_seq} deliveries of ${info.delivered.stream_seq} messages)`,
    );
    assert.ok(afterRecompute.length > 0 && afterRecompute.every((n) => n > 0), `${afterRecompute}`);
    assert.equal((await store.counts()).events, events.length, "every event counted once");
    const h = await hunt({ paths: PATHS, content });
    assert.deepEqual(sorted(await store.findingLines()), sorted(jsonlLines(h.results)));
    assert.deepEqual(
      sorted((await store.riskEvents()).map((x) => JSON.stringify(x))),
      sorted(h.results.flatMap((r) => r.risk.map((x) => JSON.stringify(x)))),
    );
  } finally {
    await removeRun(bus, store);
  }
});

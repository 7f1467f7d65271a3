/**
 * Alert sinks: JSON lines on stdout, a webhook POST; a webhook that fails is reported, not thrown. (Which lines
 * are new is the store's answer: store/write-volume.test.ts, risk-incidents.test.ts, bus-incidents.test.ts.)
 *
 * A webhook that accepts the connection and never answers must not hold up detection: `send` only queues, each
 * POST is given up after its timeout, deliveries stay in order, a backlog past `maxQueued` is dropped and
 * reported, and `close` is bounded. Single node, a second finding is still stored at once (it waited for
 * fetch's 300 s timeout before).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { it } from "node:test";
import { loadContent } from "../../../src/content/index.js";
import { StreamSession } from "../../../src/engine/stream-session.js";
import { parseEventXml } from "../../../src/ingest/xml/parse-event-xml.js";
import type { WinEvent } from "../../../src/model/event.js";
import { LocalIntake } from "../../../src/service/local-intake.js";
import { stdoutSink, webhookName, webhookSink } from "../../../src/service/sinks/alert-sink.js";
import { SqliteStore } from "../../../src/service/store/sqlite-store.js";
import { sharedPath } from "../../support/shared.js";

async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** A webhook that reads the request and never answers. */
const hanging = () => listen((req) => req.resume());

it("writes JSON lines, and POSTs them to a webhook; a dead webhook is reported", async () => {
  let out = "";
  await stdoutSink((s) => {
    out += s;
  }).send(['{"a":1}', '{"b":2}']);
  assert.equal(out, '{"a":1}\n{"b":2}\n');

  const got: string[] = [];
  const hook = await listen((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString("utf8");
    });
    req.on("end", () => {
      got.push(`${req.method} ${req.headers["content-type"]} ${body}`);
      res.end();
    });
  });
  const problems: string[] = [];
  const sink = webhookSink(hook.url, (m) => problems.push(m));
  for (const n of [1, 2, 3]) await sink.send([`{"a":${n}}`]);
  await sink.idle();
  await hook.close();
  assert.deepEqual(
    got,
    [1, 2, 3].map((n) => `POST application/json {"findings":[{"a":${n}}]}`),
    "in order",
  );
  assert.equal(problems.length, 0);
  const dead = webhookSink(hook.url, (m) => problems.push(m));
  await dead.send(['{"a":1}']);
  await dead.idle();
  assert.equal(problems.length, 1);
  assert.match(problems[0], /^webhook http:\/\/127\.0\.0\.1:\d+\/… failed/);
});

it("names a webhook by its origin in reports: its path, query or user:password may be its secret", () => {
  assert.equal(webhookName("https://hooks.slack.com/services/T0/B0/s3cret"), "https://hooks.slack.com/…");
  assert.equal(webhookName("https://u:s3cret@alerts.example:8443/"), "https://alerts.example:8443/…");
  assert.equal(webhookName("https://alerts.example/?token=s3cret"), "https://alerts.example/…");
  assert.equal(webhookName("http://127.0.0.1:9000"), "http://127.0.0.1:9000");
  assert.equal(webhookName("not a url"), "(the --webhook URL)");
});

it("a webhook that never answers: send returns at once, the POST is given up after its timeout", async () => {
  const hook = await hanging();
  try {
    const problems: string[] = [];
    const sink = webhookSink(hook.url, (m) => problems.push(m), { timeoutMs: 300 });
    const t0 = performance.now();
    await sink.send(['{"a":1}']);
    await sink.send(['{"a":2}']);
    assert.ok(performance.now() - t0 < 200, `send waited ${Math.round(performance.now() - t0)} ms`);
    await sink.idle();
    assert.deepEqual(problems.length, 2);
    assert.match(problems[0], /failed: no answer within 300 ms/);
  } finally {
    await hook.close();
  }
});

it("a backlog past maxQueued is dropped and reported; close gives the rest up in bounded time", async () => {
  const hook = await hanging();
  try {
    const problems: string[] = [];
    const sink = webhookSink(hook.url, (m) => problems.push(m), { timeoutMs: 60_000, maxQueued: 2 });
    await sink.send(['{"a":1}']);
    await sink.send(['{"a":2}']);
    await sink.send(['{"a":3}', '{"a":4}']);
    assert.deepEqual(problems, [
      `webhook ${webhookName(hook.url)}: 2 deliveries still waiting, 2 alert lines not sent (they are stored)`,
    ]);
    const t0 = performance.now();
    await sink.close(100);
    assert.ok(performance.now() - t0 < 2000, `close took ${Math.round(performance.now() - t0)} ms`);
    assert.match(problems[1], /failed: shutting down/);
    assert.equal(
      problems[2],
      `webhook ${webhookName(hook.url)}: shutting down, 1 alert lines not sent (they are stored)`,
    );
  } finally {
    await hook.close();
  }
});

it("single node: a webhook that never answers does not hold up the next finding", async () => {
  const hook = await hanging();
  const store = new SqliteStore(":memory:");
  try {
    await store.migrate();
    const problems: string[] = [];
    const intake = await LocalIntake.open({
      session: new StreamSession(loadContent([])),
      store,
      sinks: [webhookSink(hook.url, (m) => problems.push(m), { timeoutMs: 60_000 })],
    });
    const line = readFileSync(
      sharedPath("data/derived-positives/derived_winrs_xmlwineventlog_attackrange.xml.log"),
      "utf8",
    )
      .split(/\r?\n/)
      .find((l) => l.includes("-r:win-srv-02"));
    assert.ok(line !== undefined);
    const marked = (m: string): WinEvent => {
      const r = parseEventXml(line.replace("hostname", `hostname ${m}`));
      assert.ok(!("error" in r));
      return r.event as WinEvent;
    };
    const stored = async (m: string) =>
      (await store.findingLines("0dd296a2-4338-11ec-ba02-3e22fbd008af")).some((l) => l.includes(m));
    await intake.accept({ id: "a", events: [marked("hook-marker-1")] });
    await intake.settled();
    assert.ok(await stored("hook-marker-1"));
    const t0 = performance.now();
    await intake.accept({ id: "b", events: [marked("hook-marker-2")] });
    while (!(await stored("hook-marker-2")) && performance.now() - t0 < 1000)
      await new Promise((r) => setTimeout(r, 10));
    assert.ok(await stored("hook-marker-2"), "the second finding is stored within 1 s");
    await intake.close();
  } finally {
    await hook.close();
    await store.close();
  }
});

/**
 * How an intake batch becomes bus messages: by host, and a host's part cut to the NATS server's max_payload, so
 * a valid request is never refused after part of it was stored (a retry would then count that part twice). An
 * event that cannot fit a message alone refuses the whole request before anything is published.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { busMessages, hostToken, MAX_HOST_TOKEN } from "../../src/service/bus/event-bus.js";
import { EventTooLarge } from "../../src/service/intake.js";
import { eventsOf } from "../ingest/collect-events.js";
import { sharedPath } from "../support/shared.js";

describe("bus messages", async () => {
  // 1,402 events of one host (MANIFEST), about 1.5 MB of JSON: more than NATS's default 1 MiB max_payload.
  const sysmon = await eventsOf([
    sharedPath("data/derived-positives/derived_winrs_sysmon_Win10_APTSimulatorVM.evtx"),
  ]);
  const MAX = 1_048_576;

  it("cut one host's part to max_payload: every message fits, every event once, in order, ids distinct", () => {
    const all = JSON.stringify(sysmon.map((event, i) => ({ uid: `b:${i}`, event })));
    assert.ok(Buffer.byteLength(all) > MAX, "the part must be larger than one message for this test");
    const msgs = busMessages({ id: "b", events: sysmon, skipped: 5 }, () => true, MAX);
    assert.ok(msgs.length >= 2);
    for (const { msg } of msgs) assert.ok(Buffer.byteLength(JSON.stringify(msg)) <= MAX, msg.id);
    assert.deepEqual(
      msgs.map((m) => m.msg.id),
      msgs.map((_, n) => `b.${n}`),
    );
    assert.deepEqual(
      msgs.flatMap((m) => m.msg.events.map((e) => e.uid)),
      sysmon.map((_, i) => `b:${i}`),
    );
    assert.equal(
      msgs.reduce((n, m) => n + m.msg.count, 0),
      1402 + 5,
      "the skipped events are counted once",
    );
    assert.equal(new Set(msgs.map((m) => m.host)).size, 1);
  });

  it("without a limit a host is one message", () => {
    assert.equal(busMessages({ id: "b", events: sysmon }, () => true).length, 1);
  });

  it("refuse an event that cannot fit a message on its own, before anything is sent", () => {
    assert.throws(
      () => busMessages({ id: "b", events: sysmon }, () => true, 600),
      (e: unknown) => e instanceof EventTooLarge && e.limit === 600,
    );
  });

  it("keep a host's subject token short: a long name is cut and ends with a hash of the whole", () => {
    assert.equal(hostToken("WKS-1.corp.example"), "WKS-1_corp_example");
    const long = "h".repeat(5000);
    const other = `${"h".repeat(4999)}i`;
    const t = hostToken(long);
    assert.equal(t.length, MAX_HOST_TOKEN);
    assert.match(t, /^h{159}_[0-9a-f]{40}$/);
    assert.equal(hostToken(long), t);
    assert.notEqual(hostToken(other), t);
    assert.equal(hostToken("h".repeat(MAX_HOST_TOKEN)), "h".repeat(MAX_HOST_TOKEN));
    const e = { ...sysmon[0], computer: long };
    assert.deepEqual(
      busMessages({ id: "b", events: [e] }, () => true, MAX).map((m) => m.host),
      [t],
    );
  });
});

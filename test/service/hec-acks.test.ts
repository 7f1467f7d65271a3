/**
 * Indexer acknowledgement through the HTTP server, with an intake that stores only when the test says so: with
 * a channel the reply (with its `ackId`) comes at once, and `/services/collector/ack` reports the ack true only
 * after the intake has stored the batch, once; a batch that failed to store is never acknowledged. Without a
 * channel the 200 itself waits for the store, and a failed store is HEC's 500 (code 8).
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { it } from "node:test";
import { createHecServer } from "../../src/service/http/hec-server.js";
import type { Intake, IntakeBatch } from "../../src/service/intake.js";

it("acks turn true only after the batch is stored; a failed batch is never acknowledged", async () => {
  const taken: { batch: IntakeBatch; resolve: () => void; reject: (e: Error) => void }[] = [];
  const intake: Intake = {
    accept: (batch) => new Promise<void>((resolve, reject) => taken.push({ batch, resolve, reject })),
    close: async () => {},
  };
  const server = createHecServer({ token: "t", intake });
  const { port } = await server.listen("127.0.0.1", 0);
  const base = `http://127.0.0.1:${port}/services/collector`;
  const channel = randomUUID();
  const event = (n: number) =>
    `<Event><System><Provider Name='P'/><EventID>${n}</EventID><Channel>C</Channel><Computer>H</Computer></System></Event>`;
  const post = (n: number, withChannel = true) =>
    fetch(`${base}/raw`, {
      method: "POST",
      headers: { authorization: "Splunk t", ...(withChannel ? { "x-splunk-request-channel": channel } : {}) },
      body: event(n),
    });
  const acks = async (ids: number[]) => {
    const r = await fetch(`${base}/ack`, {
      method: "POST",
      headers: { authorization: "Splunk t", "x-splunk-request-channel": channel },
      body: JSON.stringify({ acks: ids }),
    });
    assert.equal(r.status, 200);
    return r.json();
  };
  const until = async (cond: () => boolean) => {
    const deadline = Date.now() + 5000;
    while (!cond()) {
      assert.ok(Date.now() < deadline, "timed out");
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  try {
    // With a channel: answered before anything is stored, with ack ids 0 and 1.
    assert.deepEqual(await (await post(1)).json(), { text: "Success", code: 0, ackId: 0 });
    assert.deepEqual(await (await post(2)).json(), { text: "Success", code: 0, ackId: 1 });
    await until(() => taken.length === 2);
    assert.deepEqual(await acks([0, 1]), { acks: { "0": false, "1": false } }, "nothing stored yet");
    taken[0].resolve();
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(await acks([0, 1]), { acks: { "0": true, "1": false } }, "only the stored batch");
    assert.deepEqual(await acks([0]), { acks: { "0": false } }, "an ack is reported once");
    taken[1].reject(new Error("disk full"));
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(await acks([1]), { acks: { "1": false } }, "a failed batch is never acknowledged");

    // Without a channel: the reply waits for the store.
    let answered = false;
    const plain = post(3, false).then(async (r) => {
      answered = true;
      return { status: r.status, json: await r.json() };
    });
    await until(() => taken.length === 3);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(answered, false, "no reply before the batch is stored");
    taken[2].resolve();
    assert.deepEqual(await plain, { status: 200, json: { text: "Success", code: 0 } });
    const failed = post(4, false);
    await until(() => taken.length === 4);
    taken[3].reject(new Error("disk full"));
    const f = await failed;
    assert.equal(f.status, 500);
    assert.deepEqual(await f.json(), { text: "Internal server error", code: 8 });

    // An id asked twice in one query is true once, not used up by the first and reported false.
    assert.deepEqual(await (await post(5)).json(), { text: "Success", code: 0, ackId: 2 });
    await until(() => taken.length === 5);
    taken[4].resolve();
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(await acks([2, 2]), { acks: { "2": true } });
  } finally {
    await server.close();
  }
});

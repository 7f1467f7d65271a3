/**
 * Backpressure: while `maxPendingBatches` requests wait for their events to be stored (a slow store or bus), the
 * next one gets HEC's 503 "Server is busy" (code 9) and nothing of it is taken; once the store catches up,
 * requests are accepted again. Memory cannot grow without bound behind a stalled store.
 */
import assert from "node:assert/strict";
import { it } from "node:test";
import { createHecServer } from "../../src/service/http/hec-server.js";
import type { Intake, IntakeBatch } from "../../src/service/intake.js";

it("answers 503 code 9 past maxPendingBatches unstored requests, and accepts again once they are stored", async () => {
  const taken: IntakeBatch[] = [];
  const release: (() => void)[] = [];
  const intake: Intake = {
    accept: (batch) =>
      new Promise<void>((resolve) => {
        taken.push(batch);
        release.push(resolve);
      }),
    close: async () => {},
  };
  const server = createHecServer({ token: "t", intake, maxPendingBatches: 2 });
  const a = await server.listen("127.0.0.1", 0);
  const post = (n: number) =>
    fetch(`http://127.0.0.1:${a.port}/services/collector/raw`, {
      method: "POST",
      headers: { authorization: "Splunk t" },
      body: `<Event><System><Provider Name='P'/><EventID>${n}</EventID><Channel>C</Channel><Computer>H</Computer></System></Event>`,
    });
  try {
    const first = post(1);
    const second = post(2);
    while (taken.length < 2) await new Promise((r) => setTimeout(r, 5));
    const third = await post(3);
    assert.equal(third.status, 503);
    assert.deepEqual(await third.json(), { text: "Server is busy", code: 9 });
    assert.equal(taken.length, 2, "the refused request was not handed to the intake");
    for (const r of release) r();
    assert.deepEqual(await Promise.all([first, second].map(async (p) => (await p).status)), [200, 200]);
    const fourth = post(4);
    while (taken.length < 3) await new Promise((r) => setTimeout(r, 5));
    release[2]?.();
    assert.equal((await fourth).status, 200);
  } finally {
    await server.close();
  }
});

/**
 * `hunt` without `--workers` reads on two threads when the machine has two cores or more and the input is EVTX
 * files alone, of 512 MiB or more (where a second reader pays: docs/performance.md, parallel-hunt.ts);
 * otherwise on the main thread alone. EVTX is told by its signature, not by its name.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultWorkers, TWO_READERS_FROM_BYTES } from "../../src/engine/parallel-hunt.js";
import { REPO, sharedPath } from "../support/shared.js";

const EVTX = sharedPath("data/evtx-attack-samples/LM_PowershellRemoting_sysmon_1_wsmprovhost.evtx");
const XML = sharedPath("data/derived-positives/derived_winrs_xmlwineventlog_attackrange.xml.log");
const JSON_LINES = `${REPO}examples/security-4688.winlogbeat.jsonl`;
const BIG = TWO_READERS_FROM_BYTES;

describe("defaultWorkers", () => {
  it("is 2 for EVTX files of 512 MiB or more on two cores or more", async () => {
    assert.equal(await defaultWorkers([EVTX], BIG, 2), 2);
    assert.equal(await defaultWorkers([EVTX, EVTX], 50_000_000_000, 8), 2);
  });

  it("is 1 below 512 MiB, on one core, or with any input that is not EVTX", async () => {
    assert.equal(await defaultWorkers([EVTX], BIG - 1, 2), 1);
    assert.equal(await defaultWorkers([EVTX], BIG, 1), 1);
    assert.equal(await defaultWorkers([EVTX, XML], BIG, 2), 1);
    assert.equal(await defaultWorkers([JSON_LINES], BIG, 2), 1);
    assert.equal(await defaultWorkers(["/no/such/winnow/file"], BIG, 2), 1);
    assert.equal(await defaultWorkers([], BIG, 2), 1);
  });
});

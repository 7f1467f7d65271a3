/**
 * Single-node serve raises ES's risk incident: an entity whose risk scores over 24 hours sum past the threshold
 * (100) goes to the alert sinks as a "Risk - 24 Hour Risk Threshold Exceeded - Rule" notable, beside the
 * findings; when its sum grows it is sent again with the new sum; a restart sends nothing twice. The expected
 * sums are added up here from hunt's own risk events (all of examples/ lies within one afternoon).
 */
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "node:test";
import { loadContent } from "../../src/content/index.js";
import { hunt } from "../../src/engine/hunt.js";
import { StreamSession } from "../../src/engine/stream-session.js";
import { readInputs } from "../../src/ingest/read-inputs.js";
import type { WinEvent } from "../../src/model/event.js";
import { LocalIntake } from "../../src/service/local-intake.js";
import { SqliteStore } from "../../src/service/store/sqlite-store.js";
import { REPO } from "../support/shared.js";

const EXAMPLES = [
  `${REPO}examples/sysmon-operational.xml.log`,
  `${REPO}examples/security-4688.winlogbeat.jsonl`,
];

async function eventsOf(paths: string[]): Promise<WinEvent[]> {
  const out: WinEvent[] = [];
  const it = readInputs(paths, { report: () => {} });
  for (let n = await it.next(); n.done !== true; n = await it.next()) out.push(...n.value);
  return out;
}

it("sends a risk incident for each entity whose 24-hour risk passes 100, once per sum, not again on restart", async () => {
  const content = loadContent([]);
  const h = await hunt({ paths: EXAMPLES, content }); // with the lateral-movement edge, as serve computes it
  const sums = new Map<string, number>();
  for (const e of h.results.flatMap((r) => r.risk))
    sums.set(e.risk_object, (sums.get(e.risk_object) ?? 0) + e.risk_score);
  const over = [...sums].filter(([, s]) => s > 100).sort((a, b) => a[0].localeCompare(b[0]));
  assert.ok(over.length >= 2 && over.length < sums.size, "some entities pass the threshold, some do not");

  const store = new SqliteStore(join(mkdtempSync(join(tmpdir(), "winnow-risk-")), "s.sqlite"));
  await store.migrate();
  const sent: string[] = [];
  const sink = { send: async (lines: readonly string[]) => void sent.push(...lines) };
  const intake = await LocalIntake.open({ session: new StreamSession(content), store, sinks: [sink] });
  const events = await eventsOf(EXAMPLES);
  for (let i = 0; i < events.length; i += 3) {
    await intake.accept({ id: `b${i}`, events: events.slice(i, i + 3) });
    await intake.settled();
  }
  const incidents = sent.map((l) => JSON.parse(l)).filter((x) => x.search_name !== undefined);
  assert.ok(incidents.every((x) => x.search_name === "Risk - 24 Hour Risk Threshold Exceeded - Rule"));
  // The last incident of each entity carries its whole sum; every incident is over the threshold.
  const last = new Map<string, number>();
  for (const x of incidents) last.set(x.risk_object, x.risk_score);
  assert.deepEqual(
    [...last].sort((a, b) => a[0].localeCompare(b[0])),
    over,
  );
  assert.ok(incidents.every((x) => x.risk_score > 100 && x.notable === true));
  // Sent again only when the sum grew: no two incidents of one entity with the same sum.
  const keys = incidents.map((x) => `${x.risk_object}:${x.risk_score}`);
  assert.equal(new Set(keys).size, keys.length);
  await intake.close();

  const again: string[] = [];
  const restarted = await LocalIntake.open({
    session: new StreamSession(content),
    store,
    sinks: [{ send: async (lines: readonly string[]) => void again.push(...lines) }],
  });
  await restarted.accept({ id: "b0", events: events.slice(0, 3) }); // a redelivered batch
  await restarted.settled();
  assert.deepEqual(again, []);
  await restarted.close();
  await store.close();
});

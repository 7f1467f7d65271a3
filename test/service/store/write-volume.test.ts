/**
 * A recompute stores only what changed, however many findings there are: with 30,000 distinct winrs findings
 * stored (SQLite; 5,000 on PostgreSQL), a 1-event request that adds one finding writes 7 rows (the flagship's finding, its risk event and
 * notable; the pack's any-switch finding, its two risk events and notable), and an event that only raises a
 * finding's count writes 2 (the two findings' lines; their risk events and notables do not change), in
 * SQLite and in PostgreSQL. Before, each recompute rewrote every row of the detections it touched
 * (~210,000 here). The stored findings stay exactly those of a full replay.
 *
 * The events are the attack-range log's winrs positive (../shared) with a distinct marker in its command line.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { loadContent } from "../../../src/content/index.js";
import { type StreamEvent, StreamSession } from "../../../src/engine/stream-session.js";
import { jsonlLines } from "../../../src/output/jsonl.js";
import { LocalIntake } from "../../../src/service/local-intake.js";
import { PostgresStore } from "../../../src/service/store/postgres-store.js";
import type { ResultsStore } from "../../../src/service/store/results-store.js";
import { SqliteStore } from "../../../src/service/store/sqlite-store.js";
import { PG, skipWithout } from "../services.js";
import { winrsPositive } from "./winrs-positive.js";

const content = loadContent([]);
function marked(n: number, uid = `m${n}`): StreamEvent {
  const event = winrsPositive((l) => l.replace("hostname", `hostname m${n}`));
  return { uid, event: { ...event, origin: { file: "test", line: n } } };
}

const skipPg = await skipWithout("write-volume on PostgreSQL", ["postgres"]);

async function check(store: ResultsStore, n: number): Promise<void> {
  const session = new StreamSession(content);
  // Seed: the records as the intake would have committed them, then a start-up that stores the results.
  for (let i = 0; i < n; i += 5000) {
    const events = Array.from({ length: 5000 }, (_, k) => marked(i + k));
    await store.commitBatches([
      { batch: { id: `seed-${i}`, events: 5000 }, records: session.relevantFor(events) },
    ]);
  }
  const sent: string[] = [];
  const sink = { send: async (lines: readonly string[]) => void sent.push(...lines) };
  const intake = await LocalIntake.open({ session, store, sinks: [sink] });
  const flagship = (await store.findingLines("0dd296a2-4338-11ec-ba02-3e22fbd008af")).length;
  assert.equal(flagship, n);

  let w = store.written;
  sent.length = 0;
  await intake.accept({ id: "one", events: [marked(n).event] });
  await intake.settled();
  assert.equal(store.written - w, 7);
  // The sinks get the two new finding lines and the incidents of the two entities whose 24-hour sum grew (the
  // host and the winrs target), not the other findings again.
  const kinds = sent.map(
    (l) => JSON.parse(l) as { detection?: string; search_name?: string; risk_object?: string },
  );
  assert.deepEqual(kinds.map((k) => k.detection ?? `${k.search_name} ${k.risk_object}`).sort(), [
    "Remote Process Instantiation via WinRM and Winrs",
    "Risk - 24 Hour Risk Threshold Exceeded - Rule win-dc-791937.attackrange.local",
    "Risk - 24 Hour Risk Threshold Exceeded - Rule win-srv-02.attackrange.local",
    "WinRM Pack - Winrs Remote Execution Any Switch",
  ]);
  const lines = await store.findingLines();
  assert.equal(lines.filter((l) => l.includes(`hostname m${n}\\"`)).length, 2);

  w = store.written;
  sent.length = 0;
  await intake.accept({ id: "again", events: [marked(7).event] }); // a second occurrence: count 2
  await intake.settled();
  assert.equal(store.written - w, 2);
  // The two changed lines; the risk did not change, so no incident.
  assert.equal(sent.length, 2);
  assert.ok(sent.every((l) => l.includes('"count":2')));
  const counted = (await store.findingLines()).filter(
    (l) => l.includes('hostname m7\\"') && l.includes('"count":2'),
  );
  assert.equal(counted.length, 2);

  // Exactly what replaying every stored record at once gives, row for row in the same order, per detection.
  const records = await store.records();
  for (const d of session.detections) {
    const whole = session.resultFor(
      d.id,
      records.filter((r) => r.detectionId === d.id),
    );
    assert.deepEqual(await store.findingLines(d.id), [...jsonlLines([whole])], d.name);
  }
  await intake.close();
}

describe("rows written per recompute, with 30,000 findings stored", () => {
  it("SQLite: 7 rows for a new finding, 2 for a count that grew", async () => {
    const dir = mkdtempSync(join(tmpdir(), "winnow-volume-"));
    const store = new SqliteStore(join(dir, "s.sqlite"));
    try {
      await store.migrate();
      await check(store, 30_000);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // The same code path on PostgreSQL with 5,000 (the rows written do not depend on how many are stored).
  it("PostgreSQL: the same, with 5,000 findings stored", { skip: skipPg }, async () => {
    const store = new PostgresStore(`${PG}?schema=winnow_volume_${randomBytes(4).toString("hex")}`);
    try {
      await store.migrate();
      await check(store, 5000);
    } finally {
      await store.dropSchema();
      await store.close();
    }
  });
});

/**
 * The streaming session (src/engine/stream-session.ts) gives exactly hunt's rows, risk events and notables
 * over the same events, whatever the batching, with snapshots taken in between; a redelivered event is not
 * counted twice; a record the probe drops provably changes nothing.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { loadContent } from "../../src/content/index.js";
import { hunt } from "../../src/engine/hunt.js";
import { firstCommand } from "../../src/engine/stream-probe.js";
import { type StreamEvent, StreamSession } from "../../src/engine/stream-session.js";
import { readInputs } from "../../src/ingest/read-inputs.js";
import type { WinEvent } from "../../src/model/event.js";
import { jsonlLines } from "../../src/output/jsonl.js";
import { sharedPath } from "../support/shared.js";

const content = loadContent([]);
const DERIVED = sharedPath("data/derived-positives/");
const PATHS = [DERIVED, sharedPath("data/splunk-attack-data/"), sharedPath("data/evtx-attack-samples/")];

async function eventsOf(paths: string[]): Promise<WinEvent[]> {
  const out: WinEvent[] = [];
  const it = readInputs(paths, { report: () => {} });
  for (let n = await it.next(); n.done !== true; n = await it.next()) out.push(...n.value);
  return out;
}

/** Rows in and out of order-insensitive form (hunt's row order across files is not the stream's). */
const sorted = (lines: Iterable<string>) => [...lines].sort();

describe("stream session", () => {
  it("finds the first command of a pipeline (quotes and subsearch brackets are not pipes)", () => {
    assert.equal(
      firstCommand(
        '| tstats count from datamodel=X where a="x|y" [| inputlookup t | fields a] by b | where c>1',
      ),
      '| tstats count from datamodel=X where a="x|y" [| inputlookup t | fields a] by b ',
    );
    assert.equal(firstCommand("| tstats count by a"), "| tstats count by a");
    assert.equal(firstCommand("search a | stats count"), undefined);
    assert.equal(firstCommand('| tstats where a="unterminated'), undefined);
  });

  it("ends with hunt's rows and risk events after batches of several sizes, with snapshots in between", async () => {
    const events = await eventsOf(PATHS);
    const h = await hunt({ paths: PATHS, content });
    const session = new StreamSession(content);
    assert.equal(session.probeIsExact("0dd296a2-4338-11ec-ba02-3e22fbd008af"), true);
    const sizes = [1, 7, 100, 1000, 3];
    let i = 0;
    let k = 0;
    while (i < events.length) {
      const n = sizes[k++ % sizes.length];
      session.ingest(events.slice(i, i + n).map((event, j) => ({ uid: `e${i + j}`, event })));
      i += n;
      if (k % 5 === 0) session.snapshot();
    }
    const s = session.snapshot();
    // 4 + 3 + 7 + 4 rows from the derived positives' expected.json files; nothing fires elsewhere.
    const expectedRows = readdirSync(DERIVED)
      .filter((f) => f.endsWith(".expected.json"))
      .reduce(
        (n, f) =>
          n +
          (JSON.parse(readFileSync(DERIVED + f, "utf8")) as { expect: { row_count: number } }).expect
            .row_count,
        0,
      );
    assert.equal(expectedRows, 18);
    const winrs = s.find((r) => r.detection.id === "0dd296a2-4338-11ec-ba02-3e22fbd008af");
    assert.equal(winrs?.rows.length, expectedRows);
    assert.deepEqual(sorted(jsonlLines(s)), sorted(jsonlLines(h.results)));
    assert.deepEqual(
      sorted(s.flatMap((r) => r.risk.map((x) => JSON.stringify(x)))),
      sorted(h.results.flatMap((r) => r.risk.map((x) => JSON.stringify(x)))),
    );
    assert.deepEqual(
      sorted(s.flatMap((r) => r.notables.map((x) => JSON.stringify(x)))),
      sorted(h.results.flatMap((r) => r.notables.map((x) => JSON.stringify(x)))),
    );
    // Only matching records were kept: far fewer than the mapped process events.
    assert.equal(session.counts.events, events.length);
    assert.ok(session.counts.relevant * 10 < session.counts.mapped, JSON.stringify(session.counts));
  });

  it("shows a finding after its first event and updates its count as more arrive; redelivery is a no-op", async () => {
    const events = await eventsOf([`${DERIVED}derived_winrs_4688_fs03vuln.evtx`]);
    const session = new StreamSession(content, { only: ["0dd296a2-4338-11ec-ba02-3e22fbd008af"] });
    const batch: StreamEvent[] = events.map((event, i) => ({ uid: `u${i}`, event }));
    const firstHit = batch.findIndex((b) => session.relevantFor([b]).length > 0);
    assert.ok(firstHit >= 0);
    session.ingest([batch[firstHit]]);
    const one = session.snapshot()[0];
    assert.equal(one.rows.length, 1);
    assert.equal(one.rows[0].count, 1);
    // Same event content again under a new uid: a second occurrence, counted (as hunt counts duplicates).
    const again = { uid: "again", event: batch[firstHit].event };
    session.ingest([again]);
    assert.equal(session.snapshot()[0].rows[0].count, 2);
    // The same uid redelivered: no change.
    assert.equal(session.ingest([again]).length, 1);
    assert.equal(session.add(session.relevantFor([again])), 0);
    assert.equal(session.snapshot()[0].rows[0].count, 2);
    assert.deepEqual(session.dirty(), []);
  });
});

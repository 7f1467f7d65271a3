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
import { parseEventXml } from "../../src/ingest/xml/parse-event-xml.js";
import { jsonlLines } from "../../src/output/jsonl.js";
import { eventsOf } from "../ingest/collect-events.js";
import { REPO, sharedPath } from "../support/shared.js";

const content = loadContent([]);
const WINRS = "0dd296a2-4338-11ec-ba02-3e22fbd008af";
const DERIVED = sharedPath("data/derived-positives/");
const PATHS = [DERIVED, sharedPath("data/splunk-attack-data/"), sharedPath("data/evtx-attack-samples/")];

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

  it("keeps hunt's row order per detection, groups every built-in detection, and gives the edges as hunt's last result", async () => {
    // examples/ holds the one winrs hop with its target side (docs/detections.md): the edge appears.
    const paths = [`${REPO}examples/`, DERIVED];
    const events = await eventsOf(paths);
    const h = await hunt({ paths, content });
    const session = new StreamSession(content);
    assert.deepEqual(
      session.detections.filter((d) => !session.isGrouped(d.id)).map((d) => d.name),
      [],
    );
    for (let i = 0; i < events.length; i += 13) {
      session.ingest(events.slice(i, i + 13).map((event, j) => ({ uid: `e${i + j}`, event })));
      if (i % 130 === 0) session.snapshot();
    }
    const s = session.snapshot();
    assert.deepEqual(
      s.map((r) => r.detection.name),
      h.results.map((r) => r.detection.name),
    );
    assert.equal(s[s.length - 1].detection.name, "WinRM Pack - Lateral Movement Edge");
    assert.equal(s[s.length - 1].rows.length, 1);
    // Exactly hunt's, in hunt's order (not only as sets).
    assert.deepEqual([...jsonlLines(s)], [...jsonlLines(h.results)]);
    assert.deepEqual(
      s.map((r) => JSON.stringify(r.risk)),
      h.results.map((r) => JSON.stringify(r.risk)),
    );
    assert.deepEqual(
      s.map((r) => JSON.stringify(r.notables)),
      h.results.map((r) => JSON.stringify(r.notables)),
    );
  });

  it("recomputes only the group that got a record: a 1-event batch after 2,000 distinct findings replays 3 records", () => {
    const line = readFileSync(`${DERIVED}derived_winrs_xmlwineventlog_attackrange.xml.log`, "utf8")
      .split(/\r?\n/)
      .find((l) => l.includes("-r:win-srv-02"));
    assert.ok(line !== undefined);
    const marked = (n: number): StreamEvent => {
      const r = parseEventXml(line.replace("hostname", `hostname m${n}`));
      assert.ok("event" in r);
      return { uid: `m${n}`, event: { ...r.event, origin: { file: "test", line: n } } };
    };
    const session = new StreamSession(content);
    const seed = Array.from({ length: 2000 }, (_, n) => marked(n));
    session.ingest(seed);
    const before = session.snapshot();
    assert.equal(before.find((r) => r.detection.id === WINRS)?.rows.length, 2000);
    const replayed = session.counts.replayed;
    // One more winrs event: relevant to the flagship, the pack's any-switch and its loopback detection.
    const one = marked(2000);
    const relevant = session.ingest([one]);
    assert.deepEqual(
      relevant.map((r) => r.detectionId).sort(),
      ["abbee15b-c38b-4d54-8cfa-9d94442b5d15", "242f3702-4161-4dd3-bc2c-52df78e09cb0", WINRS].sort(),
    );
    const after = session.snapshot();
    assert.equal(session.counts.replayed - replayed, 3);
    const winrs = after.find((r) => r.detection.id === WINRS);
    assert.equal(winrs?.rows.length, 2001);
    // The grouped result is exactly a full replay of every record, row for row.
    const full = session.resultFor(
      WINRS,
      [...seed, one].map((e) => ({
        dataset: "Endpoint.Processes",
        record: session.relevantFor([e])[0].record,
      })),
    );
    assert.deepEqual([...jsonlLines([winrs as NonNullable<typeof winrs>])], [...jsonlLines([full])]);
    assert.deepEqual(winrs?.risk, full.risk);
    // Unchanged rows are the same objects as before (the store recognises them without serialising again).
    const old = before.find((r) => r.detection.id === WINRS);
    assert.equal(winrs?.rows.filter((r) => old?.rows.includes(r)).length, 2000);
  });

  it("replays a detection whole once a record joins several tstats groups (a multivalue by-field)", async () => {
    const events = await eventsOf([`${DERIVED}derived_winrs_4688_fs03vuln.evtx`]);
    const session = new StreamSession(content, { only: [WINRS] });
    const relevant = session.relevantFor(events.map((event, i) => ({ uid: `u${i}`, event })));
    assert.equal(relevant.length, 3);
    session.add(relevant);
    assert.equal(session.isGrouped(WINRS), true);
    const multi = {
      ...relevant[0],
      uid: "multi",
      groups: undefined,
      record: { ...relevant[0].record, dest: ["a", "b"] },
    };
    session.add([multi]);
    assert.equal(session.isGrouped(WINRS), false);
    const s = session.snapshot()[0];
    const full = session.resultFor(WINRS, [...relevant, multi]);
    assert.deepEqual([...jsonlLines([s])], [...jsonlLines([full])]);
    assert.equal(s.rows.length, 5);
  });

  it("gives hunt's rows for every loadable ESCU detection of the corpus on all of ../shared/data", async () => {
    const corpus = loadContent([sharedPath("content/security_content")]);
    const paths = [sharedPath("data")];
    const started = new Date().toISOString();
    const events = await eventsOf(paths);
    const h = await hunt({ paths, content: corpus });
    const session = new StreamSession(corpus);
    const ids = session.detections.map((d) => d.id);
    assert.equal(ids.length, 750);
    assert.equal(ids.filter((id) => session.isGrouped(id)).length, 690);
    for (let i = 0; i < events.length; i += 2000) {
      session.ingest(events.slice(i, i + 2000).map((event, j) => ({ uid: `e${i + j}`, event })));
      if (i % 10000 === 0) session.snapshot();
    }
    const s = session.snapshot();
    assert.equal(ids.filter((id) => session.isGrouped(id)).length, 690);
    assert.deepEqual(
      s.map((r) => r.detection.id),
      h.results.map((r) => r.detection.id),
    );
    assert.deepEqual([...jsonlLines(s)], [...jsonlLines(h.results)]);
    assert.equal(
      s.reduce((n, r) => n + r.rows.length, 0),
      872,
    );
    // A row without a time gets its risk event and notable stamped when it is made (ES stamps the search's run
    // time): those times differ between the two runs, everything else is equal.
    const untimed = (x: { _time: string }) => ({ ...x, _time: x._time >= started ? "run time" : x._time });
    assert.deepEqual(
      s.map((r) => JSON.stringify(r.risk.map(untimed))),
      h.results.map((r) => JSON.stringify(r.risk.map(untimed))),
    );
    assert.deepEqual(
      s.map((r) => JSON.stringify(r.notables.map(untimed))),
      h.results.map((r) => JSON.stringify(r.notables.map(untimed))),
    );
  });
});

/**
 * Scheduled mode: cron next-fire times, Splunk relative time modifiers, and a scheduled run over the ESCU
 * default window (-70m@m..-10m@m) giving exactly hunt's rows for the events inside the window and none
 * for a window that misses them.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { loadContent } from "../../../src/content/index.js";
import { hunt } from "../../../src/engine/hunt.js";
import { StreamSession } from "../../../src/engine/stream-session.js";
import { readInputs } from "../../../src/ingest/read-inputs.js";
import type { WinEvent } from "../../../src/model/event.js";
import { jsonlLines } from "../../../src/output/jsonl.js";
import { LocalIntake } from "../../../src/service/local-intake.js";
import { parseCron } from "../../../src/service/schedule/cron.js";
import { relativeTime } from "../../../src/service/schedule/relative-time.js";
import { Scheduler } from "../../../src/service/schedule/scheduler.js";
import { SqliteStore } from "../../../src/service/store/sqlite-store.js";
import { sharedPath } from "../../support/shared.js";

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | string | undefined) => (typeof ms === "number" ? new Date(ms).toISOString() : ms);

describe("scheduled mode", () => {
  it("computes cron fire times (UTC)", () => {
    const hourly = parseCron("0 * * * *");
    assert.ok(typeof hourly !== "string");
    assert.equal(iso(hourly.next(at("2026-01-02T10:00:00Z"))), "2026-01-02T11:00:00.000Z");
    assert.equal(iso(hourly.next(at("2026-01-02T10:59:59Z"))), "2026-01-02T11:00:00.000Z");
    assert.equal(iso(hourly.next(at("2026-12-31T23:30:00Z"))), "2027-01-01T00:00:00.000Z");
    const c = parseCron("*/15 9-17 * * 1-5");
    assert.ok(typeof c !== "string");
    // Friday 2026-01-02 17:50 → Monday 2026-01-05 09:00
    assert.equal(iso(c.next(at("2026-01-02T17:50:00Z"))), "2026-01-05T09:00:00.000Z");
    assert.equal(iso(c.next(at("2026-01-05T09:00:00Z"))), "2026-01-05T09:15:00.000Z");
    const feb29 = parseCron("0 0 29 2 *");
    assert.ok(typeof feb29 !== "string");
    assert.equal(iso(feb29.next(at("2026-03-01T00:00:00Z"))), "2028-02-29T00:00:00.000Z");
    assert.equal(typeof parseCron("0 * * *"), "string");
    assert.equal(typeof parseCron("61 * * * *"), "string");
  });

  it("reads Splunk relative time modifiers", () => {
    const now = at("2026-01-02T10:37:42.500Z");
    assert.equal(iso(relativeTime("-70m@m", now)), "2026-01-02T09:27:00.000Z");
    assert.equal(iso(relativeTime("-10m@m", now)), "2026-01-02T10:27:00.000Z");
    assert.equal(iso(relativeTime("-24h@h", now)), "2026-01-01T10:00:00.000Z");
    assert.equal(iso(relativeTime("@d", now)), "2026-01-02T00:00:00.000Z");
    assert.equal(iso(relativeTime("now", now)), "2026-01-02T10:37:42.500Z");
    assert.equal(iso(relativeTime("-1w@w", now)), "2025-12-21T00:00:00.000Z"); // weeks start on Sunday
    assert.equal(typeof relativeTime("-1mon@mon", now), "string");
  });

  it("runs each detection over its window: hunt's rows inside it, none outside", async () => {
    const dir = mkdtempSync(join(tmpdir(), "winnow-sched-"));
    const store = new SqliteStore(join(dir, "s.sqlite"));
    try {
      await store.migrate();
      const content = loadContent([]);
      const session = new StreamSession(content);
      const intake = await LocalIntake.open({ session, store });
      // The attack-range log: every event at 2021-01-14T23:45:02 (its expected.json rows' first/lastTime).
      const file = sharedPath("data/derived-positives/derived_winrs_xmlwineventlog_attackrange.xml.log");
      const events: WinEvent[] = [];
      const it = readInputs([file], { report: () => {} });
      for (let n = await it.next(); n.done !== true; n = await it.next()) events.push(...n.value);
      await intake.accept({ id: "b1", events });
      await intake.settled();
      const scheduler = new Scheduler({ session, store });
      // Due 2021-01-15T00:00Z: window [2021-01-14T22:50Z, 23:50Z) holds 23:45:02.
      const inside = await scheduler.runAt(at("2021-01-15T00:00:00Z"));
      const h = await hunt({ paths: [file], content });
      assert.deepEqual(
        inside.flatMap((r) => [...jsonlLines([r.result])]).sort(),
        [...jsonlLines(h.results)].sort(),
      );
      assert.equal(inside[0].run.earliest, "2021-01-14T22:50:00.000Z");
      assert.equal(inside[0].run.latest, "2021-01-14T23:50:00.000Z");
      // Due an hour later: [23:50Z, 00:50Z) misses it.
      const outside = await scheduler.runAt(at("2021-01-15T01:00:00Z"));
      assert.deepEqual(
        outside.map((r) => r.result.rows.length),
        outside.map(() => 0),
      );
      const stored = await store.scheduledRuns("0dd296a2-4338-11ec-ba02-3e22fbd008af");
      assert.deepEqual(
        stored.map((r) => [r.run_at, r.rows.length]),
        [
          ["2021-01-15T00:00:00.000Z", 7],
          ["2021-01-15T01:00:00.000Z", 0],
        ],
      );
      // A second server storing the same run does not duplicate it.
      await scheduler.runAt(at("2021-01-15T00:00:00Z"));
      assert.equal((await store.scheduledRuns("0dd296a2-4338-11ec-ba02-3e22fbd008af")).length, 2);
      await intake.close();
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * Single node, nothing acknowledged is lost across a crash: batches are acknowledged (their records committed)
 * but the process dies before any result is stored. A new process (a new SqliteStore on the same file, a new
 * session) rebuilds the session from the stored records and stores exactly hunt's findings and risk events;
 * a further copy of an event already seen counts on from there (count 2), as hunt counts duplicates.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "node:test";
import { loadContent } from "../../src/content/index.js";
import { hunt } from "../../src/engine/hunt.js";
import { StreamSession } from "../../src/engine/stream-session.js";
import { parseEventXml } from "../../src/ingest/xml/parse-event-xml.js";
import type { WinEvent } from "../../src/model/event.js";
import { jsonlLines } from "../../src/output/jsonl.js";
import { LocalIntake } from "../../src/service/local-intake.js";
import { SqliteStore } from "../../src/service/store/sqlite-store.js";
import { eventsOf } from "../ingest/collect-events.js";
import { sharedPath } from "../support/shared.js";

const DP = sharedPath("data/derived-positives/");
const XML_LOG = `${DP}derived_winrs_xmlwineventlog_attackrange.xml.log`;
const OTRF_JSON = `${DP}derived_winrs_otrf_workstation6.json`;
const WINRS = "0dd296a2-4338-11ec-ba02-3e22fbd008af";
const sorted = (xs: Iterable<string>) => [...xs].sort();

it("rebuilds from the stored records after a crash between the acknowledgement and the results", async () => {
  const dir = mkdtempSync(join(tmpdir(), "winnow-restart-"));
  const file = join(dir, "results.sqlite");
  const content = loadContent([]);
  try {
    const events = await eventsOf([XML_LOG, OTRF_JSON]);
    const line = readFileSync(XML_LOG, "utf8")
      .split(/\r?\n/)
      .find((l) => l.includes("-r:win-srv-02"));
    assert.ok(line !== undefined);
    const markedLine = line.replace("hostname", "hostname restart-marker");
    const markedFile = join(dir, "marked.xml.log");
    writeFileSync(markedFile, `${markedLine}\n`);
    const parsed = parseEventXml(markedLine);
    assert.ok(!("error" in parsed));
    const marked = parsed.event as WinEvent;

    // The first process: every batch is acknowledged, and it dies before storing any result.
    const first = new SqliteStore(file);
    await first.migrate();
    let dead = false;
    const dying = new Proxy(first, {
      get(target, p) {
        if (p === "replaceResults" && dead)
          return async () => {
            throw new Error("the process died before storing results");
          };
        const v = Reflect.get(target, p);
        return typeof v === "function" ? v.bind(target) : v;
      },
    });
    const problems: string[] = [];
    const intake = await LocalIntake.open({
      session: new StreamSession(content),
      store: dying,
      report: (m) => problems.push(m),
    });
    dead = true;
    for (let i = 0; i < events.length; i += 5)
      await intake.accept({ id: `b${i}`, events: events.slice(i, i + 5) });
    await intake.accept({ id: "marked-1", events: [marked] });
    await intake.settled();
    assert.ok(problems.length > 0 && problems.every((m) => m.startsWith("storing results failed")));
    assert.deepEqual(await first.findingLines(), [], "no result was stored before the crash");
    assert.equal((await first.counts()).events, events.length + 1, "every batch was acknowledged");
    await first.close();

    // The next process: a new store object on the file, a new session.
    const store = new SqliteStore(file);
    await store.migrate();
    const again = await LocalIntake.open({ session: new StreamSession(content), store });
    const h = await hunt({ paths: [XML_LOG, OTRF_JSON, markedFile], content });
    const stored = await store.findingLines();
    const markedRows = stored.filter((l) => l.includes("restart-marker"));
    assert.equal(markedRows.length, 2, "the marked event's rows (the flagship and the pack's any-switch)");
    assert.deepEqual(sorted(stored), sorted(jsonlLines(h.results)));
    assert.deepEqual(
      sorted((await store.riskEvents()).map((x) => JSON.stringify(x))),
      sorted(h.results.flatMap((r) => r.risk.map((x) => JSON.stringify(x)))),
    );

    // The session holds what was stored before: a second copy of the marked event makes its count 2.
    await again.accept({ id: "marked-2", events: [marked] });
    await again.settled();
    const winrs = (await store.findingLines(WINRS)).filter((l) => l.includes("restart-marker"));
    assert.deepEqual(
      winrs.map((l) => JSON.parse(l).count),
      [2],
    );
    await again.close();
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

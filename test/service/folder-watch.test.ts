/**
 * `serve --watch`: files dropped in a folder are read once they are stable, with hunt's readers, and give
 * hunt's findings; reading again (a new poll, or a restart re-scanning the folder) stores nothing twice; and one
 * file never holds up the others.
 */
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "node:test";
import { loadContent } from "../../src/content/index.js";
import { hunt } from "../../src/engine/hunt.js";
import { StreamSession } from "../../src/engine/stream-session.js";
import { jsonlLines } from "../../src/output/jsonl.js";
import { FolderWatch } from "../../src/service/folder-watch.js";
import { EventTooLarge, type Intake } from "../../src/service/intake.js";
import { LocalIntake } from "../../src/service/local-intake.js";
import { SqliteStore } from "../../src/service/store/sqlite-store.js";
import { sharedPath } from "../support/shared.js";

it("reads dropped files once, with hunt's results, idempotently across restarts", async () => {
  const dir = mkdtempSync(join(tmpdir(), "winnow-watch-"));
  const drop = join(dir, "drop");
  mkdirSync(drop);
  const store = new SqliteStore(join(dir, "s.sqlite"));
  try {
    await store.migrate();
    const content = loadContent([]);
    const files = ["derived_winrs_4688_fs03vuln.evtx", "derived_winrs_otrf_workstation6.json"];
    for (const f of files) copyFileSync(sharedPath(`data/derived-positives/${f}`), join(drop, f));
    const intake = await LocalIntake.open({ session: new StreamSession(content), store });
    const watch = new FolderWatch({ dir: drop, intake, batchSize: 3 });
    assert.equal(await watch.scanOnce(), 0, "first sight: not yet known to be stable");
    assert.equal(await watch.scanOnce(), 2);
    assert.equal(await watch.scanOnce(), 0, "already read");
    await intake.settled();
    const h = await hunt({ paths: files.map((f) => join(drop, f)), content });
    const expected = [...jsonlLines(h.results)].sort();
    assert.deepEqual((await store.findingLines()).sort(), expected);
    const counts = await store.counts();
    // 4 EVTX records + 7 JSON lines (MANIFEST / expected.json events_total).
    assert.equal(counts.events, 11);

    // Restart: a new server re-scans the folder and reads both files again; nothing is stored twice.
    const again = await LocalIntake.open({ session: new StreamSession(content), store });
    const watch2 = new FolderWatch({ dir: drop, intake: again, batchSize: 3 });
    await watch2.scanOnce();
    assert.equal(await watch2.scanOnce(), 2);
    await again.settled();
    assert.deepEqual(await store.counts(), counts);
    assert.deepEqual((await store.findingLines()).sort(), expected);
    await again.close();
    await intake.close();
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

it("one file never holds up the others: a too-large event is left out and named, a failing store is retried", async () => {
  const dir = mkdtempSync(join(tmpdir(), "winnow-watch-bad-"));
  const ev = (host: string, id: number) =>
    `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Sysmon'/><EventID>1</EventID><EventRecordID>${id}</EventRecordID><Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>${host}</Computer></System><EventData><Data Name='Image'>C:\\x.exe</Data></EventData></Event>`;
  writeFileSync(join(dir, "a.xml.log"), `${ev("ok-a1", 1)}\n${ev("BIG", 2)}\n${ev("ok-a3", 3)}\n`);
  writeFileSync(join(dir, "b.xml.log"), `${ev("ok-b1", 4)}\n`);
  const stored: string[] = [];
  let storeDown = true;
  const intake: Intake = {
    // As the bus intake: a batch holding an event too large for a message is refused whole, nothing stored.
    accept: async (batch) => {
      if (batch.events.some((e) => e.computer === "BIG")) throw new EventTooLarge(2_000_000, 1_048_576);
      if (storeDown && batch.events.some((e) => e.computer === "ok-b1")) throw new Error("store unreachable");
      for (const e of batch.events) stored.push(`${batch.id.split(":").length}:${e.computer}`);
    },
    close: async () => {},
  };
  const reports: string[] = [];
  const watch = new FolderWatch({
    dir,
    intake,
    report: (d) => reports.push(`${d.code} ${d.line ?? ""} ${d.message}`),
  });
  try {
    await watch.scanOnce();
    assert.equal(await watch.scanOnce(), 1, "a.xml.log read; b.xml.log's store failed");
    // a's batch went event by event (ids one level deeper); the large one is named with its line.
    assert.deepEqual(stored, ["4:ok-a1", "4:ok-a3"]);
    assert.equal(reports.length, 2);
    assert.match(
      reports[0],
      /^event-too-large 2 watch: left out: an event of 2000000 bytes does not fit a bus message/,
    );
    assert.match(
      reports[1],
      /^file-unreadable {2}watch: cannot store the events of .*b\.xml\.log \(tried again at the next poll\): store unreachable$/,
    );
    storeDown = false;
    assert.equal(await watch.scanOnce(), 1, "b.xml.log, at the next poll");
    assert.deepEqual(stored, ["4:ok-a1", "4:ok-a3", "3:ok-b1"]);
    assert.equal(await watch.scanOnce(), 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

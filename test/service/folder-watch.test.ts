/**
 * `serve --watch`: files dropped in a folder are read once they are stable, with hunt's readers, and give
 * hunt's findings; reading again (a new poll, or a restart re-scanning the folder) stores nothing twice.
 */
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "node:test";
import { loadContent } from "../../src/content/index.js";
import { hunt } from "../../src/engine/hunt.js";
import { StreamSession } from "../../src/engine/stream-session.js";
import { jsonlLines } from "../../src/output/jsonl.js";
import { FolderWatch } from "../../src/service/folder-watch.js";
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

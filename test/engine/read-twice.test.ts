/**
 * SEMANTICS.md §4: "Identical events read twice (for example a live log and its backup copy) are counted
 * twice; de-duplication is only on request." Two logs are hunted with the built-in flagship, then again
 * together with byte-for-byte copies of them in a temp dir (other paths, other files): the same rows come
 * back with every `count` doubled, the same firstTime/lastTime, and one risk event per row as before.
 * Naming one file twice by the same path is another matter (docs/errors.md `input-duplicate`): it is read once.
 *
 * Rows worked out from the raw events (examples/README.md; evtxexport -f xml for the EVTX):
 * - examples/sysmon-operational.xml.log: Sysmon 1 records 48211 (winrs.exe, pid 7012, UtcTime
 *   14:02:11.480), 48230 (WINRS.EXE, pid 7232, 14:05:42.119) and 48255 (svchelper.exe with OriginalFileName
 *   winrs.exe, pid 7440, 14:09:03.774), all on 2026-11-30, host WKS-FIN-07.contoso.example, parent pid 6860.
 * - derived-positives/derived_winrs_4688_fs03vuln.evtx: Security 4688 records 1101625 (NewProcessId 0xa0c,
 *   ProcessId 0x214, SystemTime 14:54:22.0715625), 1101626 (0xfa8, parent 0xa0c, 14:54:22.0715625) and
 *   1101628 (0x1280, parent 0x428, 14:54:25.6990201), host fs03vuln.offsec.lan, on 2021-12-07 (times
 *   truncated to the second); 1101627 (`winrs /r:`) does not match.
 * Each is its own group, so count 1 read once and 2 read twice.
 */
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { loadContent } from "../../src/content/index.js";
import { type HuntResult, hunt } from "../../src/engine/hunt.js";
import { REPO, sharedPath } from "../support/shared.js";

const FLAGSHIP = "0dd296a2-4338-11ec-ba02-3e22fbd008af";
const XML = `${REPO}examples/sysmon-operational.xml.log`;
const EVTX = sharedPath("data/derived-positives/derived_winrs_4688_fs03vuln.evtx");

const content = loadContent([]);

const sorted = (rows: unknown[][]) =>
  [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

/** [dest, process_name, process_id, parent_process_id, firstTime, lastTime, count], count being `n`. */
function expected(n: number) {
  return sorted([
    [
      "WKS-FIN-07.contoso.example",
      "winrs.exe",
      "7012",
      "6860",
      "2026-11-30T14:02:11",
      "2026-11-30T14:02:11",
      n,
    ],
    [
      "WKS-FIN-07.contoso.example",
      "WINRS.EXE",
      "7232",
      "6860",
      "2026-11-30T14:05:42",
      "2026-11-30T14:05:42",
      n,
    ],
    [
      "WKS-FIN-07.contoso.example",
      "svchelper.exe",
      "7440",
      "6860",
      "2026-11-30T14:09:03",
      "2026-11-30T14:09:03",
      n,
    ],
    ["fs03vuln.offsec.lan", "winrs.exe", "0x1280", "0x428", "2021-12-07T14:54:25", "2021-12-07T14:54:25", n],
    ["fs03vuln.offsec.lan", "winrs.exe", "0xa0c", "0x214", "2021-12-07T14:54:22", "2021-12-07T14:54:22", n],
    ["fs03vuln.offsec.lan", "winrs.exe", "0xfa8", "0xa0c", "2021-12-07T14:54:22", "2021-12-07T14:54:22", n],
  ]);
}

function flagshipRows(h: HuntResult) {
  const r = h.results.find((x) => x.detection.id === FLAGSHIP);
  assert.ok(r, "the flagship ran");
  const rows = r.rows.map((row) =>
    ["dest", "process_name", "process_id", "parent_process_id", "firstTime", "lastTime", "count"].map(
      (f) => row[f],
    ),
  );
  return { rows: sorted(rows), risk: r.risk.length };
}

const events = (h: HuntResult) => h.stats.files.reduce((n, f) => n + f.events, 0);

describe("identical events read twice are counted twice (SEMANTICS.md §4)", () => {
  const copies = mkdtempSync(path.join(tmpdir(), "winnow-read-twice-"));
  const xmlCopy = path.join(copies, "backup-sysmon.xml.log");
  const evtxCopy = path.join(copies, "backup-security.evtx");
  copyFileSync(XML, xmlCopy);
  copyFileSync(EVTX, evtxCopy);

  it("read once: 6 rows, count 1 each; 8 + 4 events", async () => {
    const h = await hunt({ paths: [XML, EVTX], content });
    const once = flagshipRows(h);
    assert.deepEqual(once.rows, expected(1));
    assert.equal(once.risk, 6);
    assert.equal(events(h), 12);
  });

  for (const workers of [1, 2]) {
    it(`a copy under another path doubles every count, nothing else (workers: ${workers})`, async () => {
      const h = await hunt({ paths: [XML, EVTX, xmlCopy, evtxCopy], content, workers });
      const twice = flagshipRows(h);
      assert.deepEqual(twice.rows, expected(2));
      assert.equal(twice.risk, 6, "still one risk event per row");
      assert.equal(events(h), 24);
      assert.equal(h.stats.files.length, 4);
      assert.ok(!h.diagnostics.some((d) => d.code === "input-duplicate"), "a copy is not a duplicate name");
    });
  }

  it("the same path named twice is one file, read once (input-duplicate): counts stay 1", async () => {
    const h = await hunt({ paths: [XML, EVTX, XML], content });
    assert.deepEqual(flagshipRows(h).rows, expected(1));
    assert.equal(events(h), 12);
    assert.deepEqual(
      h.diagnostics.filter((d) => d.code === "input-duplicate").map((d) => [d.file, d.message]),
      [[XML, "given more than once; it is read once"]],
    );
  });
});

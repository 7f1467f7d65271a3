/**
 * `--explain` on a row that many events feed: a `by dest` search over winrshost.exe's children in the
 * Splunk attack-data T1047 NXLog export (MANIFEST: 8 winrshost→cmd.exe events on one host). The lines and
 * record numbers are found here by scanning the archive's member text with JSON.parse — not by our reader.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, it } from "node:test";
import { gunzipSync } from "node:zlib";
import { loadContent } from "../../src/content/index.js";
import { MAX_SHOWN } from "../../src/engine/explain.js";
import { explainLines } from "../../src/engine/explain-text.js";
import { hunt } from "../../src/engine/hunt.js";

const ARCHIVE = new URL(
  "../../../shared/data/splunk-attack-data/T1047_atomic_red_team_attack_data.tar.gz",
  import.meta.url,
).pathname;

/** [line, RecordNumber, basename of ParentImage] of Sysmon 1 events whose parent is winrshost.exe. */
function oracle(): [number, number, string][] {
  const tar = gunzipSync(readFileSync(ARCHIVE));
  const size = Number.parseInt(tar.subarray(124, 136).toString("latin1").replace(/\0.*$/, "").trim(), 8);
  const lines = tar
    .subarray(512, 512 + size)
    .toString("utf8")
    .split("\n");
  const out: [number, number, string][] = [];
  lines.forEach((l, i) => {
    if (!l.toLowerCase().includes("winrshost")) return;
    const o: unknown = JSON.parse(l);
    if (typeof o !== "object" || o === null) return;
    const r = o as Record<string, unknown>;
    if (String(r.EventID) === "1" && String(r.ParentImage).toLowerCase().endsWith("\\winrshost.exe"))
      out.push([i + 1, Number(r.RecordNumber), String(r.ParentImage).split("\\").at(-1) ?? ""]);
  });
  return out;
}

const dir = mkdtempSync(join(tmpdir(), "winnow-explain-"));
after(() => rmSync(dir, { recursive: true, force: true }));

it("a row fed by 8 events lists the first 5 (line and record in reading order) and counts the other 3", async () => {
  const want = oracle();
  assert.equal(want.length, 8);
  mkdirSync(join(dir, "detections"));
  writeFileSync(
    join(dir, "detections", "children.yml"),
    [
      "name: WinrsHost Children By Host",
      "id: 44444444-4444-4444-4444-444444444444",
      "version: 1",
      "status: production",
      "type: Hunting",
      "description: children of winrshost.exe per host",
      "search: '| tstats count from datamodel=Endpoint.Processes where Processes.parent_process_name=winrshost.exe by Processes.dest | `drop_dm_object_name(Processes)`'",
      "tags:",
      "  analytic_story: [Test]",
      "  risk_score: 1",
      "  mitre_attack_id: [T1021]",
      "  observable: []",
      "",
    ].join("\n"),
  );
  const result = await hunt({
    paths: [ARCHIVE],
    content: loadContent([dir]),
    only: ["WinrsHost Children By Host"],
    lateralMovement: false,
    explain: true,
  });
  const r = result.results[0];
  assert.deepEqual(r.rows, [{ dest: "win-dc-6178966.attackrange.local", count: 8 }]);
  const x = r.explain?.[0];
  assert.ok(x !== undefined);
  assert.equal(MAX_SHOWN, 5);
  assert.deepEqual(
    x.matches.map((m) => [m.source.line, m.source.recordId]),
    want.slice(0, 5).map(([line, record]) => [line, record]),
  );
  assert.equal(x.more, 3);
  assert.equal(x.note, undefined);
  x.matches.forEach((m, i) => {
    assert.equal(m.source.file, `${ARCHIVE}!attack_data.txt`);
    assert.deepEqual(
      m.clauses.map((c) => [c.clause.text, c.matched, c.values]),
      [['Processes.parent_process_name="winrshost.exe"', true, [want[i][2]]]],
    );
  });
  const text = explainLines(x);
  assert.equal(text.at(-1), "    … and 3 more source events");
});

/**
 * One detection failing while it runs (here: a regex built from event data that is not a valid regex) is
 * reported with its name and the reason; every other detection still returns its rows.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "node:test";
import { loadContent } from "../../src/content/index.js";
import { hunt } from "../../src/engine/hunt.js";

it("a detection whose search fails at run time is reported alone; the others keep their rows", async () => {
  const dir = mkdtempSync(join(tmpdir(), "winnow-isolation-"));
  mkdirSync(join(dir, "detections"));
  writeFileSync(
    join(dir, "detections", "bad_regex.yml"),
    [
      "name: Regex From Data",
      "id: 33333333-3333-3333-3333-333333333333",
      "version: 1",
      "status: production",
      "type: Hunting",
      "description: builds a regex from each row",
      "search: '| tstats count from datamodel=Endpoint.Processes by Processes.process | `drop_dm_object_name(Processes)` | eval pattern=\"(\".process | where match(process, pattern)'",
      "tags:",
      "  analytic_story: [Test]",
      "  risk_score: 1",
      "  mitre_attack_id: [T1021]",
      "  observable: []",
      "",
    ].join("\n"),
  );
  const content = loadContent([dir]);
  assert.deepEqual(
    content.diagnostics.filter((d) => d.severity === "error"),
    [],
  );
  const h = await hunt({
    paths: ["examples/"],
    content,
    only: ["Remote Process Instantiation via WinRM and Winrs", "Regex From Data"],
  });
  // The bad regex is reported against the detection that built it (once per distinct pattern, as a warning:
  // docs/semantics.md), the row is dropped, and the other detection is untouched.
  const byName = new Map(h.results.map((r) => [r.detection.name, r]));
  assert.equal(byName.get("Remote Process Instantiation via WinRM and Winrs")?.rows.length, 4);
  assert.deepEqual(byName.get("Remote Process Instantiation via WinRM and Winrs")?.diagnostics, []);
  const bad = byName.get("Regex From Data");
  assert.ok(bad);
  assert.equal(bad.rows.length, 0);
  assert.ok(bad.diagnostics.length > 0);
  for (const d of bad.diagnostics) {
    assert.equal(d.code, "spl-runtime");
    assert.equal(d.detection, "Regex From Data");
    assert.match(d.message, /^invalid regex: .* built from data\)/);
  }
  assert.equal(h.failed.length, 0);
});

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

it("a detection that throws at run time fails alone", async () => {
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
  const h = await hunt({ paths: ["examples/"], content });
  assert.deepEqual(
    h.results.map((r) => [r.detection.name, r.rows.length]),
    [["Remote Process Instantiation via WinRM and Winrs", 4]],
  );
  assert.equal(h.failed.length, 1);
  assert.equal(h.failed[0].detection.name, "Regex From Data");
  assert.equal(h.failed[0].diagnostics[0].code, "spl-runtime");
  assert.match(h.failed[0].diagnostics[0].message, /regex/i);
});

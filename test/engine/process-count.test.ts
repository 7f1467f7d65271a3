/**
 * `process_events` counts Endpoint.Processes records only (Sysmon 1, Security 4688), whatever other data
 * models the loaded content searches; the other records are counted by dataset (tester's bug: with
 * `--content` loaded, `hunt sysmon.evtx` said `358 events (295 process)`; MANIFEST.md: 358 records, 227 Sysmon 1).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, describe, it } from "node:test";
import { collect } from "../ingest/collect-events.js";
import { tempFiles } from "../ingest/temp-inputs.js";
import { runCli } from "../support/run-cli.js";
import { sharedPath } from "../support/shared.js";

const SYSMON = sharedPath("data/evtx-rs-samples/sysmon.evtx");

const detection = (id: string, model: string, by: string) =>
  [
    `name: Count ${model}`,
    `id: ${id}`,
    "version: 1",
    "status: production",
    "type: Hunting",
    `search: '| tstats count from datamodel=${model} by ${by}'`,
    "tags:",
    "  confidence: 50",
    "  impact: 50",
    "  message: count on $dest$",
    "  observable:",
    "  - name: dest",
    "    type: Hostname",
    "    role: [Victim]",
    "",
  ].join("\n");

describe("process_events and the per-dataset counts", () => {
  const t = tempFiles({
    "content/detections/fs.yml": detection(
      "aaaaaaaa-0000-0000-0000-000000000001",
      "Endpoint.Filesystem",
      "Filesystem.dest",
    ),
    "content/detections/reg.yml": detection(
      "aaaaaaaa-0000-0000-0000-000000000002",
      "Endpoint.Registry",
      "Registry.dest",
    ),
    "content/detections/net.yml": detection(
      "aaaaaaaa-0000-0000-0000-000000000003",
      "Network_Traffic.All_Traffic",
      "All_Traffic.dest",
    ),
  });
  after(() => t.cleanup());

  it("sysmon.evtx with content on four data models: 227 process events, the rest by dataset", async () => {
    // Event IDs as the reader gives them, before any normalization: the oracle for the dataset counts.
    const read = await collect([SYSMON]);
    const ids: Record<number, number> = {};
    for (const e of read.events) ids[e.eventId] = (ids[e.eventId] ?? 0) + 1;
    assert.equal(read.events.length, 358); // MANIFEST: 358 records
    assert.equal(ids[1], 227); // MANIFEST: 227 Sysmon 1
    assert.equal((ids[11] ?? 0) + (ids[2] ?? 0) + (ids[23] ?? 0) + (ids[26] ?? 0), 34);
    assert.equal((ids[12] ?? 0) + (ids[13] ?? 0) + (ids[14] ?? 0), 32);
    assert.equal(ids[3], 2);

    const stats = t.path("stats.json");
    const r = runCli(["hunt", SYSMON, "--content", t.path("content"), "--stats-json", stats, "-f", "jsonl"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /winnow: 1 file read; 358 events \(227 process, 68 other data-model records\)/);
    const s = JSON.parse(readFileSync(stats, "utf8"));
    assert.equal(s.totals.events, 358);
    assert.equal(s.totals.process_events, 227);
    const datasets = {
      "Endpoint.Processes": 227,
      "Endpoint.Filesystem": 34,
      "Endpoint.Registry": 32,
      "Network_Traffic.All_Traffic": 2,
    };
    assert.deepEqual(s.datasets, datasets);
    assert.equal(s.files[0].process_events, 227);
    assert.deepEqual(s.files[0].datasets, datasets);
  });

  it("without extra content: the same 227, and no other data-model records", () => {
    const stats = t.path("stats-builtin.json");
    const r = runCli(["hunt", SYSMON, "--stats-json", stats, "-f", "jsonl"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /winnow: 1 file read; 358 events \(227 process\), 0 malformed records skipped/);
    const s = JSON.parse(readFileSync(stats, "utf8"));
    assert.equal(s.totals.process_events, 227);
    assert.deepEqual(s.datasets, { "Endpoint.Processes": 227 });
  });
});

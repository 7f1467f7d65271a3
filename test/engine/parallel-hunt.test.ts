/**
 * Reading on threads changes nothing: `hunt` with 1 and 2 workers over all of ../shared/data gives the same
 * rows, risk events, diagnostics, FileReports and counts, with the built-in detections and with all of ESCU
 * (whose where clauses decide which records the readers send: engine/record-prefilter.ts); EVTX files cut into one-chunk units on two threads
 * give the same records, diagnostics and FileReports as `readInputs` on one thread.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadContent } from "../../src/content/index.js";
import type { Diagnostic } from "../../src/diag/diagnostic.js";
import { hunt } from "../../src/engine/hunt.js";
import { parallelRecords } from "../../src/engine/parallel-hunt.js";
import { planUnits } from "../../src/ingest/parallel-units.js";
import { readInputs } from "../../src/ingest/read-inputs.js";
import type { FileReport } from "../../src/ingest/types.js";
import { normalizeEvent } from "../../src/normalize/normalize-event.js";
import { DATASET_DEFAULTS, findMapping, SOURCE_MAPPINGS } from "../../src/normalize/registry.js";
import { sharedPath } from "../support/shared.js";

const DATA = sharedPath("data");
const WIN10_SYSMON = sharedPath(
  "data/dfir-artifact-museum/Win10_APTSimulatorVM_Microsoft-Windows-Sysmon%4Operational.evtx",
);
const DERIVED = sharedPath("data/derived-positives/derived_winrs_sysmon_Win10_APTSimulatorVM.evtx");
const BAD_CHUNK = sharedPath("data/evtx-rs-samples/sample_with_a_bad_chunk_magic.evtx");
const FLAGSHIP = "Remote Process Instantiation via WinRM and Winrs";

async function huntWith(workers: number, paths: string[], content = loadContent([])) {
  const diagnostics: Diagnostic[] = [];
  const files: FileReport[] = [];
  const r = await hunt({
    paths,
    content,
    workers,
    report: (d) => diagnostics.push(d),
    onFile: (f) => files.push(f),
  });
  return {
    results: r.results.map((x) => ({
      name: x.detection.name,
      columns: x.columns,
      rows: x.rows,
      risk: x.risk,
    })),
    failed: r.failed.map((f) => f.detection.name),
    diagnostics,
    files,
    stats: { ...r.stats, seconds: 0 },
    edges: r.lateralMovement?.edges,
  };
}

describe("hunt on reader threads", () => {
  it("gives the same results with 1 and 2 workers over all of ../shared/data", async () => {
    const one = await huntWith(1, [DATA]);
    const two = await huntWith(2, [DATA]);
    assert.deepEqual(two, one);
    // Independent values (MANIFEST, derived-positives expected.json): the Win10 Sysmon log holds 681
    // Sysmon 1 events, the derived copy the same 681, and the flagship fires 4 times on the derived copy.
    assert.equal(two.stats.mappedByFile[WIN10_SYSMON], 681);
    assert.equal(two.stats.mappedByFile[DERIVED], 681);
    assert.equal(two.files.find((f) => f.file === WIN10_SYSMON)?.events, 1402);
    const flagship = two.results.find((r) => r.name === FLAGSHIP);
    assert.ok(flagship !== undefined);
    assert.ok(flagship.rows.filter((r) => r.dest === "DESKTOP-TMKU40H").length === 4);
  });

  it("gives the same results with 1 and 2 workers with all of ESCU (the readers leave out what no search can use)", async () => {
    const escu = loadContent([sharedPath("content/security_content")]);
    const started = Date.now();
    const one = await huntWith(1, [DATA], escu);
    const two = await huntWith(2, [DATA], escu);
    // Some ESCU searches stamp rows with the time they ran (now()): those times are the run's, not the data's.
    const ranAt = (_key: string, v: unknown) =>
      typeof v === "string" && /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(v) && Date.parse(v) >= started - 1000
        ? "<run time>"
        : v;
    const same = (x: unknown) => JSON.parse(JSON.stringify(x, ranAt));
    assert.deepEqual(same(two), same(one));
    assert.equal(two.stats.mappedByFile[WIN10_SYSMON], 681);
    // Many detections fire on these logs: the comparison is not one of empty results.
    assert.ok(two.results.filter((r) => r.rows.length > 0).length > 20);
  });

  it("cuts EVTX files into chunk ranges and reads them on two threads exactly as readInputs does", async () => {
    const paths = [WIN10_SYSMON, BAD_CHUNK, sharedPath("data/evtx-to-mitre-attack"), "/no/such/winnow/path"];
    const units = await planUnits(paths, { chunksPerUnit: 1 });
    // 2166784 bytes = 4 KiB header + 33 chunks: the first range holds the header and one chunk.
    assert.equal(units.filter((u) => u.kind === "evtx" && u.path === WIN10_SYSMON).length, 33);

    const datasets = ["Endpoint.Processes"];
    const mappings = SOURCE_MAPPINGS.filter((m) => m.dataset === "Endpoint.Processes");
    const defaults = DATASET_DEFAULTS.find((d) => d.dataset === "Endpoint.Processes");
    const want: unknown[] = [];
    const wantDiags: Diagnostic[] = [];
    const input = readInputs(paths, {
      report: (d) => wantDiags.push(d),
      filter: (p, c, id) => findMapping(mappings, p, c, id) !== undefined,
    });
    let next = await input.next();
    while (next.done !== true) {
      for (const e of next.value) {
        const m = findMapping(mappings, e.provider, e.channel, e.eventId);
        if (m !== undefined) want.push([e.origin.file, m.id, normalizeEvent(e, m, defaults)]);
      }
      next = await input.next();
    }
    const wantFiles = next.value;

    // 2 readers: this thread and one reader thread; 3: and two. This thread reads whenever it would wait, up
    // to `window` units ahead, so both windows are tried.
    for (const [workers, window] of [
      [2, 1],
      [2, 4],
      [3, 1],
    ]) {
      const got: unknown[] = [];
      const gotDiags: Diagnostic[] = [];
      const records = parallelRecords(paths, {
        workers,
        datasets,
        report: (d) => gotDiags.push(d),
        chunksPerUnit: 1,
        minBytes: 0,
        window,
      });
      let r = await records.next();
      while (r.done !== true) {
        for (const seg of r.value)
          for (let i = 0; i < seg.records.length; i++)
            got.push([seg.file, SOURCE_MAPPINGS[seg.mapping[i]].id, seg.records[i]]);
        r = await records.next();
      }
      const what = `${workers} readers, window ${window}`;
      assert.deepEqual(r.value, wantFiles, what);
      assert.deepEqual(gotDiags, wantDiags, what);
      assert.deepEqual(got, want, what);
      // MANIFEST: 681 Sysmon 1 in the Win10 log, 58 4688 in the encoded-PowerShell log, 3 + 4 + 11 in the others.
      assert.equal(got.filter((g) => (g as string[])[0] === WIN10_SYSMON).length, 681);
      assert.equal(r.value.find((f) => f.file === WIN10_SYSMON)?.events, 1402);
      assert.equal(r.value.at(-1)?.unreadable, "no such file or directory");
    }
  });
});

/**
 * The reader threads' prefilter (engine/record-prefilter.ts): a record crosses to the main thread when some
 * loaded search can use it, decided by the searches' own where clauses compiled again from their syntax trees
 * (as a reader thread gets them, after a structured clone); every record of a dataset that some search reads
 * without such a filter (an append source) crosses. And over real logs: the records left out are exactly those
 * the searches ignore (1 and 2 readers give the same results with all of ESCU, parallel-hunt.test.ts), and
 * there are many of them.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadContent } from "../../src/content/index.js";
import { selectDetections } from "../../src/engine/compile-detections.js";
import { parallelRecords } from "../../src/engine/parallel-hunt.js";
import { compilePrefilter, prefilterSpec } from "../../src/engine/record-prefilter.js";
import { type CompiledSearch, compileSearch } from "../../src/spl/index.js";
import { flagshipMacros } from "../spl/flagship-fixture.js";
import { sharedPath } from "../support/shared.js";

const DS = "Endpoint.Processes";

function compiled(spl: string): CompiledSearch {
  const r = compileSearch(spl, { macros: flagshipMacros() });
  assert.deepEqual(r.diagnostics, []);
  assert.ok(r.search);
  return r.search;
}

const winrs = { process_name: "winrs.exe", process: "winrs -r:h x", dest: "a" };
const other = { process_name: "cmd.exe", process: "cmd /c x", dest: "a" };
const b = { process_name: "b.exe", process: "b", dest: "a" };

/** What a reader thread decides, from the spec as it arrives there (structured clone). */
function decide(searches: CompiledSearch[], records: object[]): boolean[] {
  const keep = compilePrefilter(structuredClone(prefilterSpec(searches)));
  return records.map((r) => keep(DS, r as never));
}

describe("record prefilter", () => {
  const byName = compiled(
    `| tstats count from datamodel=Endpoint.Processes where Processes.process_name=winrs.exe Processes.process="*-r:*" by Processes.dest`,
  );

  it("keeps the records a search's where clause keeps, and no other", () => {
    assert.deepEqual(decide([byName], [winrs, other, b]), [true, false, false]);
    assert.deepEqual(decide([byName], [{ ...winrs, process: "winrs /?" }]), [false]);
  });

  it("keeps what any search keeps; a search without a where clause keeps every record", () => {
    const bOnly = compiled(
      `| tstats count from datamodel=Endpoint.Processes where Processes.process_name=b.exe by Processes.dest`,
    );
    assert.deepEqual(decide([byName, bOnly], [winrs, other, b]), [true, false, true]);
    const all = compiled(`| tstats count from datamodel=Endpoint.Processes by Processes.dest`);
    assert.deepEqual(decide([byName, all], [winrs, other, b]), [true, true, true]);
  });

  it("compiles a where clause's subsearch from the results it had at compile time", () => {
    const sub = compiled(
      `| tstats count from datamodel=Endpoint.Processes where [| makeresults | eval Processes.process_name="b.exe" | fields Processes.process_name] by Processes.dest`,
    );
    assert.deepEqual(decide([sub], [winrs, other, b]), [false, false, true]);
  });

  it("takes the filters of every source a search pushes records to: an appended or joined subsearch's too", () => {
    const appended = compiled(
      `| tstats count from datamodel=Endpoint.Processes where Processes.process_name=winrs.exe by Processes.dest | append [| tstats count from datamodel=Endpoint.Processes where Processes.process_name=b.exe by Processes.dest]`,
    );
    assert.equal(appended.recordFilters?.length, 2);
    assert.deepEqual(decide([appended], [winrs, other, b]), [true, false, true]);
    const joined = compiled(
      `| tstats count from datamodel=Endpoint.Processes where Processes.process_name=winrs.exe by Processes.dest | join Processes.dest [| tstats count as c from datamodel=Endpoint.Processes where Processes.process_name=b.exe by Processes.dest]`,
    );
    assert.equal(joined.recordFilters?.length, 2);
    assert.deepEqual(decide([joined], [winrs, other, b]), [true, false, true]);
  });

  it("keeps every record of a dataset that a search reads without saying which records it uses", () => {
    const opaque: CompiledSearch = { datasets: [DS], fieldsUsed: new Map(), start: () => byName.start() };
    assert.deepEqual(decide([byName, opaque], [winrs, other, b]), [true, true, true]);
    // A dataset no search reads is not the filter's to decide (the main thread counts and drops it).
    const keep = compilePrefilter(prefilterSpec([byName]));
    assert.equal(keep("Endpoint.Registry", other as never), true);
  });

  it("keeps a record its filter throws on: the search meets the same error on the main thread", () => {
    const keep = compilePrefilter(prefilterSpec([byName]));
    const throwing = Object.defineProperty({}, "process_name", {
      enumerable: true,
      get() {
        throw new Error("boom");
      },
    });
    assert.equal(keep(DS, throwing as never), true);
  });

  it("over the derived winrs Sysmon log, sends 6 of its 681 process records: the winrs runs the built-in searches report", async () => {
    const content = loadContent([]);
    const searches = selectDetections(content, {}).compiled.map((c) => c.search);
    const file = sharedPath("data/derived-positives/derived_winrs_sysmon_Win10_APTSimulatorVM.evtx");
    const kept: string[] = [];
    let left = 0;
    const records = parallelRecords([file], {
      workers: 2,
      datasets: [DS],
      prefilter: prefilterSpec(searches),
      report: () => {},
      chunksPerUnit: 1,
      minBytes: 0,
    });
    let r = await records.next();
    while (r.done !== true) {
      for (const seg of r.value)
        for (const rec of seg.records) {
          if (rec === null) left++;
          else kept.push(`${rec.process_name}: ${String(rec.process).slice(0, 40)}`);
        }
      r = await records.next();
    }
    assert.equal(left + kept.length, 681);
    // The rows `winnow hunt` gives on this file (docs/detections.md): four flagship runs, a renamed copy among
    // them, one with a slash switch (WinRM Pack - Any Switch) and one without a target (WinRM Pack - Loopback).
    assert.deepEqual(kept.sort(), [
      "rs.exe: rs.exe -r:10.10.4.21 -u:CORP\\svc_deploy ",
      'winrs.exe: "C:\\Windows\\System32\\winrs.exe" -R:FS01.',
      "winrs.exe: winrs -r:SRV-APP-07 -u:CORP\\svc_deploy  ",
      'winrs.exe: winrs -u:TestUser "cmd /c hostname"',
      "winrs.exe: winrs /r:SRV-APP-07 /u:CORP\\svc_deploy /",
      "winrs.exe: winrs.exe -remote:https://srv-db-02.corp",
    ]);
    assert.equal(left, 675);
  });
});

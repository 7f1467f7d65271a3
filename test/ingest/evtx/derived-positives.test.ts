/**
 * The EVTX derived positives: the winrs-related records listed in each `.expected.json` decode with
 * exactly the command lines and image names the independent checker computed, and 4688 process ids
 * render the Windows way (`0xfa8`, not the oracles' `0x0000000000000fa8`).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import type { WinEvent } from "../../../src/model/event.js";
import { sharedPath } from "../../support/shared.js";
import { readAll } from "./read-all.js";

interface Related {
  ref: string;
  event: string;
  process_name: string;
  original_file_name: string;
  process: string;
}

interface Row {
  process: string;
  process_id: string;
  parent_process_id: string;
}

interface Expected {
  events_total: number;
  sysmon_eid1_events: number;
  security_4688_events: number;
  expect: { rows: Row[] };
  winrs_related_process_events: Related[];
}

function loadExpected(rel: string): Expected {
  const v: unknown = JSON.parse(
    readFileSync(sharedPath(`data/derived-positives/${rel}.expected.json`), "utf8"),
  );
  if (typeof v !== "object" || v === null || !("winrs_related_process_events" in v) || !("expect" in v)) {
    throw new Error(`${rel}.expected.json: unexpected shape`);
  }
  return v as Expected;
}

const basename = (p: string) => p.slice(p.lastIndexOf("\\") + 1);

/** SEMANTICS.md §3, 4688 `process`: CommandLine if its first token has a `\`, else image + arguments. */
function process4688(e: WinEvent): string {
  const cmd = e.data.CommandLine ?? "";
  const image = e.data.NewProcessName ?? "";
  const m = /^("[^"]*"|\S*)\s?(.*)$/s.exec(cmd);
  const first = m?.[1] ?? "";
  if (first.includes("\\")) return cmd;
  const quoted = image.includes(" ") ? `"${image}"` : image;
  return m?.[2] ? `${quoted} ${m[2]}` : quoted;
}

async function byRecordId(rel: string): Promise<Map<number, WinEvent>> {
  const { events, counts } = await readAll(sharedPath(`data/derived-positives/${rel}`), rel);
  assert.equal(counts.malformed, 0);
  return new Map(events.map((e) => [e.recordId ?? -1, e]));
}

const recordIdOf = (r: Related) => Number(/EventRecordID (\d+)/.exec(r.ref)?.[1]);

describe("EVTX derived positives decode to their expected values", () => {
  it("derived_winrs_sysmon_Win10_APTSimulatorVM.evtx: Sysmon 1 CommandLine, Image, OriginalFileName, pids", async () => {
    const rel = "derived_winrs_sysmon_Win10_APTSimulatorVM.evtx";
    const expected = loadExpected(rel);
    const events = await byRecordId(rel);
    assert.equal(events.size, expected.events_total);
    assert.equal(expected.winrs_related_process_events.length, 6);
    for (const r of expected.winrs_related_process_events) {
      const e = events.get(recordIdOf(r));
      assert.ok(e, r.ref);
      assert.equal(e.eventId, 1, r.ref);
      assert.equal(e.data.CommandLine, r.process, r.ref);
      assert.equal(basename(e.data.Image), r.process_name, r.ref);
      assert.equal(e.data.OriginalFileName, r.original_file_name, r.ref);
    }
    for (const row of expected.expect.rows) {
      const e = [...events.values()].find((x) => x.eventId === 1 && x.data.CommandLine === row.process);
      assert.ok(e, row.process);
      assert.equal(e.data.ProcessId, row.process_id);
      assert.equal(e.data.ParentProcessId, row.parent_process_id);
    }
  });

  it("derived_winrs_4688_fs03vuln.evtx: 4688 CommandLine/NewProcessName and hex pids like 0xfa8", async () => {
    const rel = "derived_winrs_4688_fs03vuln.evtx";
    const expected = loadExpected(rel);
    const events = await byRecordId(rel);
    assert.equal(events.size, expected.events_total);
    assert.equal(expected.winrs_related_process_events.length, 4);
    for (const r of expected.winrs_related_process_events) {
      const e = events.get(recordIdOf(r));
      assert.ok(e, r.ref);
      assert.equal(e.eventId, 4688, r.ref);
      assert.equal(e.data.NewProcessName, "C:\\Windows\\System32\\winrs.exe", r.ref);
      assert.equal(basename(e.data.NewProcessName), r.process_name, r.ref);
      assert.equal(process4688(e), r.process, r.ref);
    }
    // The exact CommandLine values written into the records (MANIFEST, derived-positives table).
    assert.equal(events.get(1101625)?.data.CommandLine, "winrs -r:dc1 hostname");
    assert.equal(
      events.get(1101628)?.data.CommandLine,
      "C:\\Windows\\system32\\winrs.exe -remote:dc01   whoami",
    );
    assert.equal(expected.expect.rows.length, 3);
    for (const row of expected.expect.rows) {
      const e = [...events.values()].find((x) => process4688(x) === row.process);
      assert.ok(e, row.process);
      assert.equal(e.data.NewProcessId, row.process_id);
      assert.equal(e.data.ProcessId, row.parent_process_id);
    }
    assert.equal(events.get(1101626)?.data.NewProcessId, "0xfa8");
  });
});

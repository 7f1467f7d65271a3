/**
 * Every .evtx under ../shared/data: record counts and Sysmon 1 / Security 4688 counts equal
 * ../shared/data/MANIFEST.md (numbers typed in from the MANIFEST tables, not from our output).
 * The damaged files are pinned separately, with the oracles' numbers they are checked against.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import { sharedPath } from "../../support/shared.js";
import { isProcessCreation, isSecurity, isSysmon, readAll } from "./read-all.js";

interface Expect {
  records: number;
  sysmon1: number;
  sec4688: number;
}

// From MANIFEST.md ("records", "proc-create (S1/4688)"), and the derived positives' expected.json.
const MANIFEST: Record<string, Expect> = {
  "evtx-attack-samples/LM_winrm_exec_sysmon_1_winrshost.evtx": { records: 3, sysmon1: 3, sec4688: 0 },
  "evtx-attack-samples/LM_PowershellRemoting_sysmon_1_wsmprovhost.evtx": {
    records: 1,
    sysmon1: 1,
    sec4688: 0,
  },
  "evtx-attack-samples/LM_winrm_target_wrmlogs_91_wsmanShellStarted_poorLog.evtx": {
    records: 1,
    sysmon1: 0,
    sec4688: 0,
  },
  "evtx-attack-samples/RemotePowerShell_MS_Windows-Remote_Management_EventID_169.evtx": {
    records: 6,
    sysmon1: 0,
    sec4688: 0,
  },
  "evtx-attack-samples/LM_WMI_4624_4688_TargetHost.evtx": { records: 8, sysmon1: 0, sec4688: 2 },
  "evtx-attack-samples/LM_wmiexec_impacket_sysmon_whoami.evtx": { records: 7, sysmon1: 4, sec4688: 0 },
  "evtx-attack-samples/LM_sysmon_psexec_smb_meterpreter.evtx": { records: 10, sysmon1: 3, sec4688: 0 },
  "evtx-to-mitre-attack/ID4688_4697_5140-5145_PSexec_remote_execution_+_admin_share.evtx": {
    records: 30,
    sysmon1: 0,
    sec4688: 11,
  },
  "evtx-to-mitre-attack/ID4688_4674-DCOMexec_process_spawned.evtx": { records: 12, sysmon1: 0, sec4688: 3 },
  "evtx-to-mitre-attack/ID4688-Encoded_PowerShell_MSF_payload_via_process_execution.evtx": {
    records: 59,
    sysmon1: 0,
    sec4688: 58,
  },
  "evtx-to-mitre-attack/ID4688-User_enumeration_via_command.evtx": { records: 4, sysmon1: 0, sec4688: 4 },
  "evtx-rs-samples/security.evtx": { records: 2261, sysmon1: 0, sec4688: 0 },
  "evtx-rs-samples/security_bad_string_cache.evtx": { records: 2261, sysmon1: 0, sec4688: 0 },
  "evtx-rs-samples/sysmon.evtx": { records: 358, sysmon1: 227, sec4688: 0 },
  "evtx-rs-samples/Application_no_crc32.evtx": { records: 17, sysmon1: 0, sec4688: 0 },
  "dfir-artifact-museum/Win10_APTSimulatorVM_Microsoft-Windows-Sysmon%4Operational.evtx": {
    records: 1402,
    sysmon1: 681,
    sec4688: 0,
  },
  "dfir-artifact-museum/Win10_APTSimulatorVM_Security.evtx": { records: 5337, sysmon1: 0, sec4688: 34 },
  "dfir-artifact-museum/Server2022_APTSimulatorVM_Microsoft-Windows-Sysmon%4Operational.evtx": {
    records: 850,
    sysmon1: 421,
    sec4688: 0,
  },
  "derived-positives/derived_winrs_sysmon_Win10_APTSimulatorVM.evtx": {
    records: 1402,
    sysmon1: 681,
    sec4688: 0,
  },
  "derived-positives/derived_winrs_4688_fs03vuln.evtx": { records: 4, sysmon1: 0, sec4688: 4 },
};

/** Files with damage, checked by their own tests below. */
const PINNED = [
  "evtx-rs-samples/sample-with-zero-data-size-event.evtx",
  "evtx-rs-samples/sample_with_a_bad_chunk_magic.evtx",
  "evtx-to-mitre-attack/ID4656-WS_Management_listener_enumeration.evtx",
];

function allEvtx(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) allEvtx(p, out);
    else if (name.endsWith(".evtx")) out.push(p);
  }
  return out;
}

const DATA = sharedPath("data");

describe("EVTX corpus counts equal the MANIFEST", () => {
  it("covers every .evtx in ../shared/data", () => {
    const found = allEvtx(DATA).map((p) => relative(DATA, p).split("\\").join("/"));
    assert.deepEqual(found.sort(), [...Object.keys(MANIFEST), ...PINNED].sort());
  });

  for (const [rel, want] of Object.entries(MANIFEST)) {
    it(rel, async () => {
      const read = await readAll(join(DATA, rel), rel);
      const { events, counts } = read;
      let diagnostics = read.diagnostics;
      assert.equal(counts.events, want.records, "records");
      assert.equal(events.length, want.records, "events produced");
      assert.equal(counts.malformed, 0, "malformed");
      assert.equal(counts.recovered, 0, "recovered");
      const s1 = events.filter((e) => e.eventId === 1 && isSysmon(e)).length;
      const p4688 = events.filter((e) => e.eventId === 4688 && isSecurity(e)).length;
      assert.equal(s1, want.sysmon1, "Sysmon 1");
      assert.equal(p4688, want.sec4688, "Security 4688");
      // Records in chunk slack are a note (info), not damage; slack.test.ts and oracle.test.ts check them
      // against libevtx. Besides them, only leftovers past the last chunk of sysmon.evtx (stale header, 9
      // chunks + 8 blocks of junk) and the zeroed string-table entry of security_bad_string_cache.evtx (chunk
      // 0's header CRC at file offset 4096 + 124) may be reported; every other complete file reads without a word.
      const slack = diagnostics.filter((d) => d.code === "evtx-slack-records");
      assert.ok(slack.every((d) => d.severity === "info" && (d.count ?? 0) > 0));
      diagnostics = diagnostics.filter((d) => d.code !== "evtx-slack-records");
      const codes = diagnostics.map((d) => d.code);
      if (rel.endsWith("security_bad_string_cache.evtx")) {
        assert.deepEqual(
          diagnostics.map((d) => [d.code, d.severity, d.chunk, d.offset]),
          [["evtx-chunk-damaged", "warning", 0, 4096 + 124]],
        );
        return;
      }
      if (rel.endsWith("/sysmon.evtx")) {
        assert.deepEqual(codes, Array(8).fill("evtx-chunk-damaged"));
        assert.deepEqual(
          diagnostics.map((d) => [d.severity, d.chunk]),
          [9, 10, 11, 12, 13, 14, 15, 16].map((c) => ["info", c]),
        );
      } else assert.deepEqual(codes, []);
    });
  }

  it("security_bad_string_cache.evtx decodes exactly like security.evtx (names are read by offset, not from the cache)", async () => {
    // The two files differ in 2 bytes: one entry of chunk 0's common-string offset table is zeroed.
    const good = await readAll(join(DATA, "evtx-rs-samples/security.evtx"), "same.evtx");
    const bad = await readAll(join(DATA, "evtx-rs-samples/security_bad_string_cache.evtx"), "same.evtx");
    assert.equal(bad.events.length, 2261);
    assert.deepEqual(bad.events, good.events);
  });

  it("reads a Buffer exactly like the path", async () => {
    const rel = "evtx-rs-samples/sysmon.evtx";
    const fromPath = await readAll(join(DATA, rel), rel);
    const fromBuffer = await readAll(readFileSync(join(DATA, rel)), rel);
    assert.deepEqual(fromBuffer.events, fromPath.events);
    assert.deepEqual(fromBuffer.counts, fromPath.counts);
  });
});

describe("damaged files: what Winnow reads is pinned (see docs/evtx.md)", () => {
  it("sample-with-zero-data-size-event.evtx: 335 records as both oracles, plus 114 recovered after the zero-size record", async () => {
    const rel = PINNED[0];
    const { events, counts, diagnostics } = await readAll(join(DATA, rel), rel);
    // MANIFEST: 335 (python-evtx and libevtx). `evtxexport -m all` gives 449 = 335 + 114 recovered.
    assert.equal(counts.events - (counts.recovered ?? 0), 335);
    assert.equal(counts.recovered, 114);
    assert.equal(counts.events, 449);
    assert.equal(counts.malformed, 1);
    assert.equal(events.filter((e) => e.recovered).length, 114);
    assert.equal(events.filter(isProcessCreation).length, 0);
    // MANIFEST: 16 EventID 1 from Hyper-V-Netvsc / Kernel-General, none of them process creation.
    assert.equal(events.filter((e) => e.eventId === 1 && !e.recovered).length, 16);
    // Chunk 0's records checksum (header offset 52) no longer matches, and record 3 is reported. (Slack
    // records are a note, checked against libevtx in oracle.test.ts.)
    assert.deepEqual(
      diagnostics
        .filter((d) => d.code !== "evtx-slack-records")
        .map((d) => [d.code, d.chunk, d.recordId, d.offset]),
      [
        ["evtx-chunk-damaged", 0, undefined, 4096 + 52],
        ["evtx-record-damaged", 0, 3, 4096 + 2080], // the size-0 record header at chunk offset 2080
      ],
    );
  });

  it("sample_with_a_bad_chunk_magic.evtx: libevtx's 267 records, its 31 recovered ones, 3 torn records reported", async () => {
    const rel = PINNED[1];
    const { events, counts, diagnostics } = await readAll(join(DATA, rel), rel);
    const ids = (pred: (e: (typeof events)[number]) => boolean) =>
      events.filter(pred).map((e) => e.recordId ?? -1);
    const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
    // libevtx `evtxexport`: 46728-46740, 47628-47639, 45691-45932 (267 records);
    // `evtxexport -m recovered` lists 47675-47705 among its recovered records.
    assert.deepEqual(
      ids((e) => !e.recovered),
      [...range(46728, 46740), ...range(47628, 47639), ...range(45691, 45932)],
    );
    assert.deepEqual(
      ids((e) => e.recovered === true),
      range(47675, 47705),
    );
    assert.equal(counts.events, 298);
    assert.equal(counts.recovered, 31);
    // 3 torn records (python-evtx prints them with empty or partial values) + 82 record remnants in
    // the two blocks whose chunk header was wiped (their templates were in the wiped part).
    assert.equal(counts.malformed, 3 + 82);
    const damaged = diagnostics.filter((d) => d.code === "evtx-record-damaged");
    const torn = damaged.filter((d) => /torn or overwritten/.test(d.message)).map((d) => d.recordId);
    assert.deepEqual(torn, [46741, 47640, 45933]);
    // Each remnant is accounted on its own, with its record id and an offset inside its block: 15 in block 6,
    // 67 in block 10 (the numbers the blocks' warnings give).
    const remnants = damaged.filter((d) => !/torn or overwritten/.test(d.message));
    assert.deepEqual(
      [6, 10].map((c) => remnants.filter((d) => d.chunk === c).length),
      [15, 67],
    );
    for (const d of remnants) {
      const block = 4096 + 65536 * (d.chunk ?? -1);
      assert.ok(typeof d.recordId === "number" && d.recordId > 0, d.message);
      assert.ok((d.offset ?? -1) >= block && (d.offset ?? -1) < block + 65536, d.message);
      assert.match(d.message, new RegExp(`^record ${d.recordId} cannot be decoded: `));
    }
    // Records checksum mismatches (chunk offset 52) in the chunks with torn records, and the two
    // headerless blocks (offset 0 of the block).
    const chunkProblems = diagnostics
      .filter((d) => d.code === "evtx-chunk-damaged")
      .map((d) => [d.chunk, (d.offset ?? -1) - 4096 - 65536 * (d.chunk ?? 0)]);
    assert.deepEqual(chunkProblems, [
      [0, 52],
      [6, 0],
      [7, 52],
      [9, 52],
      [10, 0],
    ]);
  });

  it("ID4656-WS_Management_listener_enumeration.evtx: all 29 records (template-less BinXML) decode", async () => {
    const rel = PINNED[2];
    const { events, counts, diagnostics } = await readAll(join(DATA, rel), rel);
    // The header says 29 records (MANIFEST); both oracles fail on every one of them.
    assert.equal(counts.events, 29);
    assert.equal(counts.malformed, 0);
    assert.deepEqual(diagnostics, []);
    assert.ok(events.every((e) => e.eventId === 4656 && e.channel === "Security"));
    assert.ok(events.every((e) => e.provider === "Microsoft-Windows-Security-Auditing"));
    assert.equal(events.filter(isProcessCreation).length, 0);
    assert.equal(events[0].data.ObjectServer, "WS-Management Listener");
  });
});

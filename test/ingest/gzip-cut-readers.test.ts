/**
 * A compressed stream cut short gives every reader behind it the bytes that did decompress, then the cut is
 * reported once, on the input it cut — which counts as read and damaged, not unreadable (tester's bug 4: a
 * truncated .evtx.gz gave `error [archive-damaged] unexpected end of file` and 0 events while the same
 * truncated plain .evtx gave its events; a truncated .xml.log.gz said `0 files read, 1 unreadable; 12 events`).
 * The oracle for each cut is zlib's own partial inflate of it, read as a plain file.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, describe, it } from "node:test";
import { constants, gunzipSync, gzipSync } from "node:zlib";
import type { Diagnostic } from "../../src/diag/diagnostic.js";
import type { WinEvent } from "../../src/model/event.js";
import { runCli } from "../support/run-cli.js";
import { sharedPath } from "../support/shared.js";
import { collect } from "./collect-events.js";
import { type TempDir, tarOf, tempFiles } from "./temp-inputs.js";

// MANIFEST: 1402 records in 2,166,784 bytes (33 chunks).
const SYSMON = sharedPath(
  "data/dfir-artifact-museum/Win10_APTSimulatorVM_Microsoft-Windows-Sysmon%4Operational.evtx",
);
const XML = sharedPath("data/derived-positives/derived_winrs_xmlwineventlog_attackrange.xml.log");
const OTRF = sharedPath("data/otrf-security-datasets/covenant_com_wsman_automation.zip");

const content = (e: WinEvent) =>
  JSON.stringify([e.provider, e.channel, e.eventId, e.recordId, e.timeCreated, e.data]);
/** What zlib inflates from a cut gzip before it runs out. */
const inflated = (cut: Buffer) => gunzipSync(cut, { finishFlush: constants.Z_SYNC_FLUSH });
const where = (d: Diagnostic, dir: string) => [
  d.code,
  d.severity,
  d.file?.slice(dir.length + 1),
  d.chunk,
  d.recordId,
  d.offset,
];

describe("a gzip cut short: every reader gets what did decompress", () => {
  const sysmonGz = gzipSync(readFileSync(SYSMON));
  const evtxCut = sysmonGz.subarray(0, Math.floor(sysmonGz.length * 0.5));
  const xmlGz = gzipSync(readFileSync(XML));
  const xmlCut = xmlGz.subarray(0, Math.floor(xmlGz.length * 0.6));
  const t: TempDir = tempFiles({
    "cut.evtx.gz": evtxCut,
    "plain-cut.evtx": inflated(evtxCut),
    "cut.xml.log.gz": xmlCut,
    "plain-cut.xml.log": inflated(xmlCut),
    "cut-evtx.tar.gz": gzipSync(tarOf([["sysmon.evtx", readFileSync(SYSMON)]])).subarray(0, evtxCut.length),
    "header-only.evtx.gz": sysmonGz.subarray(0, 10),
  });
  after(() => t.cleanup());

  it("EVTX: the events of the decompressed part, as the same bytes read as a plain .evtx, then the cut", async () => {
    const plain = await collect([t.path("plain-cut.evtx")]);
    const gz = await collect([t.path("cut.evtx.gz")]);
    // Half of the gzip inflates to 11 whole chunks and part of a 12th: 658 of the 1402 records.
    assert.equal(plain.events.length, 658);
    assert.equal(gz.events.length, 658);
    assert.deepEqual(gz.events.map(content), plain.events.map(content));
    const plainDiags = plain.diagnostics.map((d) => where(d, t.dir).slice(1));
    assert.deepEqual(
      gz.diagnostics.map((d) => where(d, t.dir).slice(1)),
      [
        ...plainDiags.map((d) => [d[0], "cut.evtx.gz", ...d.slice(2)]),
        ["error", "cut.evtx.gz", undefined, undefined, undefined],
      ],
    );
    assert.equal(gz.diagnostics.at(-1)?.code, "archive-damaged");
    assert.equal(gz.diagnostics.at(-1)?.message, "reading stopped: unexpected end of file");
    const p = plain.reports[0];
    assert.deepEqual(gz.reports, [
      {
        file: t.path("cut.evtx.gz"),
        format: "evtx",
        containers: ["gzip"],
        events: p.events,
        malformed: p.malformed,
        recovered: p.recovered,
        damaged: "unexpected end of file",
        problems: { ...p.problems, "archive-damaged": 1 },
      },
    ]);
  });

  it("EVTX in a cut tar.gz: the member is read as far as it goes; one cut, on the member", async () => {
    const c = await collect([t.path("cut-evtx.tar.gz")]);
    const member = `${t.path("cut-evtx.tar.gz")}!sysmon.evtx`;
    assert.equal(c.events.length, 658); // the same cut as above: the tar header takes 512 bytes of it
    assert.deepEqual(
      c.reports.map((r) => [r.file, r.format, r.containers, r.events > 0, r.damaged, r.unreadable]),
      [[member, "evtx", ["gzip", "tar"], true, "unexpected end of file", undefined]],
    );
    assert.deepEqual(
      c.diagnostics.filter((d) => d.code === "archive-damaged").map((d) => [d.file, d.message]),
      [[member, "reading stopped: unexpected end of file"]],
    );
  });

  it("XML lines: the whole lines that inflate, as the plain file; read (damaged), not unreadable", async () => {
    const plain = await collect([t.path("plain-cut.xml.log")]);
    const gz = await collect([t.path("cut.xml.log.gz")]);
    assert.ok(plain.events.length > 0);
    assert.deepEqual(gz.events.map(content), plain.events.map(content));
    assert.deepEqual(
      gz.reports.map((r) => [r.events, r.malformed, r.damaged, r.unreadable]),
      [[plain.reports[0].events, plain.reports[0].malformed, "unexpected end of file", undefined]],
    );
  });

  it("JSON lines in a zip member whose deflate data is damaged: the lines before the damage, then one archive-damaged", async () => {
    const z = Buffer.from(readFileSync(OTRF));
    const dataStart = 30 + z.readUInt16LE(26) + z.readUInt16LE(28);
    for (let i = 0; i < 64; i++) z[dataStart + 40_000 + i] ^= 0x5a;
    const d = tempFiles({ "bad.zip": z });
    try {
      const c = await collect([d.path("bad.zip")]);
      assert.equal(c.reports.length, 1);
      const r = c.reports[0];
      assert.equal(r.format, "json");
      assert.ok(r.events > 100 && r.events < 811, String(r.events)); // MANIFEST: 811 events undamaged
      assert.equal(r.unreadable, undefined);
      assert.match(r.damaged ?? "", /too many bytes in the stream|invalid|incorrect/);
      assert.equal(c.diagnostics.filter((x) => x.code === "archive-damaged").length, 1);
    } finally {
      d.cleanup();
    }
  });

  it("a gzip cut before anything decompresses is unreadable (nothing was read)", async () => {
    const c = await collect([t.path("header-only.evtx.gz")]);
    assert.deepEqual(
      c.reports.map((r) => [r.events, r.unreadable, r.damaged]),
      [[0, "unexpected end of file", undefined]],
    );
  });

  it("the summary and stats-json say read (damaged), not unreadable", () => {
    const stats = t.path("stats.json");
    const r = runCli(["hunt", t.path("cut.xml.log.gz"), "--stats-json", stats, "-f", "jsonl"]);
    const events = JSON.parse(readFileSync(stats, "utf8"));
    assert.match(
      r.stderr,
      /winnow: 1 file read \(1 damaged\); 1 event \(1 process\), 1 malformed record skipped/,
    );
    assert.doesNotMatch(r.stderr, /unreadable/);
    assert.equal(events.totals.files_read, 1);
    assert.equal(events.totals.files_damaged, 1);
    assert.equal(events.totals.files_unreadable, 0);
    assert.equal(events.files[0].damaged, "unexpected end of file");
    assert.equal(events.files[0].unreadable, null);
    assert.equal(r.code, 3, r.stderr); // its torn last line is a malformed record
  });
});

/**
 * Damage never stops the reader and never hangs it: corrupted bytes, truncated files, a wiped file
 * header and unreadable paths all end in counted, located diagnostics while the good records are read.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { crc32, crc32Portable } from "../../../src/ingest/evtx/crc32.js";
import { sharedPath } from "../../support/shared.js";
import { readAll } from "./read-all.js";

const SMALL = "data/evtx-attack-samples/LM_sysmon_psexec_smb_meterpreter.evtx"; // 10 records, 1 chunk
const MULTI = "data/evtx-rs-samples/sysmon.evtx"; // 358 records, 9 chunks

/** Deterministic xorshift32, so a failure can be replayed. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}

describe("EVTX damage handling", () => {
  it("a wiped file header is reported and every record is still read", async () => {
    const buf = Buffer.from(readFileSync(sharedPath(SMALL)));
    buf.fill(0, 0, 4096);
    const { counts, diagnostics } = await readAll(buf, "wiped-header.evtx");
    assert.equal(counts.events, 10);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.offset]),
      [["evtx-header-damaged", 0]],
    );
  });

  it("a file cut inside a chunk keeps the whole records before the cut and reports the truncation", async () => {
    const full = readFileSync(sharedPath(MULTI));
    // Cut 30000 bytes into chunk 3. Chunks 0-2 hold records 1742-1861: the 120 records libevtx's evtxexport
    // reads from this cut file (it drops the partial chunk). Winnow also reads the 20 whole records of chunk 3
    // before the cut (1862-1881), exactly as in the uncut file, and reports the record the cut went through.
    const cut = full.subarray(0, 4096 + 3 * 65536 + 30000);
    const { counts, diagnostics, events } = await readAll(cut, "cut.evtx");
    const whole = await readAll(full, "cut.evtx");
    const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
    assert.deepEqual(
      events.map((e) => e.recordId),
      range(1742, 1881),
    );
    assert.deepEqual(events, whole.events.slice(0, 140));
    assert.deepEqual(counts, { events: 140, malformed: 1, recovered: 0 });
    const chunk3 = 4096 + 3 * 65536;
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.chunk, d.offset]),
      [
        ["evtx-truncated", 3, chunk3],
        // the free-space offset (header byte 48) points past the cut: records are read up to the end
        ["evtx-chunk-damaged", 3, chunk3 + 48],
        // the record the cut went through: 1882, where the uncut file has it
        ["evtx-record-damaged", 3, whole.events[140]?.origin?.offset],
      ],
    );
    for (const d of diagnostics) assert.equal(d.file, "cut.evtx");
  });

  it("a file shorter than its header is reported, not thrown", async () => {
    const { counts, diagnostics } = await readAll(Buffer.from("ElfFile\0abc"), "tiny.evtx");
    assert.deepEqual(counts, { events: 0, malformed: 0, recovered: 0 });
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ["evtx-header-damaged"],
    );
  });

  it("an unreadable path is reported as file-unreadable", async () => {
    const { counts, diagnostics } = await readAll("/nonexistent/x.evtx", "x.evtx");
    assert.equal(counts.events, 0);
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ["file-unreadable"],
    );
  });

  it("300 randomly corrupted copies: no throw, no hang, every problem located and counted", async () => {
    const original = readFileSync(sharedPath(SMALL));
    const random = rng(20261203);
    const started = Date.now();
    for (let round = 0; round < 300; round++) {
      const buf = Buffer.from(original);
      const flips = 1 + Math.floor(random() * 40);
      for (let i = 0; i < flips; i++) {
        // Mostly inside the used part of the chunk (header + records end near 45 KB).
        const at = 4096 + Math.floor(random() * 46000);
        buf[at] = Math.floor(random() * 256);
      }
      const { counts, diagnostics, events } = await readAll(buf, `fuzz-${round}.evtx`);
      assert.ok(counts.events >= 0 && counts.events <= 10 + (counts.recovered ?? 0), `round ${round}`);
      assert.equal(events.length, counts.events, `round ${round}`);
      const recordProblems = diagnostics.filter((d) => d.code === "evtx-record-damaged").length;
      assert.ok(recordProblems <= counts.malformed, `round ${round}`);
      for (const d of diagnostics) {
        assert.equal(d.file, `fuzz-${round}.evtx`);
        assert.equal(typeof d.offset, "number");
        assert.equal(typeof d.chunk, "number");
      }
    }
    assert.ok(Date.now() - started < 20000);
  });

  it("CRC-32: the standard check value, and native and portable versions agree (also when continued)", () => {
    assert.equal(crc32Portable(Buffer.from("123456789")), 0xcbf43926);
    assert.equal(crc32(Buffer.from("123456789")), 0xcbf43926);
    const data = readFileSync(sharedPath(SMALL)).subarray(4096, 4096 + 65536);
    assert.equal(crc32Portable(data), crc32(data));
    assert.equal(crc32Portable(data.subarray(100), crc32Portable(data.subarray(0, 100))), crc32(data));
  });

  it("a changed byte inside a value fails the records checksum, is reported, and the record is still read", async () => {
    const buf = Buffer.from(readFileSync(sharedPath(SMALL)));
    // A UTF-16 "C:\" somewhere in the records: change the drive letter to "D".
    const at = buf.indexOf(Buffer.from("C:\\Windows", "utf16le"), 4096 + 512);
    assert.ok(at > 0);
    buf[at] = "D".charCodeAt(0);
    const { counts, diagnostics, events } = await readAll(buf, "bitflip.evtx");
    assert.equal(counts.events, 10);
    assert.equal(counts.malformed, 0);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.severity, d.chunk, d.offset]),
      [["evtx-chunk-damaged", "warning", 0, 4096 + 52]],
    );
    assert.ok(events.some((e) => Object.values(e.data).some((v) => v.includes("D:\\Windows"))));
  });

  it("a record whose BinXML is broken is reported with its id and the next record is read", async () => {
    const buf = Buffer.from(readFileSync(sharedPath(SMALL)));
    // The first record starts at chunk offset 512; its BinXML at 512 + 24 begins with the fragment
    // header 0f 01 01 00 and a template instance (0c). Turn the template token into an unknown token.
    const first = 4096 + 512;
    assert.equal(buf.readUInt32LE(first), 0x2a2a);
    assert.equal(buf[first + 24 + 4], 0x0c);
    buf[first + 24 + 4] = 0x1f;
    // The record id from the record header (offset 8), read here independently of the decoder. (This
    // file's header ids run 1-10 while its System/EventRecordIDs are the original 98xx ones.)
    const firstId = Number(buf.readBigUInt64LE(first + 8));
    const { counts, diagnostics, events } = await readAll(buf, "broken-record.evtx");
    assert.equal(counts.events, 9);
    assert.equal(counts.malformed, 1);
    // The records checksum no longer matches (warning), and the record itself is reported.
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.chunk, d.recordId]),
      [
        ["evtx-chunk-damaged", 0, undefined],
        ["evtx-record-damaged", 0, firstId],
      ],
    );
    // The template defined inline in the broken record is still found by its offset for the others,
    // which decode exactly as in the undamaged file.
    const intact = await readAll(readFileSync(sharedPath(SMALL)), "broken-record.evtx");
    assert.deepEqual(events, intact.events.slice(1));
  });
});

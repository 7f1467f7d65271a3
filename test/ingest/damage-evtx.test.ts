/**
 * EVTX damage kinds from issue #5 that had no fixture yet, each built from a real file
 * (LM_sysmon_psexec_smb_meterpreter.evtx: one chunk, 10 records) by changing bytes the format spec
 * locates: a dirty header with a stale chunk count, a record with a bad size, a broken template
 * reference, a broken string table, junk after the last chunk. Expected records come from the oracle
 * (python-evtx and libevtx agree on all 10: test/fixtures/evtx/oracle/); record positions come from a
 * walker written here from the spec (signature `**\0\0`, size at +4, record number at +8), not from
 * our reader. Each case asserts exactly which records are read (and their data), which are reported,
 * with what code, record number and offset.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { gunzipSync } from "node:zlib";
import type { WinEvent } from "../../src/model/event.js";
import { SHARED } from "./collect-events.js";
import { readAll } from "./evtx/read-all.js";

const FILE = `${SHARED}data/evtx-attack-samples/LM_sysmon_psexec_smb_meterpreter.evtx`;
const ORACLE = new URL(
  "../fixtures/evtx/oracle/LM_sysmon_psexec_smb_meterpreter.evtx.oracle.json.gz",
  import.meta.url,
);
const CHUNK0 = 4096;

interface OracleRecord {
  recordId: number;
  data: Record<string, string>;
}

function oracle(): OracleRecord[] {
  const doc: unknown = JSON.parse(gunzipSync(readFileSync(ORACLE)).toString("utf8"));
  assert.ok(typeof doc === "object" && doc !== null && "records" in doc && Array.isArray(doc.records));
  return doc.records.map((r: { fields: { recordId: string }; data: Record<string, string> }) => ({
    recordId: Number(r.fields.recordId),
    data: r.data,
  }));
}

/** Record headers of chunk 0, walked from offset 512 by their sizes (the spec's record chain). */
function recordHeaders(b: Buffer): { offset: number; size: number; number: number }[] {
  const out: { offset: number; size: number; number: number }[] = [];
  const free = b.readUInt32LE(CHUNK0 + 48);
  let o = CHUNK0 + 512;
  while (o < CHUNK0 + free && b.readUInt32LE(o) === 0x00002a2a) {
    const size = b.readUInt32LE(o + 4);
    out.push({ offset: o, size, number: Number(b.readBigUInt64LE(o + 8)) });
    o += size;
  }
  return out;
}

const original = readFileSync(FILE);
const records = recordHeaders(original);
const expected = oracle();

/** The events read are exactly the oracle's records minus `missing`, with the oracle's data. */
function assertRecords(events: WinEvent[], missing: number[]): void {
  const want = expected.filter((r) => !missing.includes(r.recordId));
  assert.deepEqual(
    events.map((e) => e.recordId),
    want.map((r) => r.recordId),
  );
  for (let i = 0; i < want.length; i++)
    assert.deepEqual(events[i].data, want[i].data, `record ${want[i].recordId}`);
}

describe("EVTX damage fixtures (issue #5)", () => {
  it("the undamaged file: 10 records as both oracles, 10 record headers in the chain", async () => {
    assert.equal(records.length, 10);
    assert.deepEqual(
      expected.map((r) => r.recordId),
      [9804, 9805, 9806, 9807, 9808, 9809, 9810, 9811, 9812, 9813],
    );
    const r = await readAll(original, "x.evtx");
    assertRecords(r.events, []);
    assert.deepEqual(r.diagnostics, []);
  });

  it("dirty header (flag 0x1) with a stale chunk count of 0: every record is read, nothing to report", async () => {
    const b = Buffer.from(original);
    b.writeUInt32LE(b.readUInt32LE(120) | 1, 120);
    b.writeUInt16LE(0, 42);
    const r = await readAll(b, "dirty.evtx");
    assertRecords(r.events, []);
    assert.deepEqual(r.counts, { events: 10, malformed: 0, recovered: 0 });
    assert.deepEqual(r.diagnostics, []);
  });

  it("a record whose size does not fit: it is reported at its offset; the records after it are recovered", async () => {
    const bad = records[4];
    const b = Buffer.from(original);
    b.writeUInt32LE(0xffff, bad.offset + 4);
    const r = await readAll(b, "bad-size.evtx");
    assertRecords(r.events, [9808]);
    assert.deepEqual(
      r.events.map((e) => e.recovered === true),
      [false, false, false, false, true, true, true, true, true],
    );
    assert.deepEqual(r.counts, { events: 9, malformed: 1, recovered: 5 });
    assert.deepEqual(
      r.diagnostics.map((d) => [d.severity, d.code, d.chunk, d.recordId, d.offset]),
      [
        ["warning", "evtx-chunk-damaged", 0, undefined, CHUNK0 + 52], // the records checksum no longer matches
        ["error", "evtx-record-damaged", 0, bad.number, bad.offset],
      ],
    );
  });

  it("a broken template reference (points at a record header): that record alone is reported", async () => {
    const bad = records[2];
    // BinXML after the 24-byte record header: fragment header (4), template instance token 0x0c (1), 1 byte,
    // template id (4), then the u32 template definition offset.
    const at = bad.offset + 24 + 10;
    assert.equal(original[bad.offset + 24 + 4], 0x0c);
    const b = Buffer.from(original);
    b.writeUInt32LE(512, at);
    const r = await readAll(b, "bad-template.evtx");
    assertRecords(r.events, [9806]);
    assert.deepEqual(r.counts, { events: 9, malformed: 1, recovered: 0 });
    assert.deepEqual(
      r.diagnostics.map((d) => [d.severity, d.code, d.chunk, d.recordId, d.offset]),
      [
        ["warning", "evtx-chunk-damaged", 0, undefined, CHUNK0 + 52],
        ["error", "evtx-record-damaged", 0, bad.number, bad.offset],
      ],
    );
  });

  it("a broken string table (all 64 common-string offsets garbled): names are read by offset, every record is read", async () => {
    const b = Buffer.from(original);
    for (let i = 0; i < 64; i++) b.writeUInt32LE((i * 2654435761) >>> 16, CHUNK0 + 128 + i * 4);
    const r = await readAll(b, "bad-strings.evtx");
    assertRecords(r.events, []);
    assert.deepEqual(
      r.diagnostics.map((d) => [d.severity, d.code, d.chunk]),
      [["warning", "evtx-chunk-damaged", 0]], // the chunk header checksum (covers the tables) is reported
    );
  });

  it("junk after the last chunk: every record is read; the junk blocks are noted, none is an error", async () => {
    const junk = Buffer.alloc(3 * 65536 + 3392);
    let s = 1;
    for (let i = 0; i < junk.length; i++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      junk[i] = s >>> 24;
    }
    assert.equal(original.length, CHUNK0 + 65536);
    const r = await readAll(Buffer.concat([original, junk]), "junk.evtx");
    assertRecords(r.events, []);
    assert.deepEqual(r.counts, { events: 10, malformed: 0, recovered: 0 });
    assert.equal(r.diagnostics.filter((d) => d.severity === "error").length, 0);
    // Blocks 1-3 and the 3392-byte tail: no chunk signature, no records.
    assert.deepEqual(
      r.diagnostics.filter((d) => d.code === "evtx-chunk-damaged").map((d) => d.chunk),
      [1, 2, 3, 4],
    );
  });
});

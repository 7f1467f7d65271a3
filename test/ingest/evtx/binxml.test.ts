/**
 * BinXML decoding on hand-built chunks (MS-EVEN6 token layouts), for the constructs our real samples
 * exercise rarely or never: raw elements with and without the dependency id, CDATA, character and
 * entity references, processing instructions, typed value tokens, template back-references, optional
 * substitutions left empty, arrays and nested BinXML values.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeChunk } from "../../../src/ingest/evtx/chunk.js";
import { ChunkWriter } from "./chunk-writer.js";

const decode = (w: ChunkWriter) =>
  decodeChunk(w.buf, { file: "t.evtx", index: 0, fileOffset: 4096, checksums: false });

function rawRecord(dependencyIds: boolean) {
  const w = new ChunkWriter(dependencyIds);
  w.beginRecord(1).open("Event").closeStart().system("7");
  w.open("EventData").closeStart();
  w.dataNamed("A", (x) => x.text("x ").u8(0x09).name("amp").text(" y"));
  w.dataNamed("B", (x) => x.u8(0x07).u16(3).utf16("<c>"));
  w.leaf("Data", (x) => x.u8(0x08).u16(0x41));
  w.leaf("Data", (x) => x.u8(0x05).u8(0x08).u32(42)); // a UInt32 value token
  w.u8(0x0a).name("pi").u8(0x0b).u16(4).utf16("data"); // processing instruction: no data
  w.end().end().endRecord();
  return decode(w);
}

describe("BinXML decoding on hand-built chunks", () => {
  for (const dependencyIds of [true, false]) {
    it(`raw elements ${dependencyIds ? "with" : "without"} dependency ids: references, CDATA, value types`, () => {
      const r = rawRecord(dependencyIds);
      assert.deepEqual(r.diagnostics, []);
      assert.equal(r.read, 1);
      const e = r.events[0];
      assert.deepEqual([e.provider, e.eventId, e.channel, e.computer], ["P", 7, "C", "H"]);
      assert.deepEqual(e.data, { A: "x & y", B: "<c>", Data: "A", Data1: "42" });
    });
  }

  it("templates: inline definition, back-reference, optional empty values dropped, arrays, nested BinXML", () => {
    const w = new ChunkWriter();
    const defineAt: number[] = [];
    // Template: <Event><System>…<EventID>%0</EventID></System><EventData><Data Name='S'>%1</Data>
    // <Data Name='H'>%2</Data><Data Name='B'>%3</Data><Data Name='Opt'>%4?</Data><Data>%5</Data>
    // <Data Name='X'>%6</Data></EventData></Event>
    const template = (x: ChunkWriter) => {
      x.u8(0x0f).u8(1).u8(1).u8(0).open("Event").closeStart();
      x.open("System").closeStart();
      x.open("Provider", true).attr("Name").text("P").closeEmpty();
      x.leaf("EventID", (y) => y.subst(0, 0x06));
      x.end();
      x.open("EventData").closeStart();
      x.dataNamed("S", (y) => y.subst(1, 0x01));
      x.dataNamed("H", (y) => y.subst(2, 0x15));
      x.dataNamed("B", (y) => y.subst(3, 0x0d));
      x.dataNamed("Opt", (y) => y.subst(4, 0x01, true));
      x.leaf("Data", (y) => y.subst(5, 0x81));
      x.dataNamed("X", (y) => y.subst(6, 0x21));
      x.end().end().u8(0x00);
    };
    const instance = (rec: ChunkWriter, eventId: number, s: string, inline: boolean) => {
      rec.u8(0x0c).u8(1).u32(1);
      if (inline) {
        defineAt.push(rec.pos + 4);
        rec.u32(rec.pos + 4).u32(0);
        rec.pos += 16; // GUID
        const sizeAt = rec.pos;
        rec.u32(0);
        const start = rec.pos;
        template(rec);
        rec.buf.writeUInt32LE(rec.pos - start, sizeAt);
      } else {
        rec.u32(defineAt[0]);
      }
      // Nested BinXML value: a fragment with a raw element <Inner>v</Inner>.
      const nested = new ChunkWriter();
      const values: Array<[number, Buffer]> = [
        [0x06, Buffer.from([eventId & 0xff, eventId >> 8])],
        [0x01, Buffer.from(`${s}\0`, "utf16le")],
        [0x15, Buffer.from("a80f000000000000", "hex")],
        [0x0d, Buffer.from("02000000", "hex")],
        [0x00, Buffer.alloc(0)],
        [0x81, Buffer.from("one\0two\0", "utf16le")],
        [0x21, Buffer.alloc(0)],
      ];
      rec.u32(values.length);
      const descriptors = rec.pos;
      rec.pos += 4 * values.length;
      for (const [i, [type, bytes]] of values.entries()) {
        let b = bytes;
        if (type === 0x21) {
          nested.pos = rec.pos; // nested fragments use chunk offsets too
          nested.u8(0x0f).u8(1).u8(1).u8(0).open("Inner").closeStart().text("v").end().u8(0x00);
          b = nested.buf.subarray(rec.pos, nested.pos);
        }
        rec.buf.writeUInt16LE(b.length, descriptors + 4 * i);
        rec.buf[descriptors + 4 * i + 2] = type;
        b.copy(rec.buf, rec.pos);
        rec.pos += b.length;
      }
    };
    w.beginRecord(1);
    instance(w, 4688, "first", true);
    w.endRecord();
    w.beginRecord(2);
    instance(w, 1, "second", false);
    w.endRecord();
    const r = decode(w);
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(
      r.events.map((e) => [e.eventId, e.data]),
      [
        [4688, { S: "first", H: "0xfa8", B: "true", Data: "one", Data1: "two", Inner: "v" }],
        [1, { S: "second", H: "0xfa8", B: "true", Data: "one", Data1: "two", Inner: "v" }],
      ],
    );
    // The filter sees EventID from the substitution and stops the second record before its data.
    const seen: number[] = [];
    const f = decodeChunk(w.buf, {
      file: "t.evtx",
      index: 0,
      fileOffset: 4096,
      checksums: false,
      filter: (_p, _c, id) => {
        seen.push(id);
        return id === 4688;
      },
    });
    assert.deepEqual(seen, [4688, 1]);
    assert.equal(f.read, 2);
    assert.equal(f.events.length, 1);
  });

  it("a record whose values refer to each other over and over ('billion laughs') is reported, not a hang", () => {
    // Template T = <L>%0 %0</L>: substitution 0 used twice. Value 0 is BinXML holding another instance of T whose
    // value 0 is BinXML again, LEVELS deep (21: about the most the nesting limit lets through): reading it would
    // make 2^21 fields named L, L1, L2, … from a record under 1 KiB. Before the work budget this hung (naming
    // the fields was also quadratic: 16 levels took 56 s). The record after it must still be read.
    const LEVELS = 21;
    const w = new ChunkWriter();
    let defAt = 0;
    const instanceOfT = (x: ChunkWriter, level: number) => {
      x.u8(0x0c).u8(1).u32(7);
      if (defAt === 0) {
        defAt = x.pos + 4;
        x.u32(defAt).u32(0);
        x.pos += 16; // GUID
        const sizeAt = x.pos;
        x.u32(0);
        const start = x.pos;
        x.u8(0x0f).u8(1).u8(1).u8(0).open("L").closeStart().subst(0, 0x21).subst(0, 0x21).end().u8(0x00);
        x.buf.writeUInt32LE(x.pos - start, sizeAt);
      } else x.u32(defAt);
      x.u32(1); // one value
      const descriptor = x.pos;
      x.pos += 4;
      const start = x.pos;
      if (level === LEVELS) {
        x.utf16("x\0");
        x.buf[descriptor + 2] = 0x01;
      } else {
        x.u8(0x0f).u8(1).u8(1).u8(0);
        instanceOfT(x, level + 1);
        x.u8(0x00);
        x.buf[descriptor + 2] = 0x21;
      }
      x.buf.writeUInt16LE(x.pos - start, descriptor);
    };
    w.beginRecord(1).open("Event").closeStart().system("7");
    w.open("EventData").closeStart();
    instanceOfT(w, 1);
    w.end().end().endRecord();
    w.beginRecord(2).open("Event").closeStart().system("8");
    w.open("EventData")
      .closeStart()
      .dataNamed("A", (x) => x.text("ok"));
    w.end().end().endRecord();
    const r = decode(w);
    assert.deepEqual(
      r.diagnostics.map((d) => [d.code, d.recordId, d.message]),
      [
        [
          "evtx-record-damaged",
          1,
          "record 1 cannot be decoded: record expands beyond 1,000,000 steps (values or templates that refer to each other over and over)",
        ],
      ],
    );
    assert.equal(r.malformed, 1);
    assert.deepEqual(
      r.events.map((e) => [e.recordId, e.eventId, e.data]),
      [[2, 8, { A: "ok" }]],
    );
  });
});

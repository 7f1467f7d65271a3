/**
 * Records read by their template's plan (src/ingest/evtx/binxml/template-plan.ts, read-planned.ts) must give
 * exactly what the tree walker gives: the same events, the same diagnostics, the same counts, with and without a
 * filter, for every block of every EVTX file in ../shared/data (damaged ones included) and for hand-built records
 * at the edges of what a plan describes.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { newChunkContext, readInstanceFragment } from "../../../src/ingest/evtx/binxml/parse.js";
import { planOf } from "../../../src/ingest/evtx/binxml/template-plan.js";
import { decodeBlock } from "../../../src/ingest/evtx/block.js";
import { type ChunkInput, decodeChunk } from "../../../src/ingest/evtx/chunk.js";
import type { EventFilter } from "../../../src/ingest/types.js";
import { mappingFilter, SOURCE_MAPPINGS } from "../../../src/normalize/registry.js";
import { sharedPath } from "../../support/shared.js";
import { ChunkWriter } from "./chunk-writer.js";

function evtxFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...evtxFiles(p));
    else if (name.endsWith(".evtx")) out.push(p);
  }
  return out;
}

const FILTERS: Record<string, EventFilter | undefined> = {
  none: undefined,
  "odd Event IDs": (_p, _c, id) => id % 2 === 1,
  "every mapping (with eventIds)": mappingFilter(SOURCE_MAPPINGS),
  "Endpoint.Processes (with eventIds)": mappingFilter(
    SOURCE_MAPPINGS.filter((m) => m.dataset === "Endpoint.Processes"),
  ),
};

/** Every 64 KiB block after the file header, decoded both ways. */
function bothWays(buf: Buffer, input: Omit<ChunkInput, "index" | "fileOffset">) {
  const planned = [];
  const walked = [];
  for (let off = 4096; off < buf.length; off += 65536) {
    const bytes = buf.subarray(off, Math.min(off + 65536, buf.length));
    const where = { index: (off - 4096) / 65536, fileOffset: off };
    planned.push(decodeBlock(bytes, { ...input, ...where }));
    walked.push(decodeBlock(bytes, { ...input, ...where, plans: false }));
  }
  return { planned, walked };
}

describe("EVTX records read by their template's plan", () => {
  const files = evtxFiles(sharedPath("data"));

  it("the corpus has EVTX files, and almost every record of a clean one is read by its plan", () => {
    assert.ok(files.length >= 20, `${files.length} EVTX files`);
    // Sysmon's records: every one is a plain instance of the System template with one EventData value.
    const buf = readFileSync(sharedPath("data/evtx-rs-samples/sysmon.evtx"));
    let records = 0;
    let planned = 0;
    for (let off = 4096; off + 65536 <= buf.length; off += 65536) {
      const chunk = buf.subarray(off, off + 65536);
      if (chunk.toString("latin1", 0, 8) !== "ElfChnk\0") continue;
      const ctx = newChunkContext(chunk);
      const free = chunk.readUInt32LE(48);
      for (let pos = 512; pos + 28 <= free && chunk.readUInt32LE(pos) === 0x2a2a; ) {
        const size = chunk.readUInt32LE(pos + 4);
        records++;
        const t = readInstanceFragment(ctx, pos + 24, pos + size - 4, 0, false);
        if (t !== undefined && planOf(t) !== null) planned++;
        pos += size;
      }
    }
    assert.ok(records > 300, `${records} records`);
    assert.equal(planned, records);
  });

  for (const [name, filter] of Object.entries(FILTERS)) {
    it(`gives what the walker gives on every EVTX file, filter: ${name}`, () => {
      let events = 0;
      for (const file of files) {
        const buf = readFileSync(file);
        for (const carveSlack of [false, true]) {
          const { planned, walked } = bothWays(buf, { file, filter, carveSlack });
          assert.deepEqual(planned, walked, `${file}${carveSlack ? " (carving slack)" : ""}`);
          for (const r of planned) events += r.events.length;
        }
      }
      assert.ok(events > 1000, `${events} events compared`);
    });
  }
});

/**
 * A record of the usual shape: the System template (`%n` values) and an EventData fragment in value 6, made by
 * `eventData` for the chunk offset it will sit at. `over` overrides what a value holds: [type, bytes].
 */
function usualRecord(
  w: ChunkWriter,
  id: number,
  over: Record<number, [number, Buffer]> = {},
  eventData: (at: number) => Buffer = (at) => eventDataFragment(at),
) {
  const time = Buffer.alloc(8);
  time.writeBigUInt64LE(132_000_000_000_000_000n);
  const recordId = Buffer.alloc(8);
  recordId.writeBigUInt64LE(BigInt(id));
  const values: [number, Buffer | ((at: number) => Buffer)][] = [
    [0x01, Buffer.from("Microsoft-Windows-Sysmon\0", "utf16le")],
    [0x06, Buffer.from([1, 0])],
    [0x11, time],
    [0x0a, recordId],
    [0x01, Buffer.from("Microsoft-Windows-Sysmon/Operational\0", "utf16le")],
    [0x01, Buffer.from("HOST\0", "utf16le")],
    [0x21, eventData],
  ];
  for (const [i, v] of Object.entries(over)) values[Number(i)] = v;
  w.beginRecord(id);
  w.instance(
    1,
    (x) => {
      x.u8(0x0f).u8(1).u8(1).u8(0).open("Event").closeStart();
      x.open("System").closeStart();
      x.open("Provider", true).attr("Name").subst(0, 0x01, true).closeEmpty();
      x.leaf("EventID", (y) => y.subst(1, 0x06, true));
      x.open("TimeCreated", true).attr("SystemTime").subst(2, 0x11, true).closeEmpty();
      x.leaf("EventRecordID", (y) => y.subst(3, 0x0a, true));
      x.leaf("Channel", (y) => y.subst(4, 0x01, true));
      x.leaf("Computer", (y) => y.subst(5, 0x01, true));
      x.end();
      x.subst(6, 0x21, true);
      x.end().u8(0x00);
    },
    values,
  );
  w.endRecord();
}

/**
 * The EventData fragment as it would sit at chunk offset `at`: an instance of an inline template
 * `<EventData><Data Name='CommandLine'>%0</Data><Data Name='Image'>%1</Data><Data>%2</Data></EventData>`.
 */
function eventDataFragment(at: number, values?: [number, Buffer][]): Buffer {
  const x = new ChunkWriter();
  x.pos = at;
  x.u8(0x0f).u8(1).u8(1).u8(0);
  x.instance(
    2,
    (y) => {
      y.u8(0x0f).u8(1).u8(1).u8(0).open("EventData").closeStart();
      y.dataNamed("CommandLine", (z) => z.subst(0, 0x01, true));
      y.dataNamed("Image", (z) => z.subst(1, 0x01, true));
      y.leaf("Data", (z) => z.subst(2, 0x81, true));
      y.end().u8(0x00);
    },
    values ?? [
      [0x01, Buffer.from("winrs -r:host cmd\0", "utf16le")],
      [0x01, Buffer.from("C:\\Windows\\System32\\winrs.exe\0", "utf16le")],
      [0x81, Buffer.from("one\0two\0", "utf16le")],
    ],
  );
  x.u8(0x00);
  // Its offsets are chunk offsets: laid out at `at` in a scratch chunk, then copied to the record.
  return Buffer.from(x.buf.subarray(at, x.pos));
}

function decodeBoth(w: ChunkWriter, filter?: EventFilter) {
  const input = { file: "t.evtx", index: 0, fileOffset: 4096, checksums: false, filter };
  const planned = decodeChunk(w.buf, input);
  const walked = decodeChunk(w.buf, { ...input, plans: false });
  assert.deepEqual(planned, walked);
  return planned;
}

const processes = mappingFilter(SOURCE_MAPPINGS.filter((m) => m.dataset === "Endpoint.Processes"));

describe("template plans at their edges (hand-built records)", () => {
  it("the usual record: System values, EventData from the nested template, an array repeating its leaf", () => {
    const w = new ChunkWriter();
    usualRecord(w, 5);
    const r = decodeBoth(w, processes);
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(
      r.events.map((e) => [e.provider, e.channel, e.eventId, e.computer, e.recordId, e.timeCreated, e.data]),
      [
        [
          "Microsoft-Windows-Sysmon",
          "Microsoft-Windows-Sysmon/Operational",
          1,
          "HOST",
          5,
          "2019-04-17T18:40:00.0000000Z",
          {
            CommandLine: "winrs -r:host cmd",
            Image: "C:\\Windows\\System32\\winrs.exe",
            Data: "one",
            Data1: "two",
          },
        ],
      ],
    );
  });

  it("a record rejected on its Event ID alone is still damaged when a System value it skipped is", () => {
    // Event ID 3 is not one Endpoint.Processes reads; its TimeCreated FILETIME has 4 bytes, not 8, and its
    // Channel a value type that does not exist. The walker renders both before it asks the filter.
    for (const [index, value, message] of [
      [2, [0x11, Buffer.alloc(4)], "value of type 0x11 needs 8 bytes, has 4"],
      [4, [0x30, Buffer.alloc(2)], "unknown value type 0x30"],
    ] as const) {
      const w = new ChunkWriter();
      usualRecord(w, 9, { 1: [0x06, Buffer.from([3, 0])], [index]: [value[0], value[1]] });
      const r = decodeBoth(w, processes);
      assert.equal(r.read, 0);
      assert.equal(r.malformed, 1);
      assert.deepEqual(
        r.diagnostics.map((d) => [d.code, d.recordId, d.message]),
        [["evtx-record-damaged", 9, `record 9 cannot be decoded: ${message}`]],
      );
    }
  });

  it("a record rejected on provider and channel checks the values the filter did not need", () => {
    // Event ID 1 passes the ID test; the provider is not Sysmon's, and the EventRecordID UInt64 has 2 bytes.
    const w = new ChunkWriter();
    usualRecord(w, 11, {
      0: [0x01, Buffer.from("Other\0", "utf16le")],
      3: [0x0a, Buffer.alloc(2)],
      4: [0x01, Buffer.from("Other/Operational\0", "utf16le")],
    });
    const r = decodeBoth(w, processes);
    assert.deepEqual(
      r.diagnostics.map((d) => d.message),
      ["record 11 cannot be decoded: value of type 0xa needs 8 bytes, has 2"],
    );
  });

  it("a BinXML value outside a slot, and an EventData fragment that is not one instance, take the walker", () => {
    const w = new ChunkWriter();
    // Computer (value 5) holds BinXML: text skips it, but a plan cannot tell what it holds, so it steps aside.
    usualRecord(w, 1, { 5: [0x21, Buffer.from([0x0f, 1, 1, 0, 0x00])] });
    // UserData as raw elements, not a template instance.
    usualRecord(w, 2, {}, (at) => {
      const x = new ChunkWriter();
      x.pos = at;
      x.u8(0x0f).u8(1).u8(1).u8(0).open("UserData").closeStart();
      x.open("Inner").closeStart().text("v").end().end().u8(0x00);
      return Buffer.from(x.buf.subarray(at, x.pos));
    });
    const r = decodeBoth(w);
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(
      r.events.map((e) => [e.recordId, e.computer, e.data]),
      [
        [
          1,
          "",
          {
            CommandLine: "winrs -r:host cmd",
            Image: "C:\\Windows\\System32\\winrs.exe",
            Data: "one",
            Data1: "two",
          },
        ],
        [2, "HOST", { Inner: "v" }],
      ],
    );
  });

  it("an optional value left empty drops its leaf; an array repeats it, and later keys still get free suffixes", () => {
    const w = new ChunkWriter();
    usualRecord(w, 3, {}, (at) =>
      eventDataFragment(at, [
        [0x01, Buffer.from("cmd\0", "utf16le")],
        [0x00, Buffer.alloc(0)],
        [0x81, Buffer.from("a\0b\0c\0", "utf16le")],
      ]),
    );
    const r = decodeBoth(w, processes);
    assert.deepEqual(
      r.events.map((e) => e.data),
      [{ CommandLine: "cmd", Data: "a", Data1: "b", Data2: "c" }],
    );
  });
});

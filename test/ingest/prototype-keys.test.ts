/**
 * Names in the input that are also members of Object.prototype (`toString`, `constructor`, `__proto__`, …) are
 * names like any other: an entity reference `&toString;` in EVTX BinXML, a label or section header in a classic
 * event's Message text, an EventData name in JSON or XML.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeChunk } from "../../src/ingest/evtx/chunk.js";
import { ChunkWriter } from "./evtx/chunk-writer.js";

describe("EVTX: an entity reference named like an Object.prototype member", () => {
  it("is kept as written, not replaced by the member", () => {
    const w = new ChunkWriter(true);
    w.beginRecord(1).open("Event").closeStart().system("7");
    w.open("EventData").closeStart();
    w.dataNamed("A", (x) => {
      x.text("x");
      for (const n of ["toString", "constructor", "__proto__", "valueOf", "amp"])
        x.text(" ").u8(0x09).name(n);
    });
    w.end().end().endRecord();
    const r = decodeChunk(w.buf, { file: "t.evtx", index: 0, fileOffset: 4096, checksums: false });
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.events[0]?.data, { A: "x &toString; &constructor; &__proto__; &valueOf; &" });
  });
});

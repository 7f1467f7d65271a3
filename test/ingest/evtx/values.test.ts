/**
 * BinXML value rendering (SEMANTICS.md §3 "How EVTX values are rendered as text"), on hand-built
 * bytes whose expected text is worked out from the spec and the type layouts in MS-EVEN6.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { renderArrayItems, renderValue } from "../../../src/ingest/evtx/binxml/values.js";

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ""), "hex");
const render = (type: number, bytes: Buffer) => renderValue(bytes, 0, bytes.length, type);

describe("EVTX value rendering", () => {
  it("HexInt32 / HexInt64 / SizeT: 0x + lower-case hex without leading zeros", () => {
    assert.equal(render(0x14, hex("a80f0000")), "0xfa8");
    assert.equal(render(0x14, hex("00000000")), "0x0");
    assert.equal(render(0x15, hex("a80f000000000000")), "0xfa8");
    assert.equal(render(0x15, hex("0000000001000000")), "0x100000000");
    assert.equal(render(0x15, hex("0000000000000080")), "0x8000000000000000");
    assert.equal(render(0x10, hex("1000000000000000")), "0x10");
    assert.equal(render(0x10, hex("ff000000")), "0xff");
  });

  it("Bool is 4 bytes and any non-zero value is true", () => {
    assert.equal(render(0x0d, hex("00000000")), "false");
    assert.equal(render(0x0d, hex("01000000")), "true");
    assert.equal(render(0x0d, hex("02000000")), "true");
    assert.equal(render(0x0d, hex("ffffffff")), "true");
    assert.equal(render(0x0d, hex("00000100")), "true");
  });

  it("GUID upper-case in braces, first three groups little-endian", () => {
    assert.equal(
      render(0x0f, hex("25968454 7854 9449 a5ba 3e3b0328c30d")),
      "{54849625-5478-4994-A5BA-3E3B0328C30D}",
    );
  });

  it("SID as S-revision-authority-subauthorities", () => {
    assert.equal(render(0x13, hex("0101 000000000005 12000000")), "S-1-5-18");
    assert.equal(
      render(0x13, hex("0104 000000000005 15000000 01000000 02000000 e8030000")),
      "S-1-5-21-1-2-1000",
    );
  });

  it("FILETIME and SYSTEMTIME as ISO 8601 UTC with 7 fractional digits", () => {
    // 2021-12-07T14:54:22.0715625Z = (seconds since 1601) * 10^7 + 715625 ticks of 100 ns.
    const seconds = BigInt(Date.UTC(2021, 11, 7, 14, 54, 22) / 1000) + 11644473600n;
    const ticks = seconds * 10_000_000n + 715_625n;
    const ft = Buffer.alloc(8);
    ft.writeBigUInt64LE(ticks);
    assert.equal(render(0x11, ft), "2021-12-07T14:54:22.0715625Z");
    // 1601-01-01 exactly.
    assert.equal(render(0x11, Buffer.alloc(8)), "1601-01-01T00:00:00.0000000Z");
    // SYSTEMTIME 2022-03-10 (Thursday = 4) 19:57:45.123
    const st = Buffer.alloc(16);
    for (const [i, v] of [2022, 3, 4, 10, 19, 57, 45, 123].entries()) st.writeUInt16LE(v, 2 * i);
    assert.equal(render(0x12, st), "2022-03-10T19:57:45.1230000Z");
  });

  it("binary as upper-case hex; integers in decimal with their sign", () => {
    assert.equal(render(0x0e, hex("0aff10")), "0AFF10");
    assert.equal(render(0x03, hex("ff")), "-1");
    assert.equal(render(0x04, hex("ff")), "255");
    assert.equal(render(0x05, hex("feff")), "-2");
    assert.equal(render(0x06, hex("feff")), "65534");
    assert.equal(render(0x07, hex("ffffffff")), "-1");
    assert.equal(render(0x08, hex("ffffffff")), "4294967295");
    assert.equal(render(0x09, hex("ffffffffffffffff")), "-1");
    assert.equal(render(0x0a, hex("ffffffffffffffff")), "18446744073709551615");
    assert.equal(render(0x0a, hex("2a00000000000000")), "42");
    assert.equal(render(0x0c, hex("000000000000f83f")), "1.5");
  });

  it("strings lose their trailing NULs only", () => {
    assert.equal(render(0x01, Buffer.from("a b \0\0", "utf16le")), "a b ");
    assert.equal(render(0x01, Buffer.from("x\0y\0", "utf16le")), "x\0y");
    assert.equal(render(0x02, Buffer.from("caf\xe9\0", "latin1")), "café");
    assert.equal(render(0x00, Buffer.alloc(0)), "");
  });

  it("arrays give one item per element; elsewhere they are joined with ', '", () => {
    const strings = Buffer.from("one\0\0three\0", "utf16le");
    assert.deepEqual(renderArrayItems(strings, 0, strings.length, 0x81), ["one", "", "three"]);
    assert.deepEqual(renderArrayItems(hex("0100000002000000"), 0, 8, 0x88), ["1", "2"]);
    assert.equal(render(0x94, hex("0a0000000b000000")), "0xa, 0xb");
  });
});

/**
 * Container integrity checks that used to pass silently (audit finding: a zip member whose data fails its
 * CRC-32 was read with no diagnostic, so detection output changed and the run exited 0). Every member whose
 * integrity check fails is now one `archive-damaged` error naming the archive and the member, with the
 * offset in the message, and the run exits 3; the data is still read as it is (warn and read, as the EVTX
 * reader does with a chunk whose checksum fails), except bytes beyond a zip member's declared size and
 * tar bytes no valid header describes. Inputs are built in a temp dir from real files in ../shared/data:
 * the OTRF member of covenant_com_wsman_automation.zip (MANIFEST: 811 events; 393 of its lines hold
 * "WORKSTATION5"), derived_winrs_otrf_workstation6.json (expected.json: 7 events) and the OTRF metadata
 * YAML (not a log).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, describe, it } from "node:test";
import { gzipSync, inflateRawSync } from "node:zlib";
import { crc32 } from "../../src/ingest/evtx/crc32.js";
import { runCli } from "../support/run-cli.js";
import { collect, SHARED } from "./collect-events.js";
import { type TempDir, tarOf, tempFiles, zipOf } from "./temp-inputs.js";

const OTRF_ZIP = `${SHARED}data/otrf-security-datasets/covenant_com_wsman_automation.zip`;
const WS6 = `${SHARED}data/derived-positives/derived_winrs_otrf_workstation6.json`;
const YAML = `${SHARED}data/otrf-security-datasets/SDWIN-190518211456.yaml`;
const MEMBER = "covenant_com_wsman_automation_2020-10-13002455.json";

/** The OTRF zip's one member, inflated (its local header: 30 bytes, the name, the extra field). */
function otrfJson(): Buffer {
  const z = readFileSync(OTRF_ZIP);
  const start = 30 + z.readUInt16LE(26) + z.readUInt16LE(28);
  return inflateRawSync(z.subarray(start, start + z.readUInt32LE(18)));
}

/** A copy of `b` with the first `from` replaced by `to` (same length). */
function replaceFirst(b: Buffer, from: string, to: string): Buffer {
  assert.equal(from.length, to.length);
  const i = b.indexOf(from);
  assert.ok(i >= 0, `${from} not found`);
  const out = Buffer.from(b);
  out.write(to, i, "latin1");
  return out;
}

/** Offset of the first central directory entry of a zip. */
const centralDir = (z: Buffer) => z.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));

const hex = (n: number) => `0x${n.toString(16).padStart(8, "0")}`;

describe("container integrity: damage is reported, the data is still read", () => {
  const json = otrfJson();
  const ws6 = readFileSync(WS6);
  const flipped = replaceFirst(json, "WORKSTATION5", "XORKSTATION5");
  // The 100th line ends here: a directory size that stops there leaves exactly 100 whole lines.
  let line100 = -1;
  for (let i = 0; i < 100; i++) line100 = json.indexOf(0x0a, line100 + 1);
  const tar3 = tarOf([
    ["a.json", ws6],
    ["b.json", json],
    ["c.json", ws6],
  ]);
  // tarOf: a.json's header at 0, its 21015 bytes padded to 21504; b.json's header follows, its
  // 1620124 bytes padded to 1620480; c.json's header follows that.
  const B_HEADER = 512 + 21504;
  const C_HEADER = B_HEADER + 512 + 1620480;
  assert.equal(tar3.indexOf("b.json"), B_HEADER);
  assert.equal(tar3.indexOf("c.json"), C_HEADER);

  const sizeShort = zipOf([
    ["a.json", json],
    ["b.json", ws6],
  ]);
  sizeShort.writeUInt32LE(json.length + 5, centralDir(sizeShort) + 24);
  const sizeLong = zipOf([
    ["a.json", json],
    ["b.json", ws6],
  ]);
  sizeLong.writeUInt32LE(line100 + 1, centralDir(sizeLong) + 24);
  const badCrc = Buffer.from(readFileSync(OTRF_ZIP));
  badCrc.writeUInt32LE(0xf5b4c48e, centralDir(badCrc) + 16); // was 0xf5b4c48f (unzip -lv)
  const threeMembers = zipOf([
    ["a.json", ws6],
    ["b.json", ws6],
    ["c.json", ws6],
  ]);
  const bLocal = 30 + "a.json".length + ws6.length;
  const badLocal = Buffer.from(threeMembers);
  badLocal[bLocal + 1] = 0x4c; // "PK\x03\x04" → "PL\x03\x04"
  const erased = Buffer.from(tar3);
  erased.fill(0, B_HEADER, B_HEADER + 512);
  const badSize = Buffer.from(tar3);
  badSize.write("9", B_HEADER + 124 + 3, "latin1"); // the size field's 4th digit '0' → '9': not octal

  const t: TempDir = tempFiles({
    "good.zip": zipOf([[MEMBER, json]]),
    "flip.zip": replaceFirst(zipOf([[MEMBER, json]]), "WORKSTATION5", "XORKSTATION5"),
    "bad-crc.zip": badCrc,
    "size-short.zip": sizeShort,
    "size-long.zip": sizeLong,
    "yaml.zip": replaceFirst(
      zipOf([
        ["SDWIN-190518211456.yaml", readFileSync(YAML)],
        ["b.json", ws6],
      ]),
      "title:",
      "xitle:",
    ),
    "bad-local.zip": badLocal,
    "tar-in.zip": replaceFirst(zipOf([["in.tar", tarOf([[MEMBER, json]])]]), "WORKSTATION5", "XORKSTATION5"),
    "name.tar": replaceFirst(tar3, "b.json", "q.json"),
    "first.tar": replaceFirst(tar3, "a.json", "q.json"),
    "size.tar": badSize,
    "erased.tar": erased,
    "flip.json.gz": replaceFirst(gzipSync(json, { level: 0 }), "WORKSTATION5", "XORKSTATION5"),
  });
  after(() => t.cleanup());

  const altered = (c: { events: { data: Record<string, unknown>; computer?: string }[] }) =>
    c.events.filter((e) => JSON.stringify(e).includes("XORKSTATION5")).length;

  it("the audit's repro: a stored zip member with one byte changed is read as it is, and its CRC-32 mismatch reported", async () => {
    const good = await collect([t.path("good.zip")]);
    assert.equal(good.events.length, 811); // MANIFEST: 811 events
    assert.deepEqual(good.diagnostics, []);
    const c = await collect([t.path("flip.zip")]);
    assert.equal(c.events.length, 811);
    assert.equal(altered(c), 1); // the changed value is read (warn and read), in one event
    const why = `at the end of the member (local header at offset 0): its CRC-32 is ${hex(crc32(flipped))}, the zip directory says 0xf5b4c48f: its data is damaged; all 1620124 bytes were read as they are`;
    assert.equal(hex(crc32(json)), "0xf5b4c48f");
    const file = `${t.path("flip.zip")}!${MEMBER}`;
    assert.deepEqual(c.diagnostics, [
      { code: "archive-damaged", severity: "error", message: `reading stopped: ${why}`, file },
    ]);
    assert.deepEqual(c.reports, [
      {
        file,
        format: "json",
        containers: ["zip"],
        events: 811,
        malformed: 0,
        problems: { "archive-damaged": 1 },
        damaged: why,
      },
    ]);
  });

  it("hunt over it says so and exits 3 (damaged input)", () => {
    const r = runCli(["hunt", t.path("flip.zip"), "--no-pack", "-f", "jsonl"]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(
      r.stderr,
      /flip\.zip!covenant_com_wsman_automation_2020-10-13002455\.json: error \[archive-damaged\] reading stopped: at the end of the member/,
    );
    assert.match(r.stderr, /1 file read \(1 damaged\); 811 events/);
  });

  it("a deflated member (the real OTRF zip) whose directory CRC-32 differs: all 811 events, one archive-damaged", async () => {
    const c = await collect([t.path("bad-crc.zip")]);
    assert.equal(c.events.length, 811);
    const why =
      "at the end of the member (local header at offset 0): its CRC-32 is 0xf5b4c48f, the zip directory says 0xf5b4c48e: its data is damaged; all 1620124 bytes were read as they are";
    assert.deepEqual(c.diagnostics, [
      {
        code: "archive-damaged",
        severity: "error",
        message: `reading stopped: ${why}`,
        file: `${t.path("bad-crc.zip")}!${MEMBER}`,
      },
    ]);
    assert.deepEqual(
      c.reports.map((r) => [r.events, r.malformed, r.damaged, r.unreadable]),
      [[811, 0, why, undefined]],
    );
  });

  it("a member shorter than its directory size: read whole, reported; the next member is read (was: the whole zip unreadable)", async () => {
    const c = await collect([t.path("size-short.zip")]);
    const why =
      "at the end of the member (local header at offset 0): its data is 1620124 bytes, the zip directory says 1620129: its data is damaged; all 1620124 bytes were read as they are";
    assert.deepEqual(c.diagnostics, [
      {
        code: "archive-damaged",
        severity: "error",
        message: `reading stopped: ${why}`,
        file: `${t.path("size-short.zip")}!a.json`,
      },
    ]);
    assert.deepEqual(
      c.reports.map((r) => [r.file.slice(t.dir.length + 1), r.events, r.malformed, r.damaged]),
      [
        ["size-short.zip!a.json", 811, 0, why],
        ["size-short.zip!b.json", 7, 0, undefined],
      ],
    );
  });

  it("a member longer than its directory size: read up to that size (100 whole lines here), reported; the next member is read", async () => {
    const c = await collect([t.path("size-long.zip")]);
    const why = `too many bytes in the stream: the member (local header at offset 0) holds more than the ${line100 + 1} bytes the zip directory says; the rest was not read`;
    assert.deepEqual(c.diagnostics, [
      {
        code: "archive-damaged",
        severity: "error",
        message: `reading stopped: ${why}`,
        file: `${t.path("size-long.zip")}!a.json`,
      },
    ]);
    assert.deepEqual(
      c.reports.map((r) => [r.file.slice(t.dir.length + 1), r.events, r.malformed, r.damaged]),
      [
        ["size-long.zip!a.json", 100, 0, why],
        ["size-long.zip!b.json", 7, 0, undefined],
      ],
    );
  });

  it("a damaged member that is not a log is still checked (read to its end) and reported, not skipped", async () => {
    const yaml = readFileSync(YAML);
    const c = await collect([t.path("yaml.zip")]);
    assert.equal(c.events.length, 7);
    const damagedYaml = replaceFirst(yaml, "title:", "xitle:");
    const why = `at the end of the member (local header at offset 0): its CRC-32 is ${hex(crc32(damagedYaml))}, the zip directory says ${hex(crc32(yaml))}: its data is damaged; all ${yaml.length} bytes were read as they are`;
    assert.deepEqual(c.diagnostics, [
      {
        code: "archive-damaged",
        severity: "error",
        message: `reading stopped: ${why}`,
        file: `${t.path("yaml.zip")}!SDWIN-190518211456.yaml`,
      },
    ]);
    assert.deepEqual(
      c.reports.map((r) => [r.file.slice(t.dir.length + 1), r.events, r.skipped, r.unreadable]),
      [
        ["yaml.zip!SDWIN-190518211456.yaml", 0, undefined, why],
        ["yaml.zip!b.json", 7, undefined, undefined],
      ],
    );
  });

  it("a member whose local header is damaged is reported alone; the members before and after it are read (was: the rest of the zip lost)", async () => {
    const c = await collect([t.path("bad-local.zip")]);
    assert.equal(c.events.length, 14);
    const why = `zip member is damaged (local header at offset ${bLocal}): invalid local file header signature: 0x4034c50`;
    assert.deepEqual(c.diagnostics, [
      {
        code: "archive-damaged",
        severity: "error",
        message: `reading stopped: ${why}`,
        file: `${t.path("bad-local.zip")}!b.json`,
      },
    ]);
    assert.deepEqual(
      c.reports.map((r) => [r.file.slice(t.dir.length + 1), r.events, r.unreadable]),
      [
        ["bad-local.zip!a.json", 7, undefined],
        ["bad-local.zip!b.json", 0, why],
        ["bad-local.zip!c.json", 7, undefined],
      ],
    );
  });

  it("a tar inside a zip member is read to its end, so the member's CRC-32 is checked", async () => {
    const c = await collect([t.path("tar-in.zip")]);
    assert.equal(c.events.length, 811);
    assert.equal(altered(c), 1);
    const tar = tarOf([[MEMBER, flipped]]);
    const why = `at the end of the member (local header at offset 0): its CRC-32 is ${hex(crc32(tar))}, the zip directory says ${hex(crc32(tarOf([[MEMBER, json]])))}: its data is damaged; all ${tar.length} bytes were read as they are`;
    const file = `${t.path("tar-in.zip")}!in.tar!${MEMBER}`; // reported on the last input read from it
    assert.deepEqual(c.diagnostics, [
      { code: "archive-damaged", severity: "error", message: `reading stopped: ${why}`, file },
    ]);
  });

  it("a tar header that fails its checksum but still reads: the member is read as it says, reported with its offset; the next member is read", async () => {
    const c = await collect([t.path("name.tar")]);
    assert.equal(c.events.length, 7 + 811 + 7);
    // The checksum field was written for "b.json"; "q" is 15 more than "b": 07076 + 15 = 07115 (octal).
    const why = `tar archive is damaged: "q.json": the tar header at offset ${B_HEADER} does not match its checksum (checksum field 007076, computed 007115); the member was read as that header describes it`;
    assert.deepEqual(c.diagnostics, [
      {
        code: "archive-damaged",
        severity: "error",
        message: `reading stopped: ${why}`,
        file: `${t.path("name.tar")}!q.json`,
      },
    ]);
    assert.deepEqual(
      c.reports.map((r) => [r.file.slice(t.dir.length + 1), r.events, r.damaged]),
      [
        ["name.tar!a.json", 7, undefined],
        ["name.tar!q.json", 811, why],
        ["name.tar!c.json", 7, undefined],
      ],
    );
  });

  it("a tar whose first header fails its checksum is still a tar (was: read as text, with no error)", async () => {
    const c = await collect([t.path("first.tar")]);
    assert.equal(c.events.length, 7 + 811 + 7);
    // "q" is 16 more than "a": 07065 + 16 = 07105 (octal).
    const why = `tar archive is damaged: "q.json": the tar header at offset 0 does not match its checksum (checksum field 007065, computed 007105); the member was read as that header describes it`;
    assert.deepEqual(
      c.diagnostics.map((d) => [d.code, d.file, d.message]),
      [["archive-damaged", `${t.path("first.tar")}!q.json`, `reading stopped: ${why}`]],
    );
    assert.deepEqual(
      c.reports.map((r) => [r.file.slice(t.dir.length + 1), r.format, r.containers, r.events]),
      [
        ["first.tar!q.json", "json", ["tar"], 7],
        ["first.tar!b.json", "json", ["tar"], 811],
        ["first.tar!c.json", "json", ["tar"], 7],
      ],
    );
  });

  it("a tar header that does not read: the bytes up to the next valid header are skipped and counted; the members after it are read", async () => {
    const c = await collect([t.path("size.tar")]);
    assert.equal(c.events.length, 14);
    const skipped = C_HEADER - B_HEADER;
    assert.equal(skipped, 1620992);
    // '0' → '9' adds 9 to the header's byte sum: 07076 + 9 = 07107 (octal).
    const why = `tar archive is damaged: the tar header at offset ${B_HEADER} (naming "b.json") is damaged (checksum field 007076, computed 007107; its type or size does not read): ${skipped} bytes were skipped to the next valid header, at offset ${C_HEADER}`;
    assert.deepEqual(c.diagnostics, [
      { code: "archive-damaged", severity: "error", message: why, file: t.path("size.tar") },
    ]);
    assert.deepEqual(
      c.reports.map((r) => [r.file.slice(t.dir.length + 1), r.events, r.unreadable]),
      [
        ["size.tar!a.json", 7, undefined],
        ["size.tar!c.json", 7, undefined],
        ["size.tar", 0, why],
      ],
    );
  });

  it("an erased tar header (an all-zero block) is not taken for the end of the archive when a valid header follows", async () => {
    const c = await collect([t.path("erased.tar")]);
    assert.equal(c.events.length, 14);
    const why = `tar archive is damaged: an all-zero block at offset ${B_HEADER} (an erased header, or the end of an archive) is followed by a valid tar header at offset ${C_HEADER}: reading went on there; the 1620992 bytes in between were not read`;
    assert.deepEqual(c.diagnostics, [
      { code: "archive-damaged", severity: "error", message: why, file: t.path("erased.tar") },
    ]);
    assert.deepEqual(
      c.reports.map((r) => r.file.slice(t.dir.length + 1)),
      ["erased.tar!a.json", "erased.tar!c.json", "erased.tar"],
    );
  });

  it("gzip: zlib's own CRC-32 check is reported; zlib drops the output of its last step, so the end of the member is lost (reported)", async () => {
    const c = await collect([t.path("flip.json.gz")]);
    // zlib checks the trailer after the last deflate block and discards what that step inflated (here the
    // last 47,260 bytes: the torn line 795 and lines 796-811); the cut is reported on the file.
    assert.equal(c.events.length, 794);
    assert.equal(altered(c), 1);
    assert.deepEqual(
      c.diagnostics.map((d) => [d.code, d.severity, d.line, d.message]),
      [
        ["json-malformed", "warning", 795, "invalid JSON line"],
        ["archive-damaged", "error", undefined, "reading stopped: incorrect data check"],
      ],
    );
    assert.deepEqual(
      c.reports.map((r) => [r.events, r.malformed, r.damaged]),
      [[794, 1, "incorrect data check"]],
    );
  });
});

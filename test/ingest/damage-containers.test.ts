/**
 * Text damage kinds from issue #5 inside containers, built from real files: a gzip cut short (what
 * decompresses is read), UTF-16 LE with a BOM and CRLF inside gzip, and a mixed XML + classic Splunk
 * export inside tar.gz. Expected counts come from zlib itself (the whole lines a partial inflate gives),
 * from the data's expected.json, and from MANIFEST.md.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, describe, it } from "node:test";
import { constants, gunzipSync, gzipSync } from "node:zlib";
import type { WinEvent } from "../../src/model/event.js";
import { collect, isProcessCreation, SHARED } from "./collect-events.js";
import { type TempDir, tarOf, tempFiles } from "./temp-inputs.js";

const XML = `${SHARED}data/derived-positives/derived_winrs_xmlwineventlog_attackrange.xml.log`;
const CERTUTIL = `${SHARED}data/splunk-attack-data/certutil_exe_certificate_extraction.raw`;

const content = (e: WinEvent) =>
  JSON.stringify([e.provider, e.channel, e.eventId, e.recordId, e.timeCreated, e.data]);

describe("text damage inside containers", () => {
  const plain = readFileSync(XML);
  const gz = gzipSync(plain);
  const cut = gz.subarray(0, Math.floor(gz.length * 0.6));
  const utf16 = Buffer.concat([
    Buffer.from([0xff, 0xfe]),
    Buffer.from(plain.toString("utf8").replace(/\n/g, "\r\n"), "utf16le"),
  ]);
  const t: TempDir = tempFiles({
    "cut.xml.log.gz": cut,
    "utf16.xml.log.gz": gzipSync(utf16),
    "export.tar.gz": gzipSync(tarOf([["certutil.raw", readFileSync(CERTUTIL)]])),
  });
  after(() => t.cleanup());

  it("a gzip cut short inside its first 64 KiB: the whole lines that inflate are read, the torn line and the cut are reported", async () => {
    const partial = gunzipSync(cut, { finishFlush: constants.Z_SYNC_FLUSH }).toString("utf8");
    const whole = partial.split("\n").length - 1;
    assert.equal(whole, 1); // 60 % of this very repetitive file's gzip inflates to 1 line and a part
    const base = await collect([XML]);
    const c = await collect([t.path("cut.xml.log.gz")]);
    assert.deepEqual(c.events.map(content), base.events.slice(0, whole).map(content));
    assert.deepEqual(
      c.diagnostics.map((d) => [d.code, d.severity, d.line]),
      [
        ["xml-malformed", "warning", whole + 1],
        ["archive-damaged", "error", undefined],
      ],
    );
    assert.deepEqual(c.reports, [
      {
        file: t.path("cut.xml.log.gz"),
        format: "xml",
        containers: ["gzip"],
        events: 1,
        malformed: 1,
        problems: { "xml-malformed": 1, "archive-damaged": 1 },
        damaged: "unexpected end of file", // read, damaged: events came out of it before the cut
      },
    ]);
  });

  it("UTF-16 LE with a BOM and CRLF line ends, gzipped: the same 14 events as the UTF-8 file", async () => {
    const base = await collect([XML]);
    assert.equal(base.events.length, 14); // expected.json: events_total 14
    const c = await collect([t.path("utf16.xml.log.gz")]);
    assert.deepEqual(c.events.map(content), base.events.map(content));
    assert.deepEqual(c.diagnostics, []);
  });

  it("mixed XML and classic events (certutil export) inside tar.gz: 40 XML + 19 classic, 20 Sysmon 1 + 20 4688", async () => {
    const c = await collect([t.path("export.tar.gz")]);
    assert.equal(c.events.length, 59); // MANIFEST: 59 (40 XML + 19 classic)
    assert.equal(c.events.filter(isProcessCreation).length, 40);
    assert.equal(c.events.filter((e) => e.eventId === 1).length, 20);
    assert.equal(c.events.filter((e) => e.eventId === 4688).length, 20);
    assert.equal(c.events.filter((e) => e.eventId === 4104).length, 19);
    assert.deepEqual(
      c.reports.map((r) => [r.file.slice(t.dir.length + 1), r.containers, r.events, r.malformed]),
      [["export.tar.gz!certutil.raw", ["gzip", "tar"], 59, 0]],
    );
  });
});

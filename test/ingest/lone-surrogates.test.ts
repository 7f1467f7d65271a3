/**
 * Half a UTF-16 surrogate pair in the input (a damaged EVTX string, a JSON `\ud800` escape, a UTF-16 text file,
 * an HEC envelope) comes out as U+FFFD, as Splunk stores it (UTF-8 has no such character): every field is
 * well-formed Unicode, and `hunt -f jsonl` writes no lone `\udXXX` escape, which stops strict JSON parsers (jq 1.6)
 * at that line and loses every line after it.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, describe, it } from "node:test";
import { decodeChunk } from "../../src/ingest/evtx/chunk.js";
import type { WinEvent } from "../../src/model/event.js";
import { eventFromText } from "../../src/service/hec/envelope-event.js";
import { runCli } from "../support/run-cli.js";
import { REPO } from "../support/shared.js";
import { collect } from "./collect-events.js";
import { ChunkWriter } from "./evtx/chunk-writer.js";
import { type TempDir, tempFiles } from "./temp-inputs.js";

const temps: TempDir[] = [];
after(() => {
  for (const t of temps) t.cleanup();
});
function files(f: Record<string, string | Buffer>): TempDir {
  const t = tempFiles(f);
  temps.push(t);
  return t;
}

/** Every string of an event (System values, data names and values) is well-formed. */
function allWellFormed(e: Pick<WinEvent, "provider" | "channel" | "computer" | "data">): boolean {
  const strings = [e.provider, e.channel, e.computer, ...Object.keys(e.data), ...Object.values(e.data)];
  return strings.every((s) => s.isWellFormed());
}

const beat = readFileSync(`${REPO}examples/security-4688.winlogbeat.jsonl`, "utf8").split("\n")[0];
const broken4688 = beat
  .replace('"winrs -remote:SRV-DB-03', '"winrs -remote:SRV-DB-03 \\ud800x')
  .replace('"event_data": {', '"event_data": {"K\\udc00": "v", ');

describe("a lone surrogate in the input", () => {
  it("JSON: values and keys get U+FFFD", async () => {
    const t = files({ "a.jsonl": `${broken4688}\n` });
    const r = await collect([t.path("a.jsonl")]);
    assert.equal(r.events.length, 1);
    const e = r.events[0];
    assert.equal(e.data.CommandLine, 'winrs -remote:SRV-DB-03 \uFFFDx "sc query"');
    assert.equal(e.data["K\uFFFD"], "v");
    assert.ok(allWellFormed(e));
  });

  it("a UTF-16 text file: U+FFFD", async () => {
    const line = `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='P'/><EventID>1</EventID><Channel>C</Channel><Computer>h</Computer></System><EventData><Data Name='A'>a\ud800b</Data></EventData></Event>\r\n`;
    const body = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(line, "utf16le")]);
    const t = files({ "u16.xml": body });
    const r = await collect([t.path("u16.xml")]);
    assert.deepEqual(
      r.events.map((e) => e.data),
      [{ A: "a\uFFFDb" }],
    );
  });

  it("EVTX: a string value and a name get U+FFFD", () => {
    const w = new ChunkWriter(true);
    w.beginRecord(1).open("Event").closeStart().system("1");
    w.open("EventData").closeStart();
    w.dataNamed("A\udfff", (x) => x.text("x\ud800y"));
    w.end().end().endRecord();
    const r = decodeChunk(w.buf, { file: "t.evtx", index: 0, fileOffset: 4096, checksums: false });
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.events[0]?.data, { "A\uFFFD": "x\uFFFDy" });
  });

  it("HEC: an envelope's XML text gets U+FFFD", () => {
    const xml = `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='P'/><EventID>1</EventID><Channel>C</Channel><Computer>h\udbff</Computer></System><EventData><Data Name='A'>\ud800</Data></EventData></Event>`;
    const r = eventFromText(xml, "XmlWinEventLog");
    assert.equal(r.kind, "event");
    if (r.kind !== "event") return;
    assert.equal(r.event.computer, "h\uFFFD");
    assert.deepEqual(r.event.data, { A: "\uFFFD" });
  });

  it("hunt -f jsonl writes no lone surrogate escape: the row has U+FFFD", () => {
    const t = files({ "b.jsonl": `${broken4688}\n` });
    const r = runCli(["hunt", t.path("b.jsonl"), "-f", "jsonl", "-q", "--no-pack"]);
    assert.equal(r.code, 0);
    assert.doesNotMatch(r.stdout, /\\ud[89a-f]/i);
    // 4688's `process` (SEMANTICS §3): CommandLine's first token ("winrs") has no backslash, so it is
    // NewProcessName (no space: unquoted), a space, and the rest of CommandLine, with U+FFFD for the half pair.
    const rows = r.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as { process: string });
    assert.deepEqual(
      rows.map((x) => x.process),
      ['C:\\Windows\\System32\\winrs.exe -remote:SRV-DB-03 \uFFFDx "sc query"'],
    );
  });
});

/**
 * The walker and containers: folder expansion order, statInputs, missing paths, detection by content (not
 * name), gzip, tar, tar.gz, zip, nested containers, damaged archives, non-log files, the event filter,
 * onFile and onProgress.
 */
import assert from "node:assert/strict";
import { readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import { statInputs } from "../../src/ingest/read-inputs.js";
import { collect, isSysmon1, SHARED } from "./collect-events.js";
import { type TempDir, tarOf, tempFiles, zipOf } from "./temp-inputs.js";

const line = (id: number, host: string) =>
  JSON.stringify({
    winlog: { event_id: id, channel: "Microsoft-Windows-Sysmon/Operational", computer_name: host },
  });
const jsonl = (...hosts: string[]) => `${hosts.map((h) => line(1, h)).join("\n")}\n`;

const temps: TempDir[] = [];
function files(f: Record<string, string | Buffer>): TempDir {
  const t = tempFiles(f);
  temps.push(t);
  return t;
}
after(() => {
  for (const t of temps) t.cleanup();
});

describe("readInputs: walking paths", () => {
  it("expands folders recursively in sorted order, each file once; missing paths are unreadable with a diagnostic", async () => {
    const t = files({
      "b/z.log": jsonl("z"),
      "b/a.log": jsonl("a"),
      "a.txt": jsonl("top"),
      "B.log": jsonl("B"),
    });
    const missing = t.path("nope.json");
    const r = await collect([t.path("b"), missing, t.dir]);
    assert.deepEqual(
      r.reports.map((x) => x.file.slice(t.dir.length + 1) || x.file),
      ["b/a.log", "b/z.log", "nope.json", "B.log", "a.txt"],
    );
    assert.deepEqual(
      r.events.map((e) => e.computer),
      ["a", "z", "B", "top"],
    );
    const miss = r.reports[2];
    assert.equal(miss.unreadable, "no such file or directory");
    assert.deepEqual(miss.problems, { "file-unreadable": 1 });
    // t.dir holds b/, already walked: the folder is noted once, not read again.
    assert.deepEqual(
      r.diagnostics.map((d) => [d.code, d.severity, d.file]),
      [
        ["file-unreadable", "error", missing],
        ["input-duplicate", "info", t.path("b")],
      ],
    );
    // A missing path among existing ones is the reader's to report; only when nothing given exists is it
    // statInputs' `missing` (a usage error).
    const st = await statInputs([t.dir, missing]);
    assert.equal(st.files.length, 4);
    assert.deepEqual(st.missing, []);
    assert.equal(st.totalBytes, jsonl("z").length * 4 + 2);
    assert.deepEqual((await statInputs([missing])).missing, [missing]);
  });

  it("a symbolic link back to an enclosing folder is not followed into a loop", async () => {
    const t = files({ "d/x.json": jsonl("x") });
    symlinkSync(t.path("d"), t.path("d/self"));
    const r = await collect([t.dir]);
    assert.deepEqual(
      r.reports.map((x) => x.file.slice(t.dir.length + 1)),
      ["d/x.json"],
    );
  });

  it("detects by content, never by name; non-logs are skipped with a reason", async () => {
    const t = files({
      "events.txt": jsonl("x"), // JSON in a .txt
      "data.json": `<Event><System><EventID>4</EventID></System></Event>\n`, // XML in a .json
      "README.md": "# Title\nsome text\n",
      "rules.yml": "name: x\nsearch: y\n",
      "archive.7z": Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4, 1, 2]),
      "empty.log": "",
      "blob.bin": Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 37) % 32)),
      "page.xml": "<!DOCTYPE html><html><body>hi</body></html>",
    });
    const r = await collect([t.dir]);
    const by = Object.fromEntries(r.reports.map((x) => [x.file.slice(t.dir.length + 1), x]));
    assert.equal(by["events.txt"].format, "json");
    assert.equal(by["events.txt"].events, 1);
    assert.equal(by["data.json"].format, "xml");
    assert.equal(by["data.json"].events, 1);
    assert.match(by["README.md"].skipped ?? "", /not a log/);
    assert.match(by["rules.yml"].skipped ?? "", /not a log/);
    assert.match(by["archive.7z"].skipped ?? "", /^7z archive/);
    assert.equal(by["empty.log"].skipped, "empty file");
    assert.match(by["blob.bin"].skipped ?? "", /binary data/);
    assert.match(by["page.xml"].skipped ?? "", /HTML/);
    assert.deepEqual(r.diagnostics, []);
  });

  it("the filter decides what is produced; everything is still counted", async () => {
    const t = files({ "m.json": `${line(1, "a")}\n${line(3, "b")}\n${line(1, "c")}\n` });
    const seen: Array<[string, string, number]> = [];
    const r = await collect([t.dir], {
      filter: (p, c, id) => {
        seen.push([p, c, id]);
        return id === 1;
      },
    });
    assert.deepEqual(
      r.events.map((e) => e.computer),
      ["a", "c"],
    );
    assert.equal(r.reports[0].events, 3);
    assert.equal(seen.length, 3);
  });

  it("calls onFile per report and onProgress up to the total size", async () => {
    const t = files({ "1.json": jsonl("a"), "2.json": jsonl("b", "c") });
    const onFile: string[] = [];
    const progress: number[] = [];
    await collect([t.dir], { onFile: (f) => onFile.push(f.file), onProgress: (b) => progress.push(b) });
    assert.deepEqual(onFile, [t.path("1.json"), t.path("2.json")]);
    const total = jsonl("a").length + jsonl("b", "c").length;
    assert.equal(progress[progress.length - 1], total);
    assert.ok(progress.every((b, i) => i === 0 || b >= progress[i - 1]));
  });
});

describe("readInputs: containers", () => {
  it("gzip is undone transparently, whatever the name", async () => {
    const t = files({ "logs.dat": gzipSync(jsonl("g1", "g2")) });
    const r = await collect([t.dir]);
    assert.deepEqual(r.reports[0].containers, ["gzip"]);
    assert.equal(r.reports[0].file, t.path("logs.dat"));
    assert.equal(r.reports[0].format, "json");
    assert.equal(r.events.length, 2);
  });

  it("tar and tar.gz members are read one by one, nested gzip and zip included", async () => {
    const innerZip = zipOf([["in/z.json", jsonl("zip-in-tar")]]);
    const tar = tarOf([
      ["dir/a.json", jsonl("t1", "t2")],
      ["README", "just text\n"],
      ["dir/b.json.gz", gzipSync(jsonl("t3"))],
      ["c.zip", innerZip],
    ]);
    const t = files({ "plain.tar": tar, "pack.tgz": gzipSync(tar) });
    const r = await collect([t.dir]);
    const names = r.reports.map((x) => [
      x.file.slice(t.dir.length + 1),
      x.containers,
      x.events,
      x.skipped ?? null,
    ]);
    assert.deepEqual(names, [
      ["pack.tgz!dir/a.json", ["gzip", "tar"], 2, null],
      ["pack.tgz!README", ["gzip", "tar"], 0, 'text that is not a log (starts with "just text")'],
      ["pack.tgz!dir/b.json.gz", ["gzip", "tar", "gzip"], 1, null],
      ["pack.tgz!c.zip!in/z.json", ["gzip", "tar", "zip"], 1, null],
      ["plain.tar!dir/a.json", ["tar"], 2, null],
      ["plain.tar!README", ["tar"], 0, 'text that is not a log (starts with "just text")'],
      ["plain.tar!dir/b.json.gz", ["tar", "gzip"], 1, null],
      ["plain.tar!c.zip!in/z.json", ["tar", "zip"], 1, null],
    ]);
    assert.equal(r.events.filter((e) => e.computer === "zip-in-tar").length, 2);
    assert.equal(r.events[0].origin.file, `${t.path("pack.tgz")}!dir/a.json`);
  });

  it("zip members, directories skipped", async () => {
    const t = files({
      "z.zip": zipOf([
        ["folder/", ""],
        ["folder/one.json", jsonl("z1")],
        ["two.xml", "<Event><System><EventID>4688</EventID><Channel>Security</Channel></System></Event>\n"],
      ]),
    });
    const r = await collect([t.dir]);
    assert.deepEqual(
      r.reports.map((x) => [x.file.slice(t.dir.length + 1), x.format, x.events]),
      [
        ["z.zip!folder/one.json", "json", 1],
        ["z.zip!two.xml", "xml", 1],
      ],
    );
  });

  it("an EVTX file inside a zip and inside a tar.gz goes to the EVTX reader (MANIFEST: 3 records, 3 Sysmon 1)", async () => {
    const evtx = readFileSync(join(SHARED, "data/evtx-attack-samples/LM_winrm_exec_sysmon_1_winrshost.evtx"));
    const t = files({
      "e.zip": zipOf([["x/sysmon.evtx", evtx]]),
      "e.tgz": gzipSync(tarOf([["sysmon.evtx", evtx]])),
    });
    const r = await collect([t.dir]);
    assert.deepEqual(
      r.reports.map((x) => [x.file.slice(t.dir.length + 1), x.format, x.containers, x.events]),
      [
        ["e.tgz!sysmon.evtx", "evtx", ["gzip", "tar"], 3],
        ["e.zip!x/sysmon.evtx", "evtx", ["zip"], 3],
      ],
    );
    assert.equal(r.events.filter(isSysmon1).length, 6);
    assert.equal(r.events[0].origin.file, `${t.path("e.tgz")}!sysmon.evtx`);
  });

  it("a truncated tar.gz keeps what was read, reports the damage and the run goes on", async () => {
    const tar = tarOf([
      ["a.json", jsonl("a1", "a2")],
      ["b.json", jsonl(...Array.from({ length: 2000 }, (_, i) => `b${i}`))],
    ]);
    const gz = gzipSync(tar);
    const t = files({
      "cut.tar.gz": gz.subarray(0, Math.floor(gz.length * 0.6)),
      "z-after.json": jsonl("after"),
    });
    const r = await collect([t.dir]);
    const first = r.reports[0];
    assert.equal(first.file, `${t.path("cut.tar.gz")}!a.json`);
    assert.equal(first.events, 2);
    assert.ok(
      r.events.some((e) => e.computer === "after"),
      "the next file is still read",
    );
    // One cut, reported once, on the member it cut (read, damaged), not again as a damaged tar.
    assert.deepEqual(
      r.diagnostics.filter((d) => d.code === "archive-damaged").map((d) => [d.severity, d.file, d.message]),
      [["error", `${t.path("cut.tar.gz")}!b.json`, "reading stopped: unexpected end of file"]],
    );
    assert.deepEqual(
      r.reports.map((x) => [x.file.slice(t.dir.length + 1), x.damaged, x.unreadable]),
      [
        ["cut.tar.gz!a.json", undefined, undefined],
        ["cut.tar.gz!b.json", "unexpected end of file", undefined],
        ["z-after.json", undefined, undefined],
      ],
    );
    assert.ok((r.reports[1].events ?? 0) > 1000);
  });

  it("a damaged zip is one unreadable report with archive-damaged", async () => {
    const zip = zipOf([["a.json", jsonl("a")]]);
    const t = files({ "bad.zip": zip.subarray(0, zip.length - 10) });
    const r = await collect([t.dir]);
    assert.equal(r.reports.length, 1);
    assert.equal(r.reports[0].file, t.path("bad.zip"));
    assert.deepEqual(r.reports[0].containers, ["zip"]);
    assert.match(r.reports[0].unreadable ?? "", /zip archive is damaged/);
    assert.deepEqual(
      r.diagnostics.map((d) => d.code),
      ["archive-damaged"],
    );
  });
});

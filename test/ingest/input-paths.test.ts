/**
 * Paths that are not plain log files never stop the run and are never silent (tester's bugs 1, 2 and 6):
 * - a dangling link or an unreadable entry inside a folder, or a missing path among others, is reported with
 *   its reason and counted, the rest is read, exit 3 (only when no given path exists at all is it exit 2);
 * - a file named twice (`hunt F F`, `hunt DIR DIR/f.log`, a link to a file already read) is read once, with
 *   one info note — the counts are not doubled;
 * - a FIFO is skipped with its reason, an empty folder is a warning, `-` reads standard input (`<stdin>`).
 * Counts come from derived_winrs_4688_fs03vuln.evtx.expected.json (4 events, 4 process creations) and MANIFEST.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, symlinkSync } from "node:fs";
import { Readable } from "node:stream";
import { after, describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import type { Diagnostic } from "../../src/diag/diagnostic.js";
import { parallelRecords } from "../../src/engine/parallel-hunt.js";
import { readInputs } from "../../src/ingest/read-inputs.js";
import { runCli } from "../support/run-cli.js";
import { REPO, sharedPath } from "../support/shared.js";
import { collect as collectAll } from "./collect-events.js";

/** These tests are about paths: the note on records in a.evtx's chunk slack (slack.test.ts) is left out. */
async function collect(paths: string[]) {
  const c = await collectAll(paths);
  return { ...c, diagnostics: c.diagnostics.filter((d) => d.code !== "evtx-slack-records") };
}

import { type TempDir, tempFiles } from "./temp-inputs.js";

const EVTX = sharedPath("data/derived-positives/derived_winrs_4688_fs03vuln.evtx");
const EXPECTED = JSON.parse(readFileSync(`${EVTX}.expected.json`, "utf8")) as {
  events_total: number;
  process_creation_events: number;
};
const XML = sharedPath("data/derived-positives/derived_winrs_xmlwineventlog_attackrange.xml.log");
const XP_JSON = sharedPath("data/xp-rules/4688_raw_7_winrm_get_config_winrs.json");

/** The CLI with raw bytes on standard input (runCli takes text). */
function cliWithStdin(args: string[], input: Buffer) {
  const r = spawnSync(process.execPath, ["--import", "tsx", `${REPO}src/cli/main.ts`, ...args], {
    cwd: REPO,
    input,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { code: r.status ?? -1, stdout: r.stdout.toString("utf8"), stderr: r.stderr.toString("utf8") };
}

const lines = (s: string) => s.split("\n").filter((l) => l !== "");

describe("bad paths are reported and counted; the rest is read", () => {
  const t: TempDir = tempFiles({ "dir/a.evtx": readFileSync(EVTX) });
  symlinkSync("/nope", t.path("dir/broken.log"));
  symlinkSync(t.path("dir/loop2"), t.path("dir/loop1"));
  symlinkSync(t.path("dir/loop1"), t.path("dir/loop2"));
  after(() => t.cleanup());

  it("a dangling link and a link loop inside a folder: file-unreadable with the reason, the log beside them is read", async () => {
    assert.equal(EXPECTED.events_total, 4);
    const c = await collect([t.path("dir")]);
    assert.equal(c.events.length, 4);
    assert.deepEqual(
      c.reports.map((r) => [r.file.slice(t.dir.length + 1), r.events, r.unreadable]),
      [
        ["dir/a.evtx", 4, undefined],
        ["dir/broken.log", 0, "broken symbolic link (its target /nope does not exist)"],
        ["dir/loop1", 0, "too many levels of symbolic links"],
        ["dir/loop2", 0, "too many levels of symbolic links"],
      ],
    );
    assert.deepEqual(
      c.diagnostics.map((d) => [d.code, d.severity, d.file?.slice(t.dir.length + 1)]),
      [
        ["file-unreadable", "error", "dir/broken.log"],
        ["file-unreadable", "error", "dir/loop1"],
        ["file-unreadable", "error", "dir/loop2"],
      ],
    );
  });

  it("winnow hunt DIR (with a dangling link): the link is reported, the rows are printed, exit 3", () => {
    const r = runCli(["hunt", t.path("dir"), "-f", "jsonl"]);
    const alone = runCli(["hunt", EVTX, "-f", "jsonl"]);
    assert.equal(r.code, 3, r.stderr);
    assert.equal(alone.code, 0, alone.stderr);
    assert.equal(lines(r.stdout).length, 7);
    assert.equal(r.stdout, alone.stdout);
    assert.match(
      r.stderr,
      /dir\/broken\.log: error \[file-unreadable\] broken symbolic link \(its target \/nope does not exist\)\n/,
    );
    assert.match(
      r.stderr,
      /winnow: 1 file read, 3 unreadable; 4 events \(4 process\), 0 malformed records skipped/,
    );
    assert.doesNotMatch(r.stderr, /no such file or folder/);
  });

  it("winnow hunt /nonexistent X: the missing path is reported, X is read, exit 3", () => {
    const r = runCli(["hunt", "/nonexistent", XP_JSON, "-f", "jsonl"]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /^\/nonexistent: error \[file-unreadable\] no such file or directory$/m);
    assert.match(r.stderr, /winnow: 1 file read, 1 unreadable; 1 event \(1 process\)/);
  });

  it("no given path exists at all: a usage error, exit 2", () => {
    const r = runCli(["hunt", "/nonexistent", "/nope2"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /winnow: no such file or folder: \/nonexistent, \/nope2/);
  });
});

describe("each file is read once, by its real path", () => {
  const t: TempDir = tempFiles({ "dir/f.evtx": readFileSync(EVTX) });
  symlinkSync(t.path("dir/f.evtx"), t.path("dir/g-link.evtx"));
  after(() => t.cleanup());

  it("hunt F F, hunt DIR DIR/f.evtx, a link to a file in the same folder, hunt DIR DIR: 4 events, one note each", async () => {
    const f = t.path("dir/f.evtx");
    const cases: Array<[string[], string[][]]> = [
      [[f, f], [[f, "given more than once; it is read once"]]],
      [
        [t.path("dir"), f],
        [
          [t.path("dir/g-link.evtx"), `the same file as ${f}, which is read once`],
          [f, "given more than once; it is read once"],
        ],
      ],
      [
        [t.path("dir"), t.path("dir")],
        [
          [t.path("dir/g-link.evtx"), `the same file as ${f}, which is read once`],
          [t.path("dir"), "given more than once; it is read once"],
        ],
      ],
    ];
    for (const [paths, notes] of cases) {
      const c = await collect(paths);
      assert.equal(c.events.length, 4, paths.join(" "));
      assert.deepEqual(
        c.reports.map((r) => [r.file, r.events]),
        [[f, 4]],
      );
      assert.deepEqual(
        c.diagnostics.map((d) => [d.code, d.severity]),
        notes.map(() => ["input-duplicate", "info"]),
      );
      assert.deepEqual(
        c.diagnostics.map((d) => [d.file, d.message]),
        notes,
      );
    }
  });

  it("winnow hunt F F: the same rows and counts as hunt F, and the note on stderr once", () => {
    const f = t.path("dir/f.evtx");
    const once = runCli(["hunt", f, "-f", "jsonl"]);
    const twice = runCli(["hunt", f, f, "-f", "jsonl"]);
    assert.equal(twice.code, 0, twice.stderr);
    assert.equal(twice.stdout, once.stdout);
    assert.equal(lines(twice.stdout).length, 7);
    assert.match(twice.stderr, /winnow: 1 file read; 4 events \(4 process\), 0 malformed records skipped/);
    assert.equal(twice.stderr.match(/\[input-duplicate\]/g)?.length, 1);
    assert.match(twice.stderr, /f\.evtx: info \[input-duplicate\] given more than once; it is read once/);
  });
});

describe("inputs that used to be silent", () => {
  const t: TempDir = tempFiles({ "logs/a.xml.log": readFileSync(XML) });
  mkdirSync(t.path("empty/sub"), { recursive: true });
  spawnSync("mkfifo", [t.path("logs/pipe.log")]);
  spawnSync("mkfifo", [t.path("fifo")]);
  after(() => t.cleanup());

  it("a FIFO (given, or inside a folder) is skipped with its reason; the folder's log is read", async () => {
    const c = await collect([t.path("fifo"), t.path("logs")]);
    const why = "not a regular file but a FIFO (named pipe) (to read from a pipe, give - for standard input)";
    assert.deepEqual(
      c.reports.map((r) => [r.file.slice(t.dir.length + 1), r.events, r.skipped]),
      [
        ["fifo", 0, why],
        ["logs/a.xml.log", 14, undefined],
        ["logs/pipe.log", 0, why],
      ],
    );
    assert.deepEqual(c.diagnostics, []);
    const r = runCli(["hunt", t.path("fifo"), "-f", "jsonl"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`^skipped ${t.path("fifo")}: not a regular file but a FIFO`, "m"));
    assert.match(r.stderr, /winnow: 0 files read, 1 skipped \(not logs\); 0 events/);
  });

  it("a given folder with no file in it is a warning", async () => {
    const c = await collect([t.path("empty")]);
    assert.deepEqual(c.reports, []);
    assert.deepEqual(
      c.diagnostics.map((d) => [d.code, d.severity, d.file, d.message]),
      [
        [
          "input-empty-folder",
          "warning",
          t.path("empty"),
          "the folder holds no files: nothing was read from it",
        ],
      ],
    );
    const r = runCli(["hunt", t.path("empty")]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(`^${t.path("empty")}: warning \\[input-empty-folder\\] the folder holds no files`, "m"),
    );
  });

  it("- reads standard input, format detected from content (EVTX, gzip XML), named <stdin>", async () => {
    const evtx = readFileSync(EVTX);
    const viaStdin = async (bytes: Buffer) => {
      const events: string[] = [];
      const gen = readInputs(["-"], { report: () => undefined, openStdin: () => Readable.from([bytes]) });
      for (let r = await gen.next(); ; r = await gen.next()) {
        if (r.done === true) return { events, reports: r.value };
        for (const e of r.value) events.push(JSON.stringify([e.origin.file, e.recordId, e.data]));
      }
    };
    const fromFile = await collect([EVTX]);
    const s = await viaStdin(evtx);
    assert.deepEqual(
      s.events,
      fromFile.events.map((e) => JSON.stringify(["<stdin>", e.recordId, e.data])),
    );
    assert.deepEqual(s.reports, [{ file: "<stdin>", format: "evtx", events: 4, malformed: 0, recovered: 0 }]);
    const gz = await viaStdin(gzipSync(readFileSync(XML)));
    assert.equal(gz.events.length, 14);
    assert.deepEqual(gz.reports, [
      { file: "<stdin>", format: "xml", containers: ["gzip"], events: 14, malformed: 0 },
    ]);

    const r = cliWithStdin(["hunt", "-", "-f", "jsonl"], evtx);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, runCli(["hunt", EVTX, "-f", "jsonl"]).stdout);
    assert.match(r.stderr, /winnow: 1 file read; 4 events \(4 process\)/);
    const broken = Buffer.from(`${lines(readFileSync(XML, "utf8"))[0]}\n<Event><System></Event>\n`);
    const b = cliWithStdin(["hunt", "-", "-f", "jsonl"], broken);
    assert.equal(b.code, 3, b.stderr);
    assert.match(b.stderr, /^<stdin>:2:\d+: warning \[xml-malformed\]/m);
  });

  it("hunt --help says - reads standard input", () => {
    const r = runCli(["hunt", "--help"]);
    assert.match(r.stdout, /\.tar\.gz; - reads\s+stdin/);
  });
});

describe("reader threads give the same reports for these paths", () => {
  const big = sharedPath(
    "data/dfir-artifact-museum/Win10_APTSimulatorVM_Microsoft-Windows-Sysmon%4Operational.evtx",
  );
  const gz = gzipSync(readFileSync(XML));
  const t: TempDir = tempFiles({
    "dir/big.evtx": readFileSync(big),
    "dir/cut.xml.log.gz": gz.subarray(0, Math.floor(gz.length * 0.6)),
  });
  symlinkSync("/nope", t.path("dir/broken.log"));
  symlinkSync(t.path("dir/big.evtx"), t.path("dir/link.evtx"));
  spawnSync("mkfifo", [t.path("dir/pipe")]);
  mkdirSync(t.path("empty"));
  after(() => t.cleanup());

  it("missing, dangling, FIFO, duplicate, empty folder, cut gzip: readInputs and 2 reader threads agree", async () => {
    const paths = [t.path("dir"), "/nonexistent", t.path("empty"), t.path("dir/big.evtx")];
    const one = await collectAll(paths, { filter: () => true });
    const diagnostics: Diagnostic[] = [];
    const records = parallelRecords(paths, {
      workers: 2,
      datasets: ["Endpoint.Processes"],
      report: (d) => diagnostics.push(d),
      chunksPerUnit: 4,
      minBytes: 0,
    });
    let r = await records.next();
    while (r.done !== true) r = await records.next();
    assert.deepEqual(r.value, one.reports);
    assert.deepEqual(diagnostics, one.diagnostics);
    assert.deepEqual(
      one.reports.map((x) => [x.file.replace(t.dir, "T"), x.events, x.skipped ?? x.unreadable ?? x.damaged]),
      [
        ["T/dir/big.evtx", 1402, undefined],
        ["T/dir/broken.log", 0, "broken symbolic link (its target /nope does not exist)"],
        ["T/dir/cut.xml.log.gz", one.reports[2].events, "unexpected end of file"],
        [
          "T/dir/pipe",
          0,
          "not a regular file but a FIFO (named pipe) (to read from a pipe, give - for standard input)",
        ],
        ["/nonexistent", 0, "no such file or directory"],
      ],
    );
    assert.deepEqual(
      one.diagnostics
        .filter((d) => d.code.startsWith("input-"))
        .map((d) => [d.code, d.file?.replace(t.dir, "T")]),
      [
        ["input-duplicate", "T/dir/link.evtx"],
        ["input-empty-folder", "T/empty"],
        ["input-duplicate", "T/dir/big.evtx"],
      ],
    );
  });
});

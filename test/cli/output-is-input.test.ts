/**
 * An output that is one of the command's inputs (bug report: `winnow export /tmp/copy.evtx -o /tmp/copy.evtx`
 * truncated the EVTX to 0 bytes and exited 0; so did `hunt in.xml.log -o in.xml.log` and `--risk in.xml.log`).
 * Every output option of every command that reads files is refused — one line naming the option and the input,
 * exit 2 — before anything is opened for writing, when it is the same file (device and inode, so a hard link or
 * a symbolic link counts) as a file named on the command line, one the walk finds in a named folder, standard
 * input redirected from a file, a content tree's file, or a test's attack data. The input is left byte for byte.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  closeSync,
  copyFileSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { detectionYaml } from "../support/detection-yaml.js";
import { runCli } from "../support/run-cli.js";
import { REPO, sharedPath } from "../support/shared.js";

const EVTX = sharedPath("data/derived-positives/derived_winrs_4688_fs03vuln.evtx");
const XML = `${REPO}examples/sysmon-operational.xml.log`;
const tmp = () => mkdtempSync(join(tmpdir(), "winnow-output-input-"));
const destroys = (option: string, path: string, what: string) =>
  `winnow: cannot write ${option} ${path}: it is ${what}; writing it would destroy the input\n`;

/**
 * Runs `check` on a file of the repository that a broken build would overwrite, asserting that it is left byte
 * for byte, and putting it back if it was not (so that a failing run does not break the checkout).
 */
function keptAsItWas(file: string, check: () => void): void {
  const before = readFileSync(file);
  try {
    check();
  } finally {
    const after = readFileSync(file);
    if (!after.equals(before)) writeFileSync(file, before);
    assert.deepEqual(after, before, `${file} was overwritten (now restored)`);
  }
}

/** A private copy of a shared file (the shared folder is read-only). */
function copyOf(file: string, name: string): string {
  const path = join(tmp(), name);
  copyFileSync(file, path);
  return path;
}

describe("export: the output may not be an input", () => {
  for (const format of ["xml", "jsonl"]) {
    it(`export copy.evtx -f ${format} -o copy.evtx: exit 2, the EVTX left as it was`, () => {
      const copy = copyOf(EVTX, "copy.evtx");
      const before = readFileSync(copy);
      const r = runCli(["export", copy, "-f", format, "-o", copy]);
      assert.equal(r.stderr, destroys("--output", copy, `the input file ${copy}`));
      assert.equal(r.stdout, "");
      assert.equal(r.code, 2);
      assert.deepEqual(readFileSync(copy), before);
    });
  }

  it("a hard link and a symbolic link to the input are the same file", () => {
    const copy = copyOf(EVTX, "copy.evtx");
    const before = readFileSync(copy);
    const hard = join(tmp(), "hard.evtx");
    linkSync(copy, hard);
    const soft = join(tmp(), "soft.evtx");
    symlinkSync(copy, soft);
    for (const out of [hard, soft]) {
      const r = runCli(["export", copy, "-o", out]);
      assert.equal(r.stderr, destroys("--output", out, `the input file ${copy}`));
      assert.equal(r.code, 2);
    }
    assert.deepEqual(readFileSync(copy), before);
  });

  it("an existing file inside an input folder that would be read: exit 2; a new one is not read back", () => {
    const dir = tmp();
    copyFileSync(XML, join(dir, "sysmon.xml.log"));
    const out = join(dir, "all.xml.log");
    const first = runCli(["export", dir, "-o", out]);
    assert.equal(first.code, 0, first.stderr);
    // The new output was not counted (nor read) as an input: one file, its 8 events.
    assert.equal(
      first.stderr,
      "winnow export: 8 events written from 1 file(s) read; 0 malformed record(s) skipped, 0 unreadable file(s), 0 damaged file(s)\n",
    );
    const written = readFileSync(out);
    assert.equal(written.toString("utf8").trimEnd().split("\n").length, 8);
    const again = runCli(["export", dir, "-o", out]);
    assert.equal(
      again.stderr,
      destroys("--output", out, `the input file ${out}, in the input folder ${dir}`),
    );
    assert.equal(again.code, 2);
    assert.deepEqual(readFileSync(out), written);
  });
});

describe("hunt: no output option may be an input", () => {
  for (const option of ["--output", "--risk", "--notables", "--stats-json", "--graph"]) {
    it(`hunt in.xml.log ${option} in.xml.log: exit 2, nothing run, the log left as it was`, () => {
      const log = copyOf(XML, "in.xml.log");
      const before = readFileSync(log);
      const r = runCli(["hunt", log, "-f", "jsonl", option, log]);
      assert.equal(r.stderr, destroys(option, log, `the input file ${log}`));
      assert.equal(r.stdout, "");
      assert.equal(r.code, 2);
      assert.deepEqual(readFileSync(log), before);
    });
  }

  it("standard input redirected from the file (hunt - --risk in.xml.log < in.xml.log)", () => {
    const log = copyOf(XML, "in.xml.log");
    const before = readFileSync(log);
    const fd = openSync(log, "r");
    try {
      const r = spawnSync(
        process.execPath,
        ["--import", "tsx", `${REPO}src/cli/main.ts`, "hunt", "-", "-q", "--risk", log],
        { cwd: REPO, stdio: [fd, "pipe", "pipe"], encoding: "utf8" },
      );
      assert.equal(r.stderr, destroys("--risk", log, "standard input (-), redirected from that file"));
      assert.equal(r.status, 2);
    } finally {
      closeSync(fd);
    }
    assert.deepEqual(readFileSync(log), before);
  });

  it("a file of a --content tree, or of the built-in content, is an input too", () => {
    const dir = tmp();
    mkdirSync(join(dir, "detections"));
    const yml = join(dir, "detections", "count.yml");
    const text = detectionYaml({
      id: "c0000000-0000-0000-0000-000000000001",
      name: "Count",
      search: "| tstats count from datamodel=Endpoint.Processes by Processes.dest",
    });
    writeFileSync(yml, text);
    const r = runCli(["hunt", XML, "-q", "-c", dir, "--stats-json", yml]);
    assert.equal(r.stderr, destroys("--stats-json", yml, `the content file ${yml}, in --content ${dir}`));
    assert.equal(r.code, 2);
    assert.equal(readFileSync(yml, "utf8"), text);
    const builtin = `${REPO}content/detections/endpoint/remote_process_instantiation_via_winrm_and_winrs.yml`;
    keptAsItWas(builtin, () => {
      const b = runCli(["hunt", XML, "-q", "--graph", builtin]);
      assert.equal(b.stderr, destroys("--graph", builtin, `the built-in content file ${builtin}`));
      assert.equal(b.code, 2);
    });
  });

  it("an output that is not an input is still written (a file beside the input, in the same folder)", () => {
    const log = copyOf(XML, "in.xml.log");
    const out = join(tmp(), "rows.jsonl");
    const r = runCli([
      "hunt",
      log,
      "-q",
      "-f",
      "jsonl",
      "-d",
      "Remote Process Instantiation via WinRM and Winrs",
      "-o",
      out,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(out, "utf8").trimEnd().split("\n").length, 3);
  });
});

describe("standard output redirected to an input file (winnow export a.log >> a.log)", () => {
  for (const args of [["export"], ["hunt", "-q"], ["doctor", "-q"]]) {
    it(`${args[0]}: exit 2, nothing appended (export would read back what it appends)`, () => {
      const log = copyOf(XML, "in.xml.log");
      const before = readFileSync(log);
      const out = openSync(log, "a");
      try {
        const r = spawnSync(
          process.execPath,
          ["--import", "tsx", `${REPO}src/cli/main.ts`, args[0]!, log, ...args.slice(1)],
          { cwd: REPO, stdio: ["ignore", out, "pipe"], encoding: "utf8", timeout: 60_000 },
        );
        assert.equal(
          r.stderr,
          `winnow: cannot write standard output (redirected to a file): it is the input file ${log}; writing it would destroy the input\n`,
        );
        assert.equal(r.status, 2);
      } finally {
        closeSync(out);
      }
      assert.deepEqual(readFileSync(log), before);
    });
  }
});

describe("test --junit may not be a file the run reads", () => {
  it("the built-in detection's attack data (examples/sysmon-operational.xml.log): exit 2, nothing run", () => {
    keptAsItWas(XML, () => {
      const r = runCli(["test", "--junit", XML]);
      assert.equal(r.stderr, destroys("--junit", XML, `the test data file ${XML}`));
      assert.equal(r.stdout, "");
      assert.equal(r.code, 2);
    });
  });
});

/**
 * Output files that cannot be written (bug report: results lost with exit 0, or an unhandled 'error' event /
 * "internal error" with exit 1 or 70). Every output option of every command is checked before the run starts
 * — one line naming the option, exit 2, nothing run — and a write error during the run (a full disk:
 * /dev/full) is one line and exit 2 as well, never 0 or 1, even with --fail-on-findings.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { runCli } from "../support/run-cli.js";
import { REPO } from "../support/shared.js";

const tmp = () => mkdtempSync(join(tmpdir(), "winnow-outputs-"));
const HUNT_OPTIONS = ["--output", "--risk", "--notables", "--stats-json", "--graph"] as const;
const noDevFull = existsSync("/dev/full") ? false : "needs /dev/full (Linux)";

describe("every output path is checked before the run starts", () => {
  for (const option of HUNT_OPTIONS) {
    it(`hunt ${option} in a folder that does not exist: one line, exit 2, nothing run`, () => {
      const r = runCli(["hunt", "examples/", "-f", "jsonl", option, "/nonexistent/out"]);
      assert.equal(
        r.stderr,
        `winnow: cannot write ${option} /nonexistent/out: no such folder: /nonexistent\n`,
      );
      assert.equal(r.stdout, "");
      assert.equal(r.code, 2);
    });
  }

  it("hunt -o naming a folder, and --risk under a file: exit 2", () => {
    const dir = tmp();
    const folder = runCli(["hunt", "examples/", "-q", "-f", "jsonl", "-o", dir]);
    assert.equal(folder.stderr, `winnow: cannot write --output ${dir}: it is a folder, not a file\n`);
    assert.equal(folder.code, 2);
    const file = join(dir, "a-file");
    writeFileSync(file, "");
    const under = runCli(["hunt", "examples/", "-q", "--risk", join(file, "risk.jsonl")]);
    assert.equal(under.stderr, `winnow: cannot write --risk ${file}/risk.jsonl: ${file} is not a folder\n`);
    assert.equal(under.stdout, "");
    assert.equal(under.code, 2);
  });

  it("hunt with two options naming the same file: exit 2 (the second would overwrite the first)", () => {
    const out = join(tmp(), "same.jsonl");
    const r = runCli(["hunt", "examples/", "-q", "-f", "jsonl", "-o", out, "--notables", out]);
    assert.equal(r.stderr, `winnow: --output and --notables name the same file: ${out}\n`);
    assert.equal(r.code, 2);
    assert.equal(existsSync(out), false);
  });

  it("the tester's cases (-o /nonexistent/x, -o /tmp) no longer exit 0", () => {
    const missing = runCli(["hunt", "examples/", "-q", "-f", "jsonl", "-o", "/nonexistent/x"]);
    assert.equal(
      missing.stderr,
      "winnow: cannot write --output /nonexistent/x: no such folder: /nonexistent\n",
    );
    assert.equal(missing.code, 2);
    const tmpFolder = runCli(["hunt", "examples/", "-q", "-f", "jsonl", "-o", "/tmp"]);
    assert.equal(tmpFolder.stderr, "winnow: cannot write --output /tmp: it is a folder, not a file\n");
    assert.equal(tmpFolder.code, 2);
  });

  it("export -o and test --junit in a folder that does not exist: exit 2", () => {
    const exp = runCli(["export", "examples/", "-o", "/nonexistent/x"]);
    assert.equal(exp.stderr, "winnow: cannot write --output /nonexistent/x: no such folder: /nonexistent\n");
    assert.equal(exp.stdout, "");
    assert.equal(exp.code, 2);
    const test = runCli(["test", "--junit", "/nonexistent/junit.xml"]);
    assert.equal(
      test.stderr,
      "winnow: cannot write --junit /nonexistent/junit.xml: no such folder: /nonexistent\n",
    );
    assert.equal(test.stdout, "");
    assert.equal(test.code, 2);
  });

  it("writable outputs still work: every hunt output is written, exit 0", () => {
    const dir = tmp();
    const args = HUNT_OPTIONS.flatMap((o) => [o, join(dir, o.slice(2))]);
    const r = runCli(["hunt", "examples/", "-q", "-f", "jsonl", ...args]);
    assert.equal(r.stderr, "");
    assert.equal(r.code, 0);
    const rows = runCli(["hunt", "examples/", "-q", "-f", "jsonl"]).stdout;
    assert.equal(readFileSync(join(dir, "output"), "utf8"), rows);
    assert.match(readFileSync(join(dir, "graph"), "utf8"), /^digraph /);
    const stats = JSON.parse(readFileSync(join(dir, "stats-json"), "utf8"));
    assert.equal(stats.totals.rows, rows.trim().split("\n").length);
    assert.equal(readFileSync(join(dir, "risk"), "utf8").trim().split("\n").length, stats.totals.risk_events);
    assert.equal(
      readFileSync(join(dir, "notables"), "utf8").trim().split("\n").length,
      stats.totals.notables,
    );
  });
});

describe("the pre-run check proves the file can be created, and leaves nothing behind", () => {
  const noProc = existsSync("/proc/self") ? false : "needs /proc (Linux)";

  for (const option of HUNT_OPTIONS) {
    it(`hunt ${option} /proc/x (the folder exists, no file can be made in it): exit 2 before the run`, {
      skip: noProc,
    }, () => {
      const r = runCli(["hunt", "examples/", "-f", "jsonl", option, "/proc/x"]);
      assert.equal(
        r.stderr,
        `winnow: cannot write ${option} /proc/x: no file can be created in /proc (no such file or folder)\n`,
      );
      assert.equal(r.stdout, "");
      assert.equal(r.code, 2);
    });
  }

  it("export -o /proc/x and test --junit /proc/x: exit 2 before the run", { skip: noProc }, () => {
    const exp = runCli(["export", "examples/", "-o", "/proc/x"]);
    assert.equal(
      exp.stderr,
      "winnow: cannot write --output /proc/x: no file can be created in /proc (no such file or folder)\n",
    );
    assert.equal(exp.stdout, "");
    assert.equal(exp.code, 2);
    const test = runCli(["test", "--junit", "/proc/x"]);
    assert.equal(
      test.stderr,
      "winnow: cannot write --junit /proc/x: no file can be created in /proc (no such file or folder)\n",
    );
    assert.equal(test.code, 2);
  });

  it("a new output file the check created is gone when the run then fails; an existing one is untouched", () => {
    const dir = tmp();
    const fresh = join(dir, "new.jsonl");
    const kept = join(dir, "kept.jsonl");
    writeFileSync(kept, "earlier results\n");
    const r = runCli(["hunt", "examples/", "-o", fresh, "--risk", kept, "-c", "/nonexistent"]);
    assert.equal(
      r.stderr,
      "/nonexistent: error [file-unreadable] content tree not found (not a folder)\nwinnow: content could not be loaded\n",
    );
    assert.equal(r.code, 2);
    assert.equal(existsSync(fresh), false);
    assert.equal(readFileSync(kept, "utf8"), "earlier results\n");
  });
});

describe("a write error during the run (disk full) is one line and exit 2", { skip: noDevFull }, () => {
  for (const option of HUNT_OPTIONS) {
    it(`hunt ${option} /dev/full with --fail-on-findings: exit 2, not 0 or 1`, () => {
      const r = runCli(["hunt", "examples/", "-f", "jsonl", "--fail-on-findings", option, "/dev/full"]);
      assert.equal(r.stderr, `winnow: cannot write ${option} /dev/full: no space left on device\n`);
      assert.equal(r.code, 2);
    });
  }

  it("export -o /dev/full and test --junit /dev/full: exit 2", () => {
    const exp = runCli(["export", "examples/", "-q", "-o", "/dev/full"]);
    assert.equal(exp.stderr, "winnow: cannot write --output /dev/full: no space left on device\n");
    assert.equal(exp.code, 2);
    const test = runCli(["test", "-q", "--junit", "/dev/full"]);
    assert.equal(test.stderr, "winnow: cannot write --junit /dev/full: no space left on device\n");
    assert.equal(test.code, 2);
  });

  for (const args of [
    ["hunt", "examples/", "-q", "-f", "jsonl"],
    ["export", "examples/", "-q"],
    ["validate", "-f", "json"],
    ["--help"],
  ]) {
    it(`standard output on a full disk: winnow ${args.join(" ")} says so, exit 2`, () => {
      const full = openSync("/dev/full", "w");
      try {
        const r = spawnSync(process.execPath, ["--import", "tsx", `${REPO}src/cli/main.ts`, ...args], {
          cwd: REPO,
          stdio: ["ignore", full, "pipe"],
          encoding: "utf8",
        });
        assert.equal(r.stderr, "winnow: cannot write to standard output: no space left on device\n");
        assert.equal(r.status, 2);
      } finally {
        closeSync(full);
      }
    });
  }
});

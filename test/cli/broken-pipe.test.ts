/**
 * Standard output closed early (`winnow … | head -1`; bug report: `Error: write EPIPE` and a stack trace,
 * exit 1). Every command stops quietly as a Unix tool killed by SIGPIPE does: no message, exit 141
 * (128 + 13, what the shell reports for `cat big | head -1`).
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { REPO, sharedPath } from "../support/shared.js";

/** Runs the CLI with its stdout a pipe whose reading end is already closed: every write gets EPIPE. */
function runIntoClosedPipe(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", `${REPO}src/cli/main.ts`, ...args], {
      cwd: REPO,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.destroy();
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stderr }));
  });
}

describe("stdout closed early: every command stops quietly with exit 141", () => {
  for (const args of [
    ["hunt", "examples/", "-f", "jsonl"],
    ["hunt", "examples/"],
    ["hunt", "examples/", "-q", "-f", "csv"],
    ["export", "examples/"],
    ["validate", "-f", "json"],
    ["validate"],
    ["doctor", "examples/"],
    ["test"],
    ["--help"],
    ["hunt", "--help"],
    ["--version"],
  ]) {
    it(`winnow ${args.join(" ")}`, async () => {
      const r = await runIntoClosedPipe(args);
      assert.equal(r.stderr, "");
      assert.equal(r.code, 141);
    });
  }

  it("the tester's pipelines through head -1: the first line comes out, no message, status 141", () => {
    const cli = `"${process.execPath}" --import tsx src/cli/main.ts`;
    const big = sharedPath("data/evtx-rs-samples/security.evtx");
    for (const command of [
      `${cli} export "${big}" -f jsonl`,
      `${cli} validate --content "${sharedPath("content/security_content")}" -f json`,
      `${cli} hunt "${sharedPath("data")}" -q -f jsonl --workers 1 --explain`,
    ]) {
      const r = spawnSync(
        "bash",
        [
          "-c",
          `${command} 2>stderr.$$ | head -1; s=\${PIPESTATUS[0]}; cat stderr.$$ >&2; rm stderr.$$; exit $s`,
        ],
        {
          cwd: REPO,
          encoding: "utf8",
          maxBuffer: 64 * 1024 * 1024,
        },
      );
      // validate prints the content's YAML warnings on stderr before its list; nothing else may be there.
      const other = r.stderr.split("\n").filter((l) => l !== "" && !l.includes(": warning [content-yaml] "));
      assert.deepEqual(other, [], command);
      assert.equal(r.status, 141, command);
      assert.equal(r.stdout.split("\n").length, 2, command);
      assert.doesNotThrow(() => JSON.parse(r.stdout), command);
    }
  });
});

/**
 * The built command (scripts/build.mjs → cli.js, winnow.cjs, its code cache, hunt-worker.js) gives what the
 * source gives: the same rows on examples/ and on real logs, with the code cache used, rejected (damaged) or
 * absent, and with two reader threads (hunt-worker.js). Every other CLI test runs the source.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
// @ts-expect-error: a plain .mjs build script, without types
import { buildInto } from "../../scripts/build.mjs";
import { runCli } from "../support/run-cli.js";
import { REPO, sharedPath } from "../support/shared.js";

/** Inside the repository, so that the bundle's packages resolve from node_modules as dist/'s do. */
const OUT = join(REPO, "node_modules", ".cache", "winnow-test-bundle");
const CLI = join(OUT, "cli.js");
const CACHE = join(OUT, "winnow.cjs.cache");

function runBuilt(args: readonly string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: REPO,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: "1", WINNOW_CODE_CACHE: "report" },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const EXAMPLES = ["hunt", "examples/", "-f", "jsonl", "--quiet", "--no-progress"];
const REAL = [
  sharedPath("data/evtx-attack-samples/LM_PowershellRemoting_sysmon_1_wsmprovhost.evtx"),
  sharedPath("data/derived-positives/derived_winrs_xmlwineventlog_attackrange.xml.log"),
];

describe("the built command", () => {
  before(async () => {
    await (buildInto as (outdir: string, name: string) => Promise<void>)(OUT, "cli");
  });
  after(() => rmSync(OUT, { recursive: true, force: true }));

  it("hunts examples/ from its code cache, with the rows the source gives", () => {
    const source = runCli(EXAMPLES);
    const built = runBuilt(EXAMPLES);
    assert.equal(built.stderr, "winnow: code cache used\n");
    assert.equal(built.code, source.code);
    assert.equal(built.stdout.split("\n").length, 14); // 13 rows (examples/README.md), then the last newline
    assert.equal(built.stdout, source.stdout);
  });

  it("gives the source's rows on real EVTX and XmlWinEventLog files, on one reader and on two", () => {
    const args = ["hunt", ...REAL, "-f", "jsonl", "--quiet", "--no-progress"];
    const source = runCli([...args, "--workers", "1"]);
    assert.ok(source.stdout.length > 0);
    for (const workers of ["1", "2"]) {
      const built = runBuilt([...args, "--workers", workers]);
      assert.equal(built.stdout, source.stdout, `--workers ${workers}`);
      assert.equal(built.code, source.code);
    }
  });

  it("runs from source when the cache is damaged or missing", () => {
    const source = runCli(EXAMPLES);
    writeFileSync(CACHE, Buffer.alloc(4096, 7));
    const damaged = runBuilt(EXAMPLES);
    assert.equal(damaged.stderr, "winnow: code cache rejected\n");
    assert.equal(damaged.stdout, source.stdout);
    rmSync(CACHE);
    assert.equal(existsSync(CACHE), false);
    const missing = runBuilt(EXAMPLES);
    assert.equal(missing.stderr, "winnow: code cache absent\n");
    assert.equal(missing.stdout, source.stdout);
  });
});

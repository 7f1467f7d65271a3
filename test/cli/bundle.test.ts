/**
 * The built command (scripts/build.mjs → cli.js, winnow.cjs, its code cache, hunt-worker.js) gives what the
 * source gives: the same rows on examples/ and on real logs, with the code cache used, rejected (damaged) or
 * absent, and with two reader threads (hunt-worker.js); and the commands whose code the bundle loads only when
 * they run (validate, test, serve with its SQLite store) work from it. Every other CLI test runs the source.
 */
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
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

  it("runs validate and test, whose code is loaded when they run", () => {
    const validate = runBuilt(["validate"]);
    assert.equal(validate.code, 0);
    assert.match(validate.stderr, /7 of 7 detections can run/);
    const test = runBuilt(["test"]);
    assert.equal(test.code, 0);
    assert.match(test.stdout, /9 tests of 1 detection: 9 passed, 0 failed/);
  });

  it("serves HEC and stores the finding in SQLite", async () => {
    const dir = mkdtempSync(join(tmpdir(), "winnow-bundle-serve-"));
    const port = 20000 + Math.floor(Math.random() * 20000);
    const serve = spawn(
      process.execPath,
      [
        CLI,
        "serve",
        "--token",
        "t0k",
        "--listen",
        `127.0.0.1:${port}`,
        "--store",
        join(dir, "r.sqlite"),
        "--no-alerts",
      ],
      { cwd: REPO, stdio: ["ignore", "ignore", "pipe"] },
    );
    let log = "";
    serve.stderr.on("data", (b: Buffer) => {
      log += b.toString();
    });
    try {
      for (let i = 0; i < 100 && !log.includes("listening on"); i++)
        await new Promise((r) => setTimeout(r, 50));
      assert.match(log, /listening on http:\/\/127\.0\.0\.1:/);
      const line = readFileSync(join(REPO, "examples/sysmon-operational.xml.log"), "utf8")
        .split("\n")
        .find((l) => l.includes("winrs -r:DC-02"));
      const auth = { authorization: "Splunk t0k" };
      const sent = await fetch(`http://127.0.0.1:${port}/services/collector/event`, {
        method: "POST",
        headers: auth,
        body: JSON.stringify({ host: "wks", sourcetype: "XmlWinEventLog", event: line }),
      });
      assert.equal(sent.status, 200);
      // Findings are stored after the events (single node): ask until they are there (at most 5 s).
      let findings: { detection: string; dest: string }[] = [];
      for (let i = 0; i < 100 && findings.length < 2; i++) {
        if (i > 0) await new Promise((r) => setTimeout(r, 50));
        const r = await fetch(`http://127.0.0.1:${port}/api/findings`, { headers: auth });
        findings = (await r.json()) as typeof findings;
      }
      assert.deepEqual(findings.map((f) => [f.detection, f.dest]).sort(), [
        ["Remote Process Instantiation via WinRM and Winrs", "WKS-FIN-07.contoso.example"],
        ["WinRM Pack - Winrs Remote Execution Any Switch", "WKS-FIN-07.contoso.example"],
      ]);
    } finally {
      serve.kill("SIGTERM");
      await new Promise((r) => serve.once("exit", r));
      rmSync(dir, { recursive: true, force: true });
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

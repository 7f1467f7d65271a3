/**
 * `winnow serve` flags (src/cli/commands/serve.ts): --listen parsing and the usage errors that stop a
 * misconfigured service before it binds (no token, --bus without PostgreSQL, half a TLS pair), and how it names the
 * detections of a content tree that cannot run, and that a failed start leaves no store file behind.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "node:test";
import {
  lmWindowFlag,
  parseListen,
  riskThresholdFlag,
  runServe,
  type ServeFlags,
} from "../../src/cli/commands/serve.js";
import { UsageError } from "../../src/cli/exit-codes.js";
import { loadContent } from "../../src/content/index.js";
import { selectDetections } from "../../src/engine/compile-detections.js";
import { runCli } from "../support/run-cli.js";
import { sharedPath } from "../support/shared.js";
import { startCli, stopCli } from "./services.js";

it("parses --listen HOST:PORT", () => {
  assert.deepEqual(parseListen("127.0.0.1:8088"), { host: "127.0.0.1", port: 8088 });
  assert.deepEqual(parseListen("0.0.0.0:9"), { host: "0.0.0.0", port: 9 });
  assert.deepEqual(parseListen("[::1]:8088"), { host: "::1", port: 8088 });
  assert.deepEqual(parseListen(":8088"), { host: "127.0.0.1", port: 8088 });
  assert.throws(() => parseListen("8088"), UsageError);
  assert.throws(() => parseListen("h:70000"), UsageError);
});

it("refuses to start without a token, with --bus but no PostgreSQL store, or with half a TLS pair", async () => {
  const base: ServeFlags = {
    listen: "127.0.0.1:0",
    content: [],
    detection: [],
    alerts: false,
    scheduled: false,
  };
  const saved = process.env.WINNOW_HEC_TOKEN;
  delete process.env.WINNOW_HEC_TOKEN;
  try {
    await assert.rejects(runServe(base), /a token is required/);
    await assert.rejects(
      runServe({ ...base, token: "t", bus: "nats://127.0.0.1:4222" }),
      /--bus needs --store postgres/,
    );
    await assert.rejects(
      runServe({ ...base, token: "t", tlsCert: "c.pem" }),
      /--tls-cert and --tls-key go together/,
    );
    await assert.rejects(runServe({ ...base, token: "t", maxBodyBytes: "-1" }), /positive integer/);
    await assert.rejects(
      runServe({ ...base, token: "t", riskThreshold: "high" }),
      /--risk-threshold wants a number \(0 or more\), got "high"/,
    );
    await assert.rejects(runServe({ ...base, token: "t", lmWindow: "-3" }), /--lm-window needs a number/);
  } finally {
    if (saved !== undefined) process.env.WINNOW_HEC_TOKEN = saved;
  }
});

it("reads --risk-threshold (default 100, as ES) and --lm-window (default: the pack's 300)", () => {
  assert.equal(riskThresholdFlag(undefined), 100);
  assert.equal(riskThresholdFlag("250"), 250);
  assert.equal(riskThresholdFlag("0"), 0);
  assert.throws(() => riskThresholdFlag("-1"), UsageError);
  assert.throws(() => riskThresholdFlag(""), UsageError);
  assert.equal(lmWindowFlag(undefined), undefined);
  assert.equal(lmWindowFlag("600"), 600);
  assert.throws(() => lmWindowFlag("five"), UsageError);
});

it("names the first 20 detections of a content tree that cannot run, then counts the rest by reason", async () => {
  const dir = mkdtempSync(join(tmpdir(), "winnow-serve-escu-"));
  const serve = startCli(
    [
      "serve",
      "--token",
      "t",
      "--listen",
      "127.0.0.1:0",
      "--store",
      join(dir, "r.sqlite"),
      "-c",
      sharedPath("content/security_content"),
    ],
    /listening on/,
  );
  try {
    await serve.ready;
    const lines = serve.stderr.trimEnd().split("\n");
    const named = lines.filter((l) => / detection "[^"]+": error \[/.test(l));
    assert.equal(named.length, 20);
    const rest = lines.filter((l) => l.includes("more detections that cannot run"));
    assert.equal(rest.length, 1);
    // 20 named + the rest = every ESCU detection that cannot run, as the engine's selection finds them.
    const failed = selectDetections(loadContent([sharedPath("content/security_content")]), {}).failed;
    const more = Number(/… and (\d+) more/.exec(rest[0])?.[1]);
    assert.ok(failed.length > 100);
    assert.equal(20 + more, failed.length);
    assert.match(rest[0], /spl-unsupported: \d+/);
    assert.match(rest[0], /`winnow validate --failed` with the same --content lists all/);
  } finally {
    await stopCli(serve.child);
    rmSync(dir, { recursive: true, force: true });
  }
});

it("leaves no store file behind when it cannot start (the port is taken); an existing store stays", async () => {
  const dir = mkdtempSync(join(tmpdir(), "winnow-serve-busy-"));
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
  const port = (taken.address() as AddressInfo).port;
  try {
    const fresh = join(dir, "new.sqlite");
    const r = runCli(["serve", "--token", "t", "--listen", `127.0.0.1:${port}`, "--store", fresh]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot listen on --listen 127\.0\.0\.1:\d+: address already in use/);
    assert.deepEqual(readdirSync(dir), []);
    const kept = join(dir, "kept.sqlite");
    writeFileSync(kept, "");
    assert.equal(runCli(["serve", "--token", "t", "--listen", `127.0.0.1:${port}`, "--store", kept]).code, 2);
    assert.ok(existsSync(kept));
  } finally {
    taken.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

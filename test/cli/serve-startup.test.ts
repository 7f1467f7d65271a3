/**
 * `serve` and `worker` startup failures (bug report: `winnow: internal error: …` with a stack trace, exit 70).
 * Each is one line naming the option and the cause, exit 2, and the process ends (nothing left open).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:net";
import { after, before, describe, it } from "node:test";
import { PG, skipWithout } from "../service/services.js";
import { REPO } from "../support/shared.js";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; a startup failure must end it well within the timeout (else it hung on an open resource). */
function runCli(args: readonly string[], timeoutMs = 30_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", `${REPO}src/cli/main.ts`, ...args], {
      cwd: REPO,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
    child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`winnow ${args.join(" ")} did not exit within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const TOKEN = ["--token", "t"];
const needPg = await skipWithout("serve and worker startup failures with a reachable --store", ["postgres"]);

describe("serve: a startup failure is one line naming the option, exit 2", () => {
  let busy: Server;
  let port = 0;
  before(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    port = (busy.address() as { port: number }).port;
  });
  after(() => busy.close());

  it("--listen on a port already in use", async () => {
    const r = await runCli(["serve", ...TOKEN, "--listen", `127.0.0.1:${port}`, "--store", ":memory:"]);
    assert.equal(
      r.stderr,
      `winnow: cannot listen on --listen 127.0.0.1:${port}: address already in use (127.0.0.1:${port})\n`,
    );
    assert.equal(r.code, 2);
  });

  it("--store in a folder that does not exist", async () => {
    const r = await runCli([
      "serve",
      ...TOKEN,
      "--listen",
      "127.0.0.1:0",
      "--store",
      "/nonexistent/dir/r.sqlite",
    ]);
    assert.equal(
      r.stderr,
      "winnow: cannot open --store /nonexistent/dir/r.sqlite: no such folder: /nonexistent/dir\n",
    );
    assert.equal(r.code, 2);
  });

  it("--store naming a file that is not a database, or a folder", async () => {
    const readme = await runCli(["serve", ...TOKEN, "--listen", "127.0.0.1:0", "--store", "README.md"]);
    assert.equal(readme.stderr, "winnow: cannot open --store README.md: file is not a database\n");
    assert.equal(readme.code, 2);
    const folder = await runCli(["serve", ...TOKEN, "--listen", "127.0.0.1:0", "--store", "test"]);
    assert.equal(folder.stderr, "winnow: cannot open --store test: it is a folder, not a file\n");
    assert.equal(folder.code, 2);
  });

  it("--store postgres://… that cannot be reached (the password is not printed)", async () => {
    const r = await runCli([
      "serve",
      ...TOKEN,
      "--listen",
      "127.0.0.1:0",
      "--store",
      "postgres://u:secret@127.0.0.1:1/x",
    ]);
    assert.equal(
      r.stderr,
      "winnow: cannot connect to --store postgres://u:***@127.0.0.1:1/x: connection refused (127.0.0.1:1)\n",
    );
    assert.equal(r.code, 2);
  });

  it("--tls-cert that does not exist, --watch that does not exist, --webhook that is no URL", async () => {
    const base = ["serve", ...TOKEN, "--listen", "127.0.0.1:0", "--store", ":memory:"];
    const cert = await runCli([
      ...base,
      "--tls-cert",
      "/nonexistent/c.pem",
      "--tls-key",
      "/nonexistent/k.pem",
    ]);
    assert.equal(cert.stderr, "winnow: cannot read --tls-cert /nonexistent/c.pem: no such file or folder\n");
    assert.equal(cert.code, 2);
    const watch = await runCli([...base, "--watch", "/nonexistent/drop"]);
    assert.equal(watch.stderr, "winnow: cannot watch --watch /nonexistent/drop: no such file or folder\n");
    assert.equal(watch.code, 2);
    const hook = await runCli([...base, "--webhook", "not-a-url"]);
    assert.equal(hook.stderr, 'winnow: --webhook wants an http:// or https:// URL, got "not-a-url"\n');
    assert.equal(hook.code, 2);
  });

  it("--bus that cannot be reached (with a reachable --store)", { skip: needPg }, async () => {
    const r = await runCli([
      "serve",
      ...TOKEN,
      "--listen",
      "127.0.0.1:0",
      "--bus",
      "nats://127.0.0.1:1",
      "--store",
      PG,
    ]);
    assert.equal(r.stderr, "winnow: cannot connect to --bus nats://127.0.0.1:1: connection refused\n");
    assert.equal(r.code, 2);
  });
});

describe("worker: an unreachable --bus or --store is one line, exit 2", () => {
  it("--store that cannot be reached", async () => {
    const r = await runCli(["worker", "--bus", "nats://127.0.0.1:1", "--store", "postgres://127.0.0.1:1/x"]);
    assert.equal(
      r.stderr,
      "winnow: cannot connect to --store postgres://127.0.0.1:1/x: connection refused (127.0.0.1:1)\n",
    );
    assert.equal(r.code, 2);
  });

  it("--bus that cannot be reached (the store it opened is closed: the process exits)", {
    skip: needPg,
  }, async () => {
    const r = await runCli(["worker", "--bus", "nats://127.0.0.1:1", "--store", PG]);
    assert.equal(r.stderr, "winnow: cannot connect to --bus nats://127.0.0.1:1: connection refused\n");
    assert.equal(r.code, 2);
  });

  it("--store naming a database that does not exist", { skip: needPg }, async () => {
    const r = await runCli([
      "worker",
      "--bus",
      "nats://127.0.0.1:1",
      "--store",
      "postgres://postgres@127.0.0.1:5432/winnow_no_such_db",
    ]);
    assert.equal(
      r.stderr,
      'winnow: cannot connect to --store postgres://postgres@127.0.0.1:5432/winnow_no_such_db: database "winnow_no_such_db" does not exist\n',
    );
    assert.equal(r.code, 2);
  });
});

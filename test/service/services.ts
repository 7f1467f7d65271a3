/**
 * The services the bus and PostgreSQL tests need (NATS JetStream on 127.0.0.1:4222, PostgreSQL on
 * 127.0.0.1:5432, database `test`): whether they answer, and the skip reason when they do not. With
 * WINNOW_REQUIRE_SERVICES=1 (CI) nothing is skipped: the tests run and fail.
 *
 * And what those tests (and bench/service-load.ts) set up on them: a run's own schema, stream, subjects and
 * consumer, opened and removed again; waiting for the consumer to drain; `winnow worker` and `winnow serve`
 * processes started from source.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { connect as tcpConnect } from "node:net";
import { EventBus } from "../../src/service/bus/event-bus.js";
import { PostgresStore } from "../../src/service/store/postgres-store.js";
import { REPO } from "../support/shared.js";

export const NATS = "nats://127.0.0.1:4222";
export const PG = "postgres://postgres@127.0.0.1:5432/test";

export function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = tcpConnect({ host: "127.0.0.1", port });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(1000, () => done(false));
    s.once("connect", () => done(true));
    s.once("error", () => done(false));
  });
}

/** The services among `needs` that do not answer, by name. */
export async function missingServices(needs: readonly ("nats" | "postgres")[]): Promise<string[]> {
  const out: string[] = [];
  if (needs.includes("nats") && !(await reachable(4222))) out.push("NATS JetStream at 127.0.0.1:4222");
  if (needs.includes("postgres") && !(await reachable(5432))) out.push("PostgreSQL at 127.0.0.1:5432");
  return out;
}

/** The `skip` option for tests that need these services (false: run), printing why when skipping. */
export async function skipWithout(
  what: string,
  needs: readonly ("nats" | "postgres")[],
): Promise<string | false> {
  const missing = await missingServices(needs);
  if (missing.length === 0 || process.env.WINNOW_REQUIRE_SERVICES === "1") return false;
  const reason = `needs ${missing.join(" and ")} (not reachable)`;
  process.stdout.write(`# SKIP ${what}: ${reason}; set WINNOW_REQUIRE_SERVICES=1 to make this a failure\n`);
  return reason;
}

/** A run's own PostgreSQL schema (and the store URL naming it), JetStream stream, subject prefix and consumer. */
export interface RunNames {
  /** Random, per run: also for naming what else the run creates. */
  run: string;
  schema: string;
  storeUrl: string;
  stream: string;
  prefix: string;
  durable: string;
}

/**
 * New names for a run, told apart by `tag` (lower case): schema `winnow_TAG_RUN`, stream `WINNOW_TAG_RUN`,
 * subjects `winnow.TAG.RUN.…`, consumer `TAG_RUN`.
 */
export function runNames(tag: string): RunNames {
  const run = randomBytes(4).toString("hex");
  const schema = `winnow_${tag}_${run}`;
  return {
    run,
    schema,
    storeUrl: `${PG}?schema=${schema}`,
    stream: `WINNOW_${tag.toUpperCase()}_${run}`,
    prefix: `winnow.${tag}.${run}`,
    durable: `${tag}_${run}`,
  };
}

/**
 * The run's store, migrated, and its bus with the durable consumer (`ackWaitMs` as given, else the bus's
 * default). When the bus cannot be reached the schema is dropped and the store closed again.
 */
export async function openRun(
  names: RunNames,
  opts: { ackWaitMs?: number } = {},
): Promise<{ store: PostgresStore; bus: EventBus }> {
  const store = new PostgresStore(names.storeUrl);
  try {
    await store.migrate();
    const bus = await EventBus.connect({
      url: NATS,
      stream: names.stream,
      subjectPrefix: names.prefix,
      durable: names.durable,
      ...opts,
    });
    return { store, bus };
  } catch (e) {
    await store.dropSchema().catch(() => {});
    await store.close();
    throw e;
  }
}

/** Removes the run's stream (with its consumers) and schema and closes both; either may be missing. */
export async function removeRun(bus: EventBus | undefined, store: PostgresStore | undefined): Promise<void> {
  await bus?.deleteStream();
  await bus?.close();
  await store?.dropSchema();
  await store?.close();
}

/**
 * Resolves once the bus's durable consumer has nothing pending or unacknowledged and `also()` holds, looking
 * every `everyMs`; fails (assert) when that has not happened within `timeoutMs`.
 */
export async function drained(
  bus: EventBus,
  timeoutMs: number,
  also: () => boolean = () => true,
  everyMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const info = await bus.jsm.consumers.info(bus.stream, bus.durable);
    if (also() && info.num_pending === 0 && info.num_ack_pending === 0) return;
    assert.ok(
      Date.now() < deadline,
      `not drained: ${info.num_pending} pending, ${info.num_ack_pending} unacked`,
    );
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A long-running `winnow` process (serve, worker) started from source in the repository. */
export interface CliProcess {
  child: ChildProcess;
  /** What it wrote to standard error so far. */
  readonly stderr: string;
  /** The first match of `ready` in its standard error; rejects when the process exits before. */
  ready: Promise<RegExpExecArray>;
}

/**
 * Starts `winnow ARGS` (node --import tsx src/cli/main.ts); its standard output goes to `onStdout`, chunk by
 * chunk, or nowhere.
 */
export function startCli(
  args: readonly string[],
  ready: RegExp,
  onStdout?: (chunk: string) => void,
): CliProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    cwd: REPO,
    stdio: ["ignore", onStdout === undefined ? "ignore" : "pipe", "pipe"],
  });
  if (onStdout !== undefined) child.stdout?.setEncoding("utf8").on("data", onStdout);
  let stderr = "";
  const started = new Promise<RegExpExecArray>((resolve, reject) => {
    child.stderr?.setEncoding("utf8").on("data", (s: string) => {
      stderr += s;
      const m = ready.exec(stderr);
      if (m !== null) resolve(m);
    });
    child.once("exit", (code) =>
      reject(new Error(`winnow ${args[0]} exited (${code}) before logging ${ready}: ${stderr}`)),
    );
  });
  return {
    child,
    get stderr() {
      return stderr;
    },
    ready: started,
  };
}

/** `winnow worker` on the run's bus and store (then `flags`), ready once it logs that it is consuming. */
export function startWorker(
  names: RunNames,
  flags: readonly string[] = [],
  onStdout?: (chunk: string) => void,
): CliProcess {
  return startCli(
    [
      "worker",
      "--bus",
      NATS,
      "--store",
      names.storeUrl,
      "--stream",
      names.stream,
      "--subject-prefix",
      names.prefix,
      "--durable",
      names.durable,
      ...flags,
    ],
    /consuming/,
    onStdout,
  );
}

/** Sends SIGTERM and resolves when the process has exited (at once if it already has). */
export function stopCli(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/** SIGKILLs those of `children` still running (an after() hook's clean-up). */
export function killAll(children: readonly (ChildProcess | undefined)[]): void {
  for (const c of children)
    if (c !== undefined && c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
}

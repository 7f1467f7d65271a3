/**
 * `serve` and `worker` startup: each resource a flag names (the store, the bus, the listen address, TLS files,
 * the watched folder) is opened in its own step, and a failure is one line naming the flag and the cause —
 * `winnow: cannot listen on --listen 127.0.0.1:8088: address already in use` — with exit 2, after closing
 * what the earlier steps opened (so the process exits instead of hanging on an open pool).
 */
import { stat } from "node:fs/promises";
import { isPostgresUrl, openStore } from "../service/store/open-store.js";
import type { ResultsStore } from "../service/store/results-store.js";
import { UsageError } from "./exit-codes.js";
import { describeError, outputProblem } from "./output-paths.js";

/** Runs one startup step; any failure becomes `winnow: <what>: <cause>` (exit 2). */
export async function startStep<T>(what: string, step: () => T | Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`${what}: ${describeError(err)}`);
  }
}

/** A URL for messages, without its password (`postgres://u:secret@h/db` → `postgres://u:***@h/db`). */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/:@]*):[^/@]*@/i, "$1:***@");
}

/** `--store`: PostgreSQL (connected and migrated) or a SQLite file (its folder checked first). */
export async function openStoreOption(spec: string): Promise<ResultsStore> {
  if (isPostgresUrl(spec))
    return startStep(`cannot connect to --store ${redactUrl(spec)}`, () => openStore(spec));
  const what = `cannot open --store ${spec}`;
  const problem = await outputProblem(spec);
  if (problem !== undefined) throw new UsageError(`${what}: ${problem}`);
  return startStep(what, () => openStore(spec));
}

/** `--watch DIR` must be a folder that exists. */
export async function checkWatchFolder(dir: string): Promise<void> {
  const s = await startStep(`cannot watch --watch ${dir}`, () => stat(dir));
  if (!s.isDirectory()) throw new UsageError(`cannot watch --watch ${dir}: not a folder`);
}

/** `--webhook URL` must be an http(s) URL. */
export function checkWebhook(url: string | undefined): void {
  if (url === undefined) return;
  let protocol = "";
  try {
    protocol = new URL(url).protocol;
  } catch {
    // reported below
  }
  if (protocol !== "http:" && protocol !== "https:")
    throw new UsageError(`--webhook wants an http:// or https:// URL, got "${url}"`);
}

/** What startup has opened so far, closed in reverse order when a later step fails. */
export class Opened {
  private readonly closers: (() => unknown)[] = [];

  add(close: () => unknown): void {
    this.closers.push(close);
  }

  async closeAll(): Promise<void> {
    for (const close of this.closers.splice(0).reverse()) {
      try {
        await close();
      } catch {
        // the startup error is the one to report
      }
    }
  }
}

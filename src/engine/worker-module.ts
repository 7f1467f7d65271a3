/**
 * Starting a hunt reader thread.
 *
 * - Bundled (dist/cli.js): the thread loads `hunt-worker.js` beside the bundle when the build made one
 *   (a small bundle of worker-entry.ts: the thread starts in a fraction of the time), else the CLI bundle
 *   itself: worker-entry's top-level check starts the reader, and the CLI only runs on the main thread
 *   (cli/main.ts).
 * - From source (tsx: tests, the API): the thread registers tsx, then imports worker-entry.ts — a
 *   `--import tsx` flag alone does not reach a worker's entry module.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import "./worker-entry.js";
import type { HuntWorkerData } from "./worker-protocol.js";

const here = import.meta.url;

export function startHuntWorker(data: HuntWorkerData): Worker {
  if (!here.endsWith(".ts")) {
    const own = new URL("./hunt-worker.js", here);
    return new Worker(existsSync(fileURLToPath(own)) ? own : new URL(here), { workerData: data });
  }
  const entry = new URL("./worker-entry.ts", here).href;
  const api = import.meta.resolve("tsx/esm/api");
  const code =
    `import(${JSON.stringify(api)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })` +
    `.catch((e) => { process.nextTick(() => { throw e; }); });`;
  return new Worker(code, { eval: true, workerData: data });
}

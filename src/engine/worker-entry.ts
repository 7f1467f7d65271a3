/**
 * A hunt reader thread: reads the units the main thread sends (worker-records.ts) and sends the batches back.
 *
 * Design notes:
 * - Started by worker-module.ts with `isHuntWorkerData` workerData. It runs itself when this module is
 *   loaded on such a thread: directly (worker-entry.ts from source) or as part of the bundled CLI.
 * - Units are read one at a time, in the order received. After `window` batches the main thread has not
 *   taken yet, the worker waits for credit (bounded memory when one thread runs ahead of the other).
 * - A throw here is a bug of ours: it is sent as `failed` and the main thread rethrows it.
 */
import { isMainThread, type MessagePort, parentPort, workerData } from "node:worker_threads";
import type { ReadUnit } from "../ingest/parallel-units.js";
import type { FromWorker, HuntWorkerData, ToWorker } from "./worker-protocol.js";
import { isHuntWorkerData } from "./worker-protocol.js";
import { UnitRecorder } from "./worker-records.js";

export function runHuntWorker(port: MessagePort, data: HuntWorkerData): void {
  const recorder = new UnitRecorder(data.datasets, data.prefilter);
  const queue: { id: number; unit: ReadUnit }[] = [];
  let outstanding = 0;
  let wake: (() => void) | undefined;
  let closing = false;
  let running = false;

  const work = async (): Promise<void> => {
    running = true;
    while (queue.length > 0 && !closing) {
      const { id, unit } = queue.shift() as { id: number; unit: ReadUnit };
      try {
        for await (const batch of recorder.batches(id, unit)) {
          port.postMessage(batch satisfies FromWorker);
          outstanding++;
          while (outstanding >= data.window && !closing) {
            await new Promise<void>((resolve) => {
              wake = resolve;
            });
          }
          if (closing) return;
        }
      } catch (err) {
        port.postMessage({
          type: "failed",
          id,
          message: err instanceof Error ? err.message : String(err),
          stack: err instanceof Error ? err.stack : undefined,
        } satisfies FromWorker);
        return;
      }
    }
    running = false;
  };

  port.on("message", (m: ToWorker) => {
    if (m.type === "unit") {
      queue.push({ id: m.id, unit: m.unit });
      if (!running) void work();
    } else if (m.type === "credit") {
      outstanding--;
      const w = wake;
      wake = undefined;
      w?.();
    } else {
      closing = true;
      wake?.();
      port.close();
    }
  });
}

if (!isMainThread && parentPort !== null && isHuntWorkerData(workerData)) {
  runHuntWorker(parentPort, workerData);
}

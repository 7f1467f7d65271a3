/**
 * A progress bar on stderr for long runs, shown only when stderr is a terminal and the input is large enough
 * to be worth it. Bytes are the unit: decompressed sizes are unknown up front, so archives count by their size
 * on disk.
 */
import { createRequire } from "node:module";
import type cliProgressModule from "cli-progress";

export interface Progress {
  update(bytesDone: number): void;
  stop(): void;
}

// Loaded only when a bar is shown, not at start-up.
const load = createRequire(import.meta.url);

const NONE: Progress = { update() {}, stop() {} };

export function startProgress(totalBytes: number, enabled: boolean): Progress {
  if (!enabled || !process.stderr.isTTY || totalBytes < 32 * 1024 * 1024) return NONE;
  const cliProgress = load("cli-progress") as typeof cliProgressModule;
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: "winnow [{bar}] {percentage}% | {done}/{size} MB | {speed} MB/s | ETA {eta_formatted}",
      hideCursor: true,
      clearOnComplete: true,
      noTTYOutput: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const mb = (b: number) => (b / 1048576).toFixed(0);
  const started = performance.now();
  bar.start(totalBytes, 0, { done: "0", size: mb(totalBytes), speed: "0" });
  return {
    update(done) {
      const secs = (performance.now() - started) / 1000;
      bar.update(Math.min(done, totalBytes), {
        done: mb(done),
        size: mb(totalBytes),
        speed: secs > 0 ? (done / 1048576 / secs).toFixed(0) : "0",
      });
    },
    stop() {
      bar.stop();
    },
  };
}

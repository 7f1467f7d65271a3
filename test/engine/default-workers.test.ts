/**
 * `hunt` without `--workers`: one reader thread per core for large inputs, the main thread alone below
 * AUTO_THREADS_MIN_BYTES, where a second thread costs more than it saves (docs/performance.md).
 */
import assert from "node:assert/strict";
import { availableParallelism } from "node:os";
import { describe, it } from "node:test";
import { AUTO_THREADS_MIN_BYTES, defaultWorkers } from "../../src/engine/parallel-hunt.js";

describe("defaultWorkers", () => {
  it("is 1 below the threshold and one per core from it on", () => {
    assert.equal(defaultWorkers(0), 1);
    assert.equal(defaultWorkers(100_000_000), 1);
    assert.equal(defaultWorkers(AUTO_THREADS_MIN_BYTES - 1), 1);
    assert.equal(defaultWorkers(AUTO_THREADS_MIN_BYTES), availableParallelism());
    assert.equal(defaultWorkers(), availableParallelism());
  });
});

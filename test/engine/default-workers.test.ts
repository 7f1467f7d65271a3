/**
 * `hunt` without `--workers` reads on the main thread alone at every input size: on the 2-core machines Winnow is
 * measured on, a second reader costs more than it saves (docs/performance.md, parallel-hunt.ts).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultWorkers } from "../../src/engine/parallel-hunt.js";

describe("defaultWorkers", () => {
  it("is 1 whatever the input size", () => {
    for (const bytes of [undefined, 0, 100_000_000, 150_000_000, 2_000_000_000, 50_000_000_000])
      assert.equal(defaultWorkers(bytes), 1, String(bytes));
  });
});

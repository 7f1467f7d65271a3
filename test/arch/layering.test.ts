/**
 * Data flows one way: ingest → normalize → spl/content → engine → output → cli/service. A stage never imports
 * a later one, and spl/ imports nothing from ingest/, normalize/ or service/ (STYLE.md convention 1).
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { it } from "node:test";

const SRC = new URL("../../src/", import.meta.url).pathname;

/** What each top-level folder may import (besides itself). */
const ALLOWED: Record<string, readonly string[]> = {
  diag: [],
  model: ["diag"],
  ingest: ["diag", "model"],
  normalize: ["diag", "model"],
  spl: ["diag"],
  content: ["diag", "spl"],
  engine: ["diag", "model", "ingest", "normalize", "spl", "content", "output"],
  output: ["diag", "model", "spl", "content", "engine"],
  cli: ["diag", "model", "ingest", "normalize", "spl", "content", "engine", "output", "service"],
  service: ["diag", "model", "ingest", "normalize", "spl", "content", "engine", "output"],
};

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (p.endsWith(".ts")) yield p;
  }
}

it("no module imports a later stage", () => {
  const violations: string[] = [];
  for (const file of files(SRC)) {
    const rel = relative(SRC, file);
    const stage = rel.split("/")[0];
    if (!rel.includes("/")) continue; // src/index.ts may re-export anything
    const allowed = ALLOWED[stage];
    assert.ok(allowed !== undefined, `unknown stage folder src/${stage}`);
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/^\s*(?:import|export)[^;]*?from\s+"(\.[^"]+)"/gms)) {
      const target = relative(SRC, join(file, "..", m[1])).split("/")[0];
      if (target !== stage && !allowed.includes(target)) violations.push(`${rel} imports ${m[1]}`);
    }
  }
  assert.deepEqual(violations, []);
});

/**
 * The built-in content's build-time snapshot (load-content.ts): restoring it gives exactly the ContentSet that
 * loading the files gives, alone and under later trees that replace built-in detections; it is used only
 * while the built-in files are byte for byte the ones it was made from.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { deserialize, serialize } from "node:v8";
import { type ContentSet, loadContent } from "../../src/content/index.js";
import { type BuiltinSnapshot, makeBuiltinSnapshot } from "../../src/content/load-content.js";

const repoRoot = path.resolve(fileURLToPath(new URL("../../", import.meta.url)));
const corpus = path.resolve(repoRoot, "../shared/content/security_content");
const fixtures = fileURLToPath(new URL("../fixtures/content/", import.meta.url));

/** A snapshot as a run reads it: through the file format. */
function snapshot(): BuiltinSnapshot {
  return deserialize(serialize(makeBuiltinSnapshot())) as BuiltinSnapshot;
}

/** Everything a ContentSet holds, as plain data. */
function view(c: ContentSet) {
  return {
    detections: c.detections,
    rejected: c.rejected,
    diagnostics: c.diagnostics,
    trees: c.trees,
    macros: c.macros.defined(),
    filters: c.macros.generatedFilters(),
    lookups: c.lookups.names(),
  };
}

describe("built-in content snapshot", () => {
  it("restores the same ContentSet as loading the files", () => {
    const snap = snapshot();
    assert.ok(snap.files.length >= 10);
    assert.ok(snap.files.every(([rel]) => /^(macros|lookups|detections)\//.test(rel)));
    assert.deepStrictEqual(
      view(loadContent([], { builtinSnapshot: snap })),
      view(loadContent([], { builtinSnapshot: null })),
    );
  });

  it("is the same under later trees, including one that replaces built-in detections (ESCU)", () => {
    const snap = snapshot();
    const trees = [path.join(fixtures, "override-a"), path.join(fixtures, "override-b"), corpus];
    const restored = view(loadContent(trees, { builtinSnapshot: snap }));
    const loaded = view(loadContent(trees, { builtinSnapshot: null }));
    assert.deepStrictEqual(restored, loaded);
    assert.ok(loaded.diagnostics.some((d) => d.code === "content-duplicate" && /builtin:/.test(d.message)));
  });

  it("is used only while every built-in file matches it", () => {
    const snap = snapshot();
    snap.state.detections[0].description = "from the snapshot";
    assert.equal(loadContent([], { builtinSnapshot: snap }).detections[0].description, "from the snapshot");
    const stale = structuredClone(snap);
    stale.files[0][1] = "0".repeat(64);
    const fewer = structuredClone(snap);
    fewer.files.pop();
    const renamed = structuredClone(snap);
    renamed.files[1][0] = `${renamed.files[1][0]}.old`;
    const full = view(loadContent([], { builtinSnapshot: null }));
    for (const s of [stale, fewer, renamed])
      assert.deepStrictEqual(view(loadContent([], { builtinSnapshot: s })), full);
  });
});

/**
 * `npm test` (scripts/test.sh) without ../shared beside the checkout (bug report: 139 raw ENOENT failures):
 * one line saying the tests need the shared data folder, exit 1, before any test runs.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "node:test";
import { REPO } from "../support/shared.js";

it("scripts/test.sh in a checkout with no ../shared: one clear line, exit 1", () => {
  const root = mkdtempSync(join(tmpdir(), "winnow-no-shared-"));
  mkdirSync(join(root, "repo", "scripts"), { recursive: true });
  copyFileSync(join(REPO, "scripts", "test.sh"), join(root, "repo", "scripts", "test.sh"));
  const r = spawnSync("bash", [join(root, "repo", "scripts", "test.sh")], { cwd: root, encoding: "utf8" });
  assert.equal(
    r.stderr,
    "winnow tests: the tests need the shared data folder beside the repository, as ../shared " +
      `(no ${root}/shared/spec/SEMANTICS.md)\n`,
  );
  assert.equal(r.stdout, "");
  assert.equal(r.status, 1);
});

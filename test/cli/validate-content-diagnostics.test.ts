/**
 * `winnow validate --content DIR` that cannot be loaded (bug report: only "content could not be loaded",
 * while hunt, doctor and test print the diagnostic too): validate prints the content diagnostics in the same
 * format as the other commands.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "node:test";
import { runCli } from "../support/run-cli.js";

const NOT_FOUND =
  "/nonexistent: error [file-unreadable] content tree not found (not a folder)\nwinnow: content could not be loaded\n";

it("validate --content /nonexistent prints the diagnostic, exactly as hunt, doctor and test do", () => {
  const validate = runCli(["validate", "--content", "/nonexistent"]);
  assert.equal(validate.stderr, NOT_FOUND);
  assert.equal(validate.stdout, "");
  assert.equal(validate.code, 2);
  for (const args of [
    ["hunt", "examples/", "--content", "/nonexistent"],
    ["doctor", "examples/", "--content", "/nonexistent"],
    ["test", "--content", "/nonexistent"],
  ]) {
    const r = runCli(args);
    assert.equal(r.stderr, validate.stderr, args.join(" "));
    assert.equal(r.code, 2, args.join(" "));
  }
});

it("validate prints a loadable tree's content warnings on stderr too, as hunt does", () => {
  const dir = mkdtempSync(join(tmpdir(), "winnow-validate-diag-"));
  mkdirSync(join(dir, "macros"));
  writeFileSync(join(dir, "macros", "broken.yml"), "name: [unclosed\n");
  const validate = runCli(["validate", "--content", dir, "--format", "json"]);
  const hunt = runCli(["hunt", "examples/", "--content", dir, "-f", "jsonl"]);
  const contentLines = (s: string) => s.split("\n").filter((l) => l.startsWith(`${dir}/`));
  assert.ok(contentLines(hunt.stderr).length > 0, hunt.stderr);
  assert.deepEqual(contentLines(validate.stderr), contentLines(hunt.stderr));
});

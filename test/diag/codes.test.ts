/** docs/errors.md and the DiagnosticCode union list the same codes (STYLE.md convention 3). */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { it } from "node:test";
import { REPO } from "../support/shared.js";

it("every diagnostic code is documented, and every documented code exists", () => {
  const src = readFileSync(`${REPO}src/diag/diagnostic.ts`, "utf8");
  const union = src.slice(
    src.indexOf("export type DiagnosticCode"),
    src.indexOf(";", src.indexOf("export type DiagnosticCode")),
  );
  const codes = [...union.matchAll(/\|\s*"([a-z0-9-]+)"/g)].map((m) => m[1]).sort();
  const docs = readFileSync(`${REPO}docs/errors.md`, "utf8");
  const documented = [...docs.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]).sort();
  assert.ok(codes.length >= 20);
  assert.deepEqual(documented, codes);
});

/** Risk-message tokens and the lint for v1's unterminated `$field` (SEMANTICS.md §1). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { lintRiskMessage, messageTokens } from "../../src/content/risk-message.js";

describe("risk message tokens", () => {
  it("finds terminated and unterminated tokens with their offsets", () => {
    assert.deepEqual(messageTokens("A process was started on a remote endpoint from $dest"), [
      { start: 48, end: 53, field: "dest", terminated: false },
    ]);
    assert.deepEqual(messageTokens("$user$ on $dest."), [
      { start: 0, end: 6, field: "user", terminated: true },
      { start: 10, end: 15, field: "dest", terminated: false },
    ]);
  });

  it("lints the flagship's v1 message once, and not the v4 one", () => {
    const lint = lintRiskMessage("A process was started on a remote endpoint from $dest", "f.yml", "D");
    assert.deepEqual(lint, [
      {
        code: "content-schema",
        severity: "info",
        message: "risk message token $dest has no closing $ (substituted as $dest$)",
        file: "f.yml",
        detection: "D",
      },
    ]);
    assert.deepEqual(lintRiskMessage("A process was started on a remote endpoint from $dest$"), []);
  });
});

/**
 * Names from content (an observable's type, a lookup's CSV header) that are also members of Object.prototype
 * (`constructor`, `toString`, `__proto__`, …) are names like any other.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { riskFromObservables } from "../../src/content/observable-risk.js";

describe("content names that Object.prototype also has", () => {
  it("an attacker observable of type constructor or __proto__ is a threat object of that type", () => {
    const r = riskFromObservables(
      [
        { name: "a", type: "constructor", role: ["Attacker"] },
        { name: "b", type: "__proto__", role: "Attacker" },
        { name: "c", type: "toString", role: "Attacker" },
        { name: "d", type: "File Name", role: "Attacker" },
      ],
      5,
    );
    assert.deepEqual(r, {
      objects: [],
      threats: [
        { field: "a", type: "constructor" },
        { field: "b", type: "__proto__" },
        { field: "c", type: "tostring" },
        { field: "d", type: "file_name" },
      ],
    });
  });
});

/**
 * Names from content (an observable's type, a lookup's CSV header) that are also members of Object.prototype
 * (`constructor`, `toString`, `__proto__`, …) are names like any other.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { LookupStore } from "../../src/content/lookup-store.js";
import { riskFromObservables } from "../../src/content/observable-risk.js";
import { compileSearch, createMacroTable } from "../../src/spl/index.js";

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

  it("a lookup CSV's __proto__ column is a column of its rows", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "winnow-lookup-"));
    const csv = path.join(dir, "t.csv");
    writeFileSync(csv, "k,__proto__,constructor\na,x,y\n");
    const store = new LookupStore();
    store.define({
      name: "t",
      kind: "csv",
      definitionFile: path.join(dir, "t.yml"),
      filename: "t.csv",
      path: csv,
      matchTypes: [],
      caseSensitiveMatch: true,
      minMatches: 0,
      maxMatches: 1000,
    });
    const t = store.get("t");
    assert.ok(t);
    assert.deepEqual(t.columns, ["k", "__proto__", "constructor"]);
    assert.deepEqual(t.rows, [
      Object.fromEntries([
        ["k", "a"],
        ["__proto__", "x"],
        ["constructor", "y"],
      ]),
    ]);
    assert.equal(Object.getPrototypeOf(t.rows[0]), Object.prototype);
    const r = compileSearch('| makeresults | eval k="a" | lookup t k OUTPUT __proto__ AS p | table p', {
      macros: createMacroTable([]),
      lookups: store,
    });
    assert.ok(r.search);
    assert.deepEqual(r.search.start().finish().rows, [{ p: "x" }]);
    rmSync(dir, { recursive: true });
  });
});

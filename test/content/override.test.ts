/**
 * How content trees combine (issue #2 part 5): a later tree replaces a detection by id, overrides a
 * macro by name and arity, and a `_filter` macro defined in a tree wins over the generated one.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { loadContent } from "../../src/content/index.js";

const fixtures = fileURLToPath(new URL("../fixtures/content/", import.meta.url));
const a = path.join(fixtures, "override-a");
const b = path.join(fixtures, "override-b");
const ADMIN_ID = "11111111-2222-3333-4444-555555555555";

describe("content trees combine in order", () => {
  const content = loadContent([a, b], { builtin: false });

  it("a later detection with the same id replaces the earlier one in place, with an info diagnostic", () => {
    assert.deepEqual(
      content.detections.map((d) => [d.name, d.version ?? null]),
      [
        ["Admin Tool Use", 2],
        ["Other Detection", 1],
      ],
    );
    const admin = content.detections[0]!;
    assert.equal(admin.id, ADMIN_ID);
    assert.equal(admin.type, "TTP");
    assert.equal(admin.file, path.join(b, "detections/endpoint/admin_tool_v2.yml"));
    // v1 score rule: round(80 * 90 / 100) = 72 for both Victim observables
    assert.deepEqual(admin.risk.objects, [
      { field: "dest", type: "system", score: 72 },
      { field: "user", type: "user", score: 72 },
    ]);
    const replaced = content.diagnostics.filter(
      (d) => d.code === "content-duplicate" && d.detection !== undefined,
    );
    assert.deepEqual(
      replaced.map((d) => [d.severity, d.file, d.message]),
      [
        [
          "info",
          path.join(b, "detections/endpoint/admin_tool_v2.yml"),
          `detection id ${ADMIN_ID} replaces the one in ${path.join(a, "detections/admin_tool.yml")}`,
        ],
      ],
    );
  });

  it("a later macro overrides an earlier one", () => {
    assert.equal(content.macros.get("shared_macro", 0)?.definition, "search tree=b");
    assert.equal(content.macros.get("shared_macro", 0)?.file, path.join(b, "macros/shared_macro.yml"));
    assert.deepEqual(
      content.diagnostics
        .filter((d) => d.file === path.join(b, "macros/shared_macro.yml"))
        .map((d) => d.severity),
      ["info"],
    );
  });

  it("a _filter macro defined in macros/ wins over the generated one", () => {
    assert.equal(content.macros.get("admin_tool_use_filter", 0)?.definition, 'search dest!="ADMIN-01*"');
    assert.equal(content.macros.get("other_detection_filter", 0)?.definition, "search *");
    assert.deepEqual(content.macros.generatedFilters(), ["other_detection_filter"]);
    assert.equal(content.macros.size, 2); // shared_macro (once) + admin_tool_use_filter
  });

  it("v1 score: round(confidence * impact / 100) with Python's rounding when risk_score is absent", () => {
    // 50 * 25 / 100 = 12.5 → 12 (round half to even, as contentctl computes it)
    const other = content.detections[1]!;
    assert.equal(other.riskScore, 12);
    assert.deepEqual(other.risk.objects, [{ field: "dest", type: "system", score: 12 }]);
  });

  it("a later lookup definition replaces an earlier one with the same name", () => {
    const t = content.lookups.get("admin_hosts");
    assert.deepEqual(t?.rows, [{ host: "ADMIN-*" }, { host: "JUMP-01" }]);
    assert.deepEqual(t?.wildcardFields, ["host"]);
    assert.equal(t?.caseSensitive, false);
    assert.equal(
      content.lookups.definition("admin_hosts")?.definitionFile,
      path.join(b, "lookups/admin_hosts.yml"),
    );
    assert.deepEqual(
      content.diagnostics
        .filter((d) => d.file === path.join(b, "lookups/admin_hosts.yml"))
        .map((d) => [d.severity, d.code]),
      [["info", "content-duplicate"]],
    );
  });

  it("the reverse order keeps the other version", () => {
    const reversed = loadContent([b, a], { builtin: false });
    assert.equal(reversed.detections[0]?.version, 1);
    assert.equal(reversed.macros.get("shared_macro", 0)?.definition, "search tree=a");
  });

  it("an analyst's filter macro for the built-in flagship excludes an admin host without editing it", () => {
    const withFilter = loadContent([path.join(fixtures, "flagship-filter")]);
    assert.deepEqual(withFilter.diagnostics, []);
    // the flagship and the 6 built-in WinRM pack detections
    assert.equal(withFilter.detections.length, 7);
    assert.deepEqual(withFilter.macros.get("remote_process_instantiation_via_winrm_and_winrs_filter", 0), {
      name: "remote_process_instantiation_via_winrm_and_winrs_filter",
      args: [],
      definition: 'search dest!="ADMIN-01*"',
      file: path.join(
        fixtures,
        "flagship-filter/macros/remote_process_instantiation_via_winrm_and_winrs_filter.yml",
      ),
    });
    // the flagship's filter is the analyst's; only the pack's are generated
    assert.deepEqual(
      withFilter.macros.generatedFilters().filter((m) => !m.startsWith("winrm_pack___")),
      [],
    );
  });

  it("a missing tree or a folder that is not a tree is an error, and the others still load", () => {
    const r = loadContent(
      [path.join(fixtures, "no-such-tree"), path.join(fixtures, "override-a/macros"), a],
      {
        builtin: false,
      },
    );
    assert.equal(r.detections.length, 2);
    assert.deepEqual(
      r.diagnostics.map((d) => [d.severity, d.code, d.file]),
      [
        ["error", "file-unreadable", path.join(fixtures, "no-such-tree")],
        ["error", "file-unreadable", path.join(fixtures, "override-a/macros")],
      ],
    );
  });
});

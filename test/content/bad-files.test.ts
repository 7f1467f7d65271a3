/**
 * Bad content is reported with file, line and column; the good detections of the same tree still load.
 * Positions below are counted by hand in the fixture files (1-based line and column).
 */
import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { loadContent } from "../../src/content/index.js";

const tree = fileURLToPath(new URL("../fixtures/content/bad/", import.meta.url));
const f = (p: string): string => path.join(tree, p);

describe("a tree with bad files", () => {
  const content = loadContent([tree], { builtin: false });

  it("still loads its good detection", () => {
    assert.deepEqual(
      content.detections.map((d) => d.name),
      ["Good Detection In A Bad Tree"],
    );
  });

  it("gives the YAML library's message without its own dangling position (the diagnostic has it)", () => {
    const yaml = content.diagnostics.filter((d) => d.code === "content-yaml").map((d) => d.message);
    assert.deepEqual(yaml, ["Map keys must be unique"]);
  });

  it("reports each problem with file, line and column", () => {
    assert.deepEqual(
      content.diagnostics.map((d) => [d.severity, d.code, d.file, d.line ?? null, d.column ?? null]),
      [
        ["error", "content-schema", f("macros/no_definition.yml"), 1, 1],
        ["error", "content-schema", f("lookups/bad_match.yml"), 3, 13],
        ["error", "file-unreadable", f("lookups/bad_match.yml"), 2, 11],
        // bad_yaml.yml: `name:` twice; reported at the second one (line 3)
        ["error", "content-yaml", f("detections/bad_yaml.yml"), 3, 1],
        // missing_search.yml: line 1 is a comment, the mapping starts at line 2
        ["error", "content-schema", f("detections/missing_search.yml"), 2, 1],
        ["error", "content-schema", f("detections/not_a_mapping.yml"), 1, 1],
        ["error", "content-schema", f("detections/schema_violation.yml"), 7, 15],
      ],
    );
  });

  it("says what is wrong", () => {
    const byFile = (p: string): string[] =>
      content.diagnostics.filter((d) => d.file === f(p)).map((d) => d.message);
    assert.deepEqual(byFile("macros/no_definition.yml"), [
      "macro: definition: Invalid input: expected string, received undefined",
    ]);
    assert.deepEqual(byFile("detections/missing_search.yml"), [
      "detection: search: Invalid input: expected string, received undefined",
    ]);
    assert.deepEqual(byFile("detections/schema_violation.yml"), [
      "detection: tags.confidence: Too big: expected number to be <=100",
    ]);
    assert.deepEqual(byFile("detections/not_a_mapping.yml"), ["detection: the document is not a mapping"]);
    assert.deepEqual(byFile("lookups/bad_match.yml"), [
      "lookup: match_type: not WILDCARD(field) or CIDR(field): EXACT(x)",
      'lookup "bad_match": its file missing.csv does not exist beside the definition',
    ]);
    const yaml = content.diagnostics.find((d) => d.file === f("detections/bad_yaml.yml"));
    assert.match(yaml?.message ?? "", /unique/);
    // the detection name is attached where the file had one
    assert.equal(
      content.diagnostics.find((d) => d.file === f("detections/schema_violation.yml"))?.detection,
      "Confidence Out Of Range",
    );
  });

  it("lists each detection file that did not load, with its name and id when it has them", () => {
    assert.deepEqual(
      content.rejected.map((r) => [r.file, r.name ?? null, r.id ?? null, r.reason]),
      [
        [
          f("detections/bad_yaml.yml"),
          "Duplicate Key",
          "aaaaaaaa-0000-4000-8000-000000000002",
          `${content.diagnostics.find((d) => d.file === f("detections/bad_yaml.yml"))?.message} (line 3, column 1)`,
        ],
        [
          f("detections/missing_search.yml"),
          "No Search",
          "aaaaaaaa-0000-4000-8000-000000000004",
          "detection: search: Invalid input: expected string, received undefined (line 2, column 1)",
        ],
        [
          f("detections/not_a_mapping.yml"),
          null,
          null,
          "detection: the document is not a mapping (line 1, column 1)",
        ],
        [
          f("detections/schema_violation.yml"),
          "Confidence Out Of Range",
          "aaaaaaaa-0000-4000-8000-000000000003",
          "detection: tags.confidence: Too big: expected number to be <=100 (line 7, column 15)",
        ],
      ],
    );
  });

  it("a lookup whose CSV is missing fails when used, not before", () => {
    assert.equal(content.lookups.get("bad_match"), undefined);
    const r = content.lookups.table("bad_match");
    assert.deepEqual(
      r.diagnostics.map((d) => [d.code, d.file]),
      [["file-unreadable", f("lookups/missing.csv")]],
    );
  });

  it("reads a quoted CSV lookup lazily, with its match options", () => {
    const t = content.lookups.get("tools");
    assert.deepEqual(t, {
      name: "tools",
      columns: ["process", "ip", "note"],
      rows: [
        { process: "*\\\\psexec*.exe", ip: "10.0.0.0/8", note: 'says "hi", twice' },
        { process: "multi\r\nline", ip: "", note: "" },
        { process: "short", ip: "", note: "" },
      ],
      wildcardFields: ["process"],
      cidrFields: ["ip"],
      caseSensitive: false,
      maxMatches: 1000,
      minMatches: 1,
      defaultMatch: "false",
    });
    assert.deepEqual(content.lookups.table("tools").diagnostics, []);
  });
});

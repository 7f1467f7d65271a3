/** The one YAML leniency: quoted values whose continuation lines are not indented (as PyYAML reads them). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { indentQuotedContinuations } from "../../src/content/lenient-quoted-indent.js";
import { parseYamlFile } from "../../src/content/yaml-file.js";

describe("unindented continuation lines of quoted values", () => {
  const text = "name: x\nsearch: 'a\n| b ''q''\n| c'\nother: \"d\n  e \\\" f\"\nlast: 1\n";

  it("are indented, and only they", () => {
    const r = indentQuotedContinuations(text);
    assert.equal(r.text, "name: x\nsearch: 'a\n | b ''q''\n | c'\nother: \"d\n  e \\\" f\"\nlast: 1\n");
    assert.deepEqual(r.keyLines, [2]);
  });

  it("load with a warning and PyYAML's value", () => {
    const y = parseYamlFile(text, "t.yml");
    // PyYAML: yaml.safe_load(text) == {'name': 'x', 'search': "a | b 'q' | c", 'other': 'd e " f', 'last': 1}
    assert.deepEqual(y.value, { name: "x", search: "a | b 'q' | c", other: 'd e " f', last: 1 });
    assert.deepEqual(
      y.diagnostics.map((d) => [d.severity, d.code, d.line, d.column]),
      [["warning", "content-yaml", 2, 1]],
    );
  });

  it("other syntax errors are still errors, with no value", () => {
    const y = parseYamlFile("a: [1, 2\nb: 3\n", "t.yml");
    assert.equal(y.value, undefined);
    assert.ok(y.diagnostics.length > 0);
    assert.ok(
      y.diagnostics.every((d) => d.severity === "error" && d.code === "content-yaml" && d.line !== undefined),
    );
  });
});

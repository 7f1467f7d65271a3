/**
 * The pieces of `winnow test` on their own: data-root parsing and reference resolution, expected-row
 * comparison and expected files, SEMANTICS.md §7's pass rule (result order matters), and the ES risk checks.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import type { Detection } from "../../src/content/index.js";
import type { RiskEvent } from "../../src/engine/risk.js";
import {
  ATTACK_DATA_PREFIXES,
  DataRootSpecError,
  detectionDir,
  parseDataRoot,
  resolveDataRef,
  withDefaultRoots,
} from "../../src/engine/test-data-roots.js";
import { formatNamedBy } from "../../src/engine/test-detections.js";
import { compareRows, describeDiff, readExpectedFile } from "../../src/engine/test-expected-rows.js";
import { contentctlVerdict, riskChecks } from "../../src/engine/test-pass-rule.js";
import { REPO, SHARED } from "../support/shared.js";

describe("data roots", () => {
  it("PREFIX=DIR maps one prefix; DIR alone maps the attack_data URL prefixes", () => {
    assert.deepEqual(parseDataRoot("shared:=../shared/", "/work/main"), [
      { prefix: "shared:", dir: "/work/shared" },
    ]);
    assert.deepEqual(
      parseDataRoot("https://example.org/data/=/mnt/d=1", "/x"),
      [{ prefix: "https://example.org/data/", dir: "/mnt/d=1" }],
      "split at the first = after a scheme",
    );
    assert.deepEqual(
      parseDataRoot("attack_data", "/home/u"),
      ATTACK_DATA_PREFIXES.map((prefix) => ({ prefix, dir: "/home/u/attack_data" })),
    );
    assert.deepEqual(parseDataRoot("/data/a=b", "/"), [
      ...ATTACK_DATA_PREFIXES.map((prefix) => ({ prefix, dir: "/data/a=b" })),
    ]);
    assert.throws(() => parseDataRoot("shared:=", "/"), DataRootSpecError);
    assert.throws(() => parseDataRoot("", "/"), DataRootSpecError);
  });

  it("shared: defaults to ../shared beside the repo unless given", () => {
    assert.deepEqual(withDefaultRoots([]), [{ prefix: "shared:", dir: SHARED.replace(/\/$/, "") }]);
    assert.deepEqual(withDefaultRoots([{ prefix: "shared:", dir: "/elsewhere" }]), [
      { prefix: "shared:", dir: "/elsewhere" },
    ]);
  });

  it("resolves paths against the YAML folder and prefixed references by the longest root", () => {
    const roots = [
      { prefix: "https://h/a/", dir: `${REPO}test` },
      { prefix: "https://h/a/b/", dir: `${REPO}examples` },
    ];
    assert.deepEqual(resolveDataRef("https://h/a/b/sysmon-operational.xml.log", "/nowhere", roots), {
      ref: "https://h/a/b/sysmon-operational.xml.log",
      path: `${REPO}examples/sysmon-operational.xml.log`,
    });
    assert.deepEqual(resolveDataRef("sysmon-operational.xml.log", `${REPO}examples`, roots), {
      ref: "sysmon-operational.xml.log",
      path: `${REPO}examples/sysmon-operational.xml.log`,
    });
    assert.deepEqual(resolveDataRef("https://h/a/b/x%20y.log", "/", roots), {
      ref: "https://h/a/b/x%20y.log",
      path: `${REPO}examples/x y.log`,
      missing: "no such file",
    });
    assert.deepEqual(resolveDataRef("https://h/a/", "/", roots), {
      ref: "https://h/a/",
      path: `${REPO}test`,
      missing: "not a file",
    });
    assert.deepEqual(resolveDataRef("s3:bucket/x.log", "/", roots), {
      ref: "s3:bucket/x.log",
      missing: 'no data root maps this reference; map "s3:" with --data-root s3:=DIR',
    });
  });

  it("finds the folder of built-in and on-disk detection files", () => {
    assert.equal(detectionDir("builtin:detections/endpoint/x.yml"), `${REPO}content/detections/endpoint`);
    assert.equal(detectionDir("/a/b/c.yml"), "/a/b");
  });

  it("names a format from sourcetype, then source", () => {
    assert.equal(formatNamedBy("XmlWinEventLog", undefined), "xml");
    assert.equal(formatNamedBy(undefined, "XmlWinEventLog:Microsoft-Windows-Sysmon/Operational"), "xml");
    assert.equal(formatNamedBy("WinEventLog", "WinEventLog:Security"), "classic");
    assert.equal(formatNamedBy("_json", undefined), "json");
    assert.equal(formatNamedBy("aws:cloudtrail", "aws_cloudtrail"), undefined);
  });
});

describe("expected rows", () => {
  it("compare as a multiset over the expected keys, values as text", () => {
    const actual = [
      { a: "x", b: 1, c: "ignored" },
      { a: "x", b: 1, c: "other" },
      { a: "y", b: ["1", "2"] },
    ];
    const same = compareRows(
      [
        { a: "y", b: [1, 2] },
        { a: "x", b: "1" },
        { a: "x", b: 1 },
      ],
      actual,
    );
    assert.deepEqual(same, { fields: ["a", "b"], missing: [], unexpected: [] });
    const diff = compareRows([{ a: "x", b: 1 }, { a: "y", b: ["2", "1"] }, { a: "z" }], actual);
    assert.deepEqual(diff, {
      fields: ["a", "b"],
      missing: [
        { a: "y", b: ["2", "1"] },
        { a: "z", b: null },
      ],
      unexpected: [
        { a: "x", b: "1" },
        { a: "y", b: ["1", "2"] },
      ],
    });
    assert.equal(
      describeDiff(diff, 3, 1),
      'expected 3 row(s), got 3; compared on a, b; 2 expected row(s) not returned: {"a":"y","b":["2","1"]} (+1 more); 2 unexpected row(s): {"a":"x","b":"1"} (+1 more)',
    );
    assert.equal(describeDiff(same, 3), undefined);
  });

  it("reads arrays, {rows}, shared *.expected.json, JSON lines; says why a file is not rows", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "winnow-expected-"));
    const w = (name: string, text: string) => {
      const f = path.join(dir, name);
      writeFileSync(f, text);
      return f;
    };
    assert.deepEqual(readExpectedFile(w("a.json", '[{"a":1}]')), { rows: [{ a: 1 }] });
    assert.deepEqual(readExpectedFile(w("b.json", '{"rows":[{"a":1},{"a":2}]}')), {
      rows: [{ a: 1 }, { a: 2 }],
    });
    assert.deepEqual(readExpectedFile(w("c.jsonl", '{"a":1}\n\n{"a":2}\n')), { rows: [{ a: 1 }, { a: 2 }] });
    const shared = readExpectedFile(
      `${SHARED}data/derived-positives/derived_winrs_4688_fs03vuln.evtx.expected.json`,
    );
    assert.equal(shared.rows?.length, 3, "MANIFEST: 3 expected rows");
    assert.equal(shared.rows?.[0]?.dest, "fs03vuln.offsec.lan");
    const bad = w("d.jsonl", '{"a":1}\nnot json\n');
    assert.match(readExpectedFile(bad).error ?? "", /^expected_file .*d\.jsonl: line 2 is not JSON/);
    assert.equal(
      readExpectedFile(w("e.json", "[1]")).error,
      `expected_file ${dir}/e.json: expected row 1 is not a mapping of field to value`,
    );
    assert.match(readExpectedFile(path.join(dir, "none.json")).error ?? "", /ENOENT/);
  });
});

function detection(
  objects: Detection["risk"]["objects"],
  threats: Detection["risk"]["threats"] = [],
  message = "",
): Detection {
  return {
    id: "11111111-0000-4000-8000-00000000000a",
    name: "Rule",
    file: "/x.yml",
    schema: "v5",
    status: "production",
    type: "TTP",
    description: "",
    search: "",
    datamodels: [],
    analyticStories: [],
    mitreAttackIds: [],
    killChainPhases: [],
    dataSources: [],
    risk: { message, objects, threats },
    tests: [],
  };
}

describe("SEMANTICS.md §7 pass rule", () => {
  const d = detection(
    [{ field: "dest", type: "system", score: 50 }],
    [{ field: "process", type: "process" }],
  );
  const cols = ["dest", "process"];

  it("no result fails", () => {
    assert.equal(contentctlVerdict(d, [], cols), "the search returned no results");
  });

  it('the first result decides: a missing or "null" risk object fails even if a later result is whole', () => {
    assert.equal(
      contentctlVerdict(
        d,
        [
          { dest: "null", process: "p" },
          { dest: "h", process: "p" },
        ],
        cols,
      ),
      'result 1 of 2: risk object field "dest" is "null"',
    );
    assert.equal(
      contentctlVerdict(d, [{ process: "p" }, { dest: "h", process: "p" }], cols),
      'result 1 of 2: risk object field "dest" is not in the result (the search outputs dest, process)',
    );
  });

  it("a whole result passes even if a later one has a null risk object", () => {
    assert.equal(contentctlVerdict(d, [{ dest: "h", process: "p" }, { dest: "null" }], cols), undefined);
  });

  it("a result missing a threat field is passed over; the next whole one passes", () => {
    assert.equal(contentctlVerdict(d, [{ dest: "h" }, { dest: "h", process: "p" }], cols), undefined);
    assert.equal(
      contentctlVerdict(d, [{ dest: "h" }, { dest: "h", process: "null" }], cols),
      'no result has every threat object field: "process" missing or "null" in all 2 result(s) (the search outputs dest, process)',
    );
    assert.equal(
      contentctlVerdict(d, [{ dest: "h" }, { dest: "null", process: "p" }], cols),
      'result 2 of 2: risk object field "dest" is "null"',
    );
  });

  it("a detection with no risk objects passes on any result", () => {
    assert.equal(contentctlVerdict(detection([]), [{}], []), undefined);
  });
});

describe("ES risk checks", () => {
  const event = (type: RiskEvent["risk_object_type"], score: number): RiskEvent => ({
    _time: "2026-01-01T00:00:00.000Z",
    search_name: "ESCU - Rule - Rule",
    risk_object: "h",
    risk_object_type: type,
    risk_score: score,
    risk_message: "",
    annotations: { mitre_attack: [] },
    analyticstories: [],
    detection_id: "x",
  });
  const d = detection(
    [
      { field: "dest", type: "system", score: 50 },
      { field: "user", type: "user", score: 30 },
    ],
    [],
    "$user$ on $dest$ via $process_name$ ($parent",
  );

  it("every declared risk object needs an event with its type and score", () => {
    const rows = [{ dest: "h", user: "u", process_name: "p", parent: "q" }];
    assert.deepEqual(riskChecks(d, rows, [event("system", 50), event("user", 30)]), []);
    assert.deepEqual(riskChecks(d, rows, [event("system", 50), event("user", 31)]), [
      'risk object "user" (type user, score 30) yielded no risk event with that type and score',
    ]);
  });

  it("every message token needs a value in every result (terminated and v1 unterminated tokens)", () => {
    const rows = [
      { dest: "h", user: "u", process_name: "p", parent: "q" },
      { dest: "h", user: "u" },
      { dest: "h", user: "u", process_name: null, parent: "q" },
    ];
    assert.deepEqual(riskChecks(d, rows, [event("system", 50), event("user", 30)]), [
      'risk message token $process_name$ is left unreplaced: "process_name" has no value in 2 of 3 result(s) (first: result 2)',
      'risk message token $parent is left unreplaced: "parent" has no value in 1 of 3 result(s) (first: result 2)',
    ]);
  });
});

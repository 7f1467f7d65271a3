/**
 * Risk events and notables (SEMANTICS.md §5, §7) for the built-in flagship, the corpus's v4 copy
 * and a v5 fixture with threat objects.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import type { Detection } from "../../src/content/index.js";
import { loadContent } from "../../src/content/index.js";
import { toDetection } from "../../src/content/to-detection.js";
import { parseYamlFile } from "../../src/content/yaml-file.js";
import { notableFor, severityFor } from "../../src/engine/notable.js";
import { riskEventsFor, riskMessageFor } from "../../src/engine/risk.js";

const repoRoot = path.resolve(fileURLToPath(new URL("../../", import.meta.url)));
const fixtures = path.join(repoRoot, "test/fixtures/content");
const flagship = loadContent([]).detections[0]!;
const FLAGSHIP_ID = "0dd296a2-4338-11ec-ba02-3e22fbd008af";

/** One corpus detection file, loaded on its own (the whole corpus takes seconds). */
function corpusDetection(rel: string): Detection {
  const file = path.resolve(repoRoot, "../shared/content/security_content/detections", rel);
  const y = parseYamlFile(readFileSync(file, "utf8"), file);
  const d = toDetection(y.value, { file, path: file, locate: y.locate }).detection;
  assert.ok(d);
  return d;
}

// 1700000000 is 2023-11-14T22:13:20Z.
const T = 1700000000;

/** A flagship output row (SEMANTICS.md §1 columns), ctime already applied to firstTime/lastTime. */
const row = {
  dest: "WS-12.corp.example",
  user: "alice",
  parent_process_name: "cmd.exe",
  process_name: "winrs.exe",
  process: "winrs -r:SRV-01 cmd",
  process_id: "4242",
  parent_process_id: "4000",
  count: 1,
  firstTime: "2023-11-14T22:13:20",
  lastTime: "2023-11-14T22:13:20",
};

describe("riskEventsFor", () => {
  it("gives exactly one risk event for a flagship row", () => {
    const r = riskEventsFor(flagship, row, T);
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(r.events, [
      {
        _time: "2023-11-14T22:13:20.000Z",
        search_name: "ESCU - Remote Process Instantiation via WinRM and Winrs - Rule",
        risk_object: "WS-12.corp.example",
        risk_object_type: "system",
        risk_score: 54,
        risk_message: "A process was started on a remote endpoint from WS-12.corp.example",
        annotations: { mitre_attack: ["T1021", "T1021.006"] },
        analyticstories: ["Active Directory Lateral Movement"],
        detection_id: FLAGSHIP_ID,
      },
    ]);
  });

  it("keeps milliseconds of the row time", () => {
    assert.equal(riskEventsFor(flagship, row, T + 0.25).events[0]?._time, "2023-11-14T22:13:20.250Z");
  });

  it("gives the same message from the v4 corpus copy's terminated $dest$", () => {
    const v4 = corpusDetection("endpoint/remote_process_instantiation_via_winrm_and_winrs.yml");
    assert.equal(v4.version, 4);
    assert.equal(
      riskEventsFor(v4, row, T).events[0]?.risk_message,
      "A process was started on a remote endpoint from WS-12.corp.example",
    );
  });

  it("gives one event per value of a multivalue risk object", () => {
    const r = riskEventsFor(flagship, { ...row, dest: ["WS-1", "WS-2"] }, T);
    assert.deepEqual(
      r.events.map((e) => [e.risk_object, e.risk_message]),
      [
        ["WS-1", "A process was started on a remote endpoint from WS-1"],
        ["WS-2", "A process was started on a remote endpoint from WS-2"],
      ],
    );
  });

  it('gives no event and a diagnostic when the risk object is missing, null or the string "null"', () => {
    for (const dest of [undefined, null, "null", ""]) {
      const r = riskEventsFor(flagship, { ...row, dest }, T);
      assert.deepEqual(r.events, []);
      assert.equal(r.diagnostics.length, 1);
      assert.equal(r.diagnostics[0]?.code, "risk-object-missing");
      assert.equal(r.diagnostics[0]?.detection, "Remote Process Instantiation via WinRM and Winrs");
    }
  });

  it("v5: one event per risk object with its own score, threat objects from every declared field", () => {
    const v5 = loadContent([path.join(fixtures, "v5")], { builtin: false }).detections.find(
      (d) => d.name === "Winrs Remote Shell From Admin Tools",
    )!;
    const r = riskEventsFor(v5, { ...row, process: ["winrs -r:a x", "winrs -r:b y"] }, T);
    assert.deepEqual(r.diagnostics, []);
    const message = "alice started winrs.exe on WS-12.corp.example from cmd.exe";
    const common = {
      _time: "2023-11-14T22:13:20.000Z",
      search_name: "ESCU - Winrs Remote Shell From Admin Tools - Rule",
      risk_message: message,
      threat_object: ["cmd.exe", "winrs -r:a x", "winrs -r:b y"],
      threat_object_type: ["parent_process_name", "process", "process"],
      annotations: { mitre_attack: ["T1021.006"] },
      analyticstories: ["Active Directory Lateral Movement"],
      detection_id: "6c1a9b0e-1f0d-4a51-9a47-2f5f7c1d9e01",
    };
    assert.deepEqual(r.events, [
      { ...common, risk_object: "WS-12.corp.example", risk_object_type: "system", risk_score: 64 },
      { ...common, risk_object: "alice", risk_object_type: "user", risk_score: 48 },
    ]);
  });

  it("a detection without risk objects gives nothing", () => {
    const none: Detection = { ...flagship, risk: { message: "", objects: [], threats: [] } };
    assert.deepEqual(riskEventsFor(none, row, T), { events: [], diagnostics: [] });
  });
});

describe("risk message substitution", () => {
  const r = { dest: "H1", "Processes.dest": "H2", user: ["a", "b"], n: 7 };
  const cases: [string, string][] = [
    ["from $dest", "from H1"], // v1 unterminated, end of string
    ["from $dest.", "from H1."], // followed by a full stop
    ["from $dest, by $user", "from H1, by a, b"], // followed by a comma; multivalue joined
    ["on $dest$ ($n$)", "on H1 (7)"],
    ["$Processes.dest$ / $Processes.dest", "H2 / H2"], // dotted names
    ["$missing$ and $missing", " and "], // missing fields become empty
    ["costs $5", "costs $5"], // not a field name
    ["$dest$$dest$", "H1H1"],
  ];
  for (const [message, expected] of cases) {
    it(`${JSON.stringify(message)} → ${JSON.stringify(expected)}`, () => {
      assert.equal(riskMessageFor(message, r), expected);
    });
  }
});

describe("notableFor", () => {
  it("gives a medium-severity notable for a flagship row", () => {
    assert.deepEqual(notableFor(flagship, row, T), {
      _time: "2023-11-14T22:13:20.000Z",
      search_name: "ESCU - Remote Process Instantiation via WinRM and Winrs - Rule",
      rule_name: "Remote Process Instantiation via WinRM and Winrs",
      rule_title: "A process was started on a remote endpoint from WS-12.corp.example",
      security_domain: "endpoint",
      severity: "medium",
      risk_score: 54,
      annotations: { mitre_attack: ["T1021", "T1021.006"] },
      analyticstories: ["Active Directory Lateral Movement"],
      detection_id: FLAGSHIP_ID,
    });
  });

  it("only for TTP detections", () => {
    assert.equal(notableFor({ ...flagship, type: "Anomaly" }, row, T), undefined);
    assert.equal(notableFor({ ...flagship, type: "Hunting" }, row, T), undefined);
  });

  it("maps the score to severity at the boundaries of SEMANTICS.md §5", () => {
    assert.deepEqual([0, 20, 21, 40, 41, 60, 61, 80, 81, 100].map(severityFor), [
      "informational",
      "informational",
      "low",
      "low",
      "medium",
      "medium",
      "high",
      "high",
      "critical",
      "critical",
    ]);
  });
});

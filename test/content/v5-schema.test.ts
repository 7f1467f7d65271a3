/**
 * v5 detections (`rba:` block, SEMANTICS.md §6) load to the same Detection shape as v1–v4 ones.
 * The fixtures are written from SEMANTICS.md §6 (the corpus predates v5).
 */
import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { loadContent } from "../../src/content/index.js";
import { toDetection } from "../../src/content/to-detection.js";
import { parseYamlFile } from "../../src/content/yaml-file.js";

const tree = fileURLToPath(new URL("../fixtures/content/v5/", import.meta.url));

describe("v5 detections", () => {
  const content = loadContent([tree], { builtin: false });

  it("load without diagnostics", () => {
    assert.deepEqual(content.diagnostics, []);
    assert.deepEqual(
      content.detections.map((d) => d.name),
      ["Winrs Execution Hunting", "Winrs Remote Shell From Admin Tools"],
    );
  });

  it("turn rba: into risk objects, threat objects and message; score = the highest risk-object score", () => {
    const file = path.join(tree, "detections/endpoint/winrs_remote_shell_v5.yml");
    const d = content.detections.find((x) => x.id === "6c1a9b0e-1f0d-4a51-9a47-2f5f7c1d9e01");
    assert.deepEqual(d, {
      id: "6c1a9b0e-1f0d-4a51-9a47-2f5f7c1d9e01",
      name: "Winrs Remote Shell From Admin Tools",
      file,
      schema: "v5",
      version: 5,
      date: "2025-02-10",
      status: "production",
      declaredStatus: "production",
      type: "TTP",
      description: "A v5-schema fixture (rba block) written from SEMANTICS.md section 6.",
      searchLine: 12,
      search:
        "| tstats `security_content_summariesonly` count min(_time) as firstTime max(_time) as lastTime from datamodel=Endpoint.Processes where Processes.process_name=winrs.exe by Processes.dest Processes.user Processes.parent_process_name Processes.process_name Processes.process | `drop_dm_object_name(Processes)` | `security_content_ctime(firstTime)` | `security_content_ctime(lastTime)` | `winrs_remote_shell_from_admin_tools_filter`",
      datamodels: ["Endpoint.Processes"],
      analyticStories: ["Active Directory Lateral Movement"],
      mitreAttackIds: ["T1021.006"],
      killChainPhases: [],
      dataSources: ["Sysmon EventID 1", "Windows Event Log Security 4688"],
      securityDomain: "endpoint",
      riskScore: 64,
      risk: {
        message: "$user$ started $process_name$ on $dest$ from $parent_process_name$",
        objects: [
          { field: "dest", type: "system", score: 64 },
          { field: "user", type: "user", score: 48 },
        ],
        threats: [
          { field: "parent_process_name", type: "parent_process_name" },
          { field: "process", type: "process" },
        ],
      },
      tests: [
        {
          name: "True Positive Test",
          attackData: [
            {
              data: "attack_data/winrs.log",
              source: "XmlWinEventLog:Microsoft-Windows-Sysmon/Operational",
              sourcetype: "XmlWinEventLog",
            },
          ],
          expectedFile: path.join(tree, "detections/endpoint/expected/winrs.json"),
        },
        { name: "Near miss", attackData: [{ data: "attack_data/benign.log" }], expectNoResults: true },
      ],
    });
  });

  it("a v5 detection without rba: has no risk", () => {
    const d = content.detections.find((x) => x.name === "Winrs Execution Hunting");
    assert.equal(d?.schema, "v5");
    assert.equal(d?.status, "experimental");
    assert.deepEqual(d?.risk, { message: "", objects: [], threats: [] });
    assert.equal(d?.riskScore, undefined);
  });

  it("rejects a bad rba: block with the exact key and position", () => {
    const text = [
      "name: Bad Rba",
      "id: 6c1a9b0e-1f0d-4a51-9a47-2f5f7c1d9e03",
      "type: TTP",
      "search: '| tstats count from datamodel=Endpoint.Processes'",
      "rba:",
      "  message: on $dest$",
      "  risk_objects:",
      "  - field: dest",
      "    type: host",
      "    score: 101",
      "  threat_objects: []",
      "tags: {}",
      "",
    ].join("\n");
    const y = parseYamlFile(text, "bad-rba.yml");
    const r = toDetection(y.value, { file: "bad-rba.yml", path: "/x/bad-rba.yml", locate: y.locate });
    assert.equal(r.detection, undefined);
    assert.deepEqual(
      r.diagnostics.map((d) => [d.code, d.line, d.column, d.message.split(":").slice(0, 2).join(":")]),
      [
        ["content-schema", 9, 11, "detection: rba.risk_objects.0.type"],
        ["content-schema", 10, 12, "detection: rba.risk_objects.0.score"],
      ],
    );
  });

  it("warns about v1–v4 risk keys left in a v5 file and ignores them", () => {
    const text = [
      "name: Mixed",
      "id: 6c1a9b0e-1f0d-4a51-9a47-2f5f7c1d9e04",
      "type: TTP",
      "search: '| tstats count from datamodel=Endpoint.Processes'",
      "rba:",
      "  message: on $dest$",
      "  risk_objects: [{field: dest, type: system, score: 30}]",
      "tags:",
      "  risk_score: 90",
      "",
    ].join("\n");
    const y = parseYamlFile(text, "mixed.yml");
    const r = toDetection(y.value, { file: "mixed.yml", path: "/x/mixed.yml", locate: y.locate });
    assert.equal(r.detection?.riskScore, 30);
    assert.deepEqual(
      r.diagnostics.map((d) => [d.severity, d.code, d.line, d.column]),
      [["warning", "content-schema", 9, 15]],
    );
  });
});

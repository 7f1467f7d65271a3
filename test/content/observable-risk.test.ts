/**
 * v1–v4 `tags.observable` → risk and threat objects, per contentctl 4.x (SEMANTICS.md §5), on real
 * corpus detections and on each mapping rule.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import type { Detection } from "../../src/content/index.js";
import { riskFromObservables, roundHalfEven } from "../../src/content/observable-risk.js";
import { toDetection } from "../../src/content/to-detection.js";
import { parseYamlFile } from "../../src/content/yaml-file.js";

const repoRoot = path.resolve(fileURLToPath(new URL("../../", import.meta.url)));
const corpus = path.resolve(repoRoot, "../shared/content/security_content");

function corpusDetection(rel: string): Detection {
  const file = path.join(corpus, "detections", rel);
  const y = parseYamlFile(readFileSync(file, "utf8"), file);
  const d = toDetection(y.value, { file, path: file, locate: y.locate }).detection;
  assert.ok(d);
  return d;
}

describe("risk from tags.observable", () => {
  it("maps each role and type as contentctl does", () => {
    const r = riskFromObservables(
      [
        { name: "user", type: "User", role: ["Victim"] },
        { name: "mail", type: "Email Address", role: ["Victim"] },
        { name: "dest", type: "Endpoint", role: ["Victim"] },
        { name: "host", type: "Hostname", role: "Victim" },
        { name: "dest_ip", type: "IP Address", role: ["Victim"] },
        { name: "process", type: "Process", role: ["Victim"] },
        { name: "sourcetype", type: "Other", role: ["Victim"] },
        { name: "parent_process_name", type: "Process Name", role: ["Attacker"] },
        { name: "file_name", type: "File Name", role: ["Attacker"] },
        { name: "hash", type: "File Hash", role: ["Attacker"] },
        { name: "src_ip", type: "IP Address", role: ["Attacker"] },
        { name: "url", type: "URL String", role: ["Attacker"] },
        { name: "src", type: "Endpoint", role: ["Attacker"] },
        { name: "x", type: "Unknown", role: ["Other"] },
      ],
      42,
    );
    assert.deepEqual(r.objects, [
      { field: "user", type: "user", score: 42 },
      { field: "mail", type: "user", score: 42 },
      { field: "dest", type: "system", score: 42 },
      { field: "host", type: "system", score: 42 },
      { field: "dest_ip", type: "system", score: 42 },
      { field: "process", type: "other", score: 42 },
      { field: "sourcetype", type: "other", score: 42 },
      { field: "x", type: "other", score: 42 },
    ]);
    assert.deepEqual(r.threats, [
      { field: "parent_process_name", type: "process" },
      { field: "file_name", type: "file_name" },
      { field: "hash", type: "file_name" },
      { field: "src_ip", type: "ip_address" },
      { field: "url", type: "url" },
      { field: "src", type: "endpoint" },
    ]);
  });

  it("rounds half to even like Python's round()", () => {
    assert.deepEqual([12.5, 13.5, 54, 53.6, 0.5, 1.5].map(roundHalfEven), [12, 14, 54, 54, 0, 2]);
  });

  it("on corpus detections", () => {
    const gp = corpusDetection("endpoint/gpupdate_with_no_command_line_arguments_with_network.yml");
    assert.deepEqual(gp?.risk.objects, [
      { field: "user", type: "user", score: 81 },
      { field: "dest", type: "system", score: 81 },
    ]);
    assert.deepEqual(gp?.risk.threats, [
      { field: "parent_process_name", type: "process" },
      { field: "C2", type: "ip_address" },
    ]);
    const spray = corpusDetection("application/detect_password_spray_attempts.yml");
    assert.deepEqual(spray?.risk.objects, [{ field: "sourcetype", type: "other", score: 49 }]);
    assert.deepEqual(spray?.risk.threats, [{ field: "src", type: "endpoint" }]);
  });
});

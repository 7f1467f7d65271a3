/**
 * `doctor` verdicts that need content of their own, and `winnow doctor` as a user runs it. Expected
 * numbers come from the derived data's expected.json (7 Sysmon 1 events, 4 that the flagship matches).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { loadContent } from "../../src/content/index.js";
import { doctor } from "../../src/engine/doctor.js";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
const OTRF = `${REPO}../shared/data/derived-positives/derived_winrs_otrf_workstation6.json`;
const FLAGSHIP = "Remote Process Instantiation via WinRM and Winrs";

const dir = mkdtempSync(join(tmpdir(), "winnow-doctor-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function tree(name: string, files: Record<string, string>): string {
  const root = join(dir, name);
  for (const [p, body] of Object.entries(files)) {
    mkdirSync(join(root, p, ".."), { recursive: true });
    writeFileSync(join(root, p), body);
  }
  return root;
}

describe("doctor verdicts", () => {
  it("could-fire: 4 of 7 records pass the where clause, the filter macro drops every row", async () => {
    const content = loadContent([
      tree("filter-all", {
        "macros/remote_process_instantiation_via_winrm_and_winrs_filter.yml":
          'name: remote_process_instantiation_via_winrm_and_winrs_filter\ndefinition: search dest!="WORKSTATION6*"\ndescription: drops the only host\n',
      }),
    ]);
    const r = await doctor({ paths: [OTRF], content, only: [FLAGSHIP] });
    const d = r.detections[0];
    assert.equal(d.verdict, "could-fire");
    assert.equal(d.rows, 0);
    assert.deepEqual([d.where?.passed, d.where?.of], [4, 7]);
    assert.match(d.reasons[0], /^4 of 7 records pass the where clause, but no row survives/);
  });

  it("cannot-run and cannot-fire for a data model no event here feeds", async () => {
    const content = loadContent([
      tree("mixed", {
        "detections/bad.yml": [
          "name: Uses Raw Search",
          "id: 55555555-5555-5555-5555-555555555555",
          "version: 1",
          "status: production",
          "type: Hunting",
          "description: raw search",
          "search: 'index=main sourcetype=foo | stats count'",
          "tags:",
          "  analytic_story: [Test]",
          "  risk_score: 1",
          "  mitre_attack_id: [T1021]",
          "  observable: []",
          "",
        ].join("\n"),
        "detections/net.yml": [
          "name: Network Count",
          "id: 66666666-6666-6666-6666-666666666666",
          "version: 1",
          "status: production",
          "type: Hunting",
          "description: network",
          "search: '| tstats count from datamodel=Network_Traffic.All_Traffic by All_Traffic.dest_port'",
          "tags:",
          "  analytic_story: [Test]",
          "  risk_score: 1",
          "  mitre_attack_id: [T1021]",
          "  observable: []",
          "",
        ].join("\n"),
      }),
    ]);
    const r = await doctor({ paths: [OTRF], content, only: ["Uses Raw Search", "Network Count"] });
    const by = new Map(r.detections.map((d) => [d.name, d]));
    assert.equal(by.get("Uses Raw Search")?.verdict, "cannot-run");
    const net = by.get("Network Count");
    assert.equal(net?.verdict, "cannot-fire");
    assert.match(
      net?.reasons[0] ?? "",
      /^no Network_Traffic\.All_Traffic records in this data; they come from sysmon-3/,
    );
  });
});

describe("winnow doctor (CLI)", () => {
  const run = (args: string[]) =>
    spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "doctor", ...args], {
      cwd: REPO,
      encoding: "utf8",
    });

  it("--format json: the whole report; exit 0", () => {
    const p = run([OTRF, "-d", FLAGSHIP, "--format", "json", "-q"]);
    assert.equal(p.status, 0, p.stderr);
    const report: unknown = JSON.parse(p.stdout);
    assert.ok(typeof report === "object" && report !== null && "detections" in report && "events" in report);
    assert.equal(report.events, 7);
    assert.ok(Array.isArray(report.detections));
    assert.deepEqual(
      report.detections.map((d: { name: string; verdict: string; rows: number }) => [
        d.name,
        d.verdict,
        d.rows,
      ]),
      [[FLAGSHIP, "fires", 4]],
    );
  });

  it("an unknown detection name is a usage error (exit 2)", () => {
    const p = run([OTRF, "-d", "No Such Detection"]);
    assert.equal(p.status, 2);
    assert.match(p.stderr, /no loaded detection is named "No Such Detection"/);
  });
});

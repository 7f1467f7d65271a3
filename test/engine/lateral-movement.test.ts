/**
 * WinRM pack correlation (src/engine/lateral-movement.ts, lm-hosts.ts) and its graph outputs
 * (src/output/graph-json.ts, graph-dot.ts). The findings are hand-made result rows shaped like the pack's
 * (lm_side, lm_channel, dest, dest_target, firstTime/lastTime as `convert ctime` leaves them); every
 * expected edge, score and graph line is worked out by hand from the rules in the module's design note:
 * join within [source start − 60 s, source end + window], the latest source wins, score
 * 100 − (100 − s)(100 − t)/100.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { loadContent } from "../../src/content/index.js";
import type { DetectionResult } from "../../src/engine/hunt.js";
import { combineScores, correlateLateralMovement } from "../../src/engine/lateral-movement.js";
import { resolveHost } from "../../src/engine/lm-hosts.js";
import { graphDot } from "../../src/output/graph-dot.js";
import { graphJson } from "../../src/output/graph-json.js";
import type { Row } from "../../src/spl/index.js";
import { runCli } from "../support/run-cli.js";

const content = loadContent([]);
const det = (name: string) => {
  const d = content.detections.find((x) => x.name === `WinRM Pack - ${name}`);
  assert.ok(d, name);
  return d;
};
const result = (name: string, rows: Row[]): DetectionResult => ({
  detection: det(name),
  columns: [],
  rows,
  risk: [],
  notables: [],
  diagnostics: [],
});
const at = (hms: string) => `2026-12-01T${hms}`;
const source = (dest: string, target: string, hms: string, process: string, divergence = "none"): Row => ({
  dest,
  user: "alice",
  process,
  dest_target: target,
  lm_side: "source",
  lm_channel: "winrs",
  divergence,
  firstTime: at(hms),
  lastTime: at(hms),
});
const target = (dest: string, hms: string, process: string, channel = "winrs"): Row => ({
  dest,
  process,
  lm_side: "target",
  lm_channel: channel,
  firstTime: at(hms),
  lastTime: at(hms),
});

const SRC = "Winrs Remote Execution Any Switch";
const fixture = (): DetectionResult[] => [
  result("Winrs Remote Execution Any Switch", [
    source("WS-A.corp.local", "srv-b", "10:00:00", "winrs -r:srv-b whoami"),
    source(
      "WS-C.corp.local",
      "SRV-B.corp.local",
      "10:10:00",
      "winrs /r:SRV-B.corp.local hostname",
      "slash switch",
    ),
    source("WS-A.corp.local", "10.0.0.9", "10:00:00", "winrs -r:10.0.0.9 whoami"),
    source("WS-A.corp.local", "SRV-B.corp.local", "10:20:00", "winrs -r:SRV-B.corp.local ipconfig"),
  ]),
  result("WinrsHost Started", [target("SRV-B.corp.local", "10:00:01", "WinrsHost.exe -Embedding")]),
  result("WinrsHost Spawned Process", [
    target("SRV-B.corp.local", "10:00:02", "cmd /c whoami"),
    target("SRV-B.corp.local", "10:10:01", "cmd /c hostname"),
    target("SRV-B.corp.local", "10:04:30", "cmd /c late"),
    target("SRV-B2.corp.local", "10:00:03", "cmd /c other host"),
    target("SRV-B.corp.local", "09:58:00", "cmd /c too early"),
    target("SRV-B.corp.local", "10:20:02", "cmd /c ipconfig"),
  ]),
  result("Wsmprovhost Started", [
    target("SRV-B.corp.local", "10:00:02", "wsmprovhost.exe -Embedding", "powershell-remoting"),
  ]),
];

describe("lateral movement: host resolution", () => {
  it("matches case-insensitively, short name to FQDN, never two different FQDNs or an IP to a name", () => {
    assert.equal(resolveHost("DC-02", "dc-02"), "exact");
    assert.equal(resolveHost("dc-02.contoso.example.", "DC-02.contoso.example"), "exact");
    assert.equal(resolveHost("DC-02", "DC-02.contoso.example"), "short name");
    assert.equal(resolveHost("dc-02.contoso.example", "DC-02"), "short name");
    assert.equal(resolveHost("dc-02.a.example", "dc-02.b.example"), undefined);
    assert.equal(resolveHost("dc-0", "dc-02.contoso.example"), undefined);
    assert.equal(resolveHost("10.0.0.9", "10.0.0.9"), "exact");
    assert.equal(resolveHost("10.0.0.9", "10"), undefined);
    assert.equal(resolveHost("unknown", "unknown"), undefined);
  });

  it("combines two scores as independent evidence, rounded half up", () => {
    assert.equal(combineScores(54, 48), 76); // 100 - 46*52/100 = 76.08
    assert.equal(combineScores(54, 25), 66); // 100 - 46*75/100 = 65.5
    assert.equal(combineScores(0, 0), 0);
    assert.equal(combineScores(100, 10), 100);
  });
});

describe("lateral movement: edges", () => {
  it("joins each target row to the latest winrs that reached its host, within the window", () => {
    const lm = correlateLateralMovement(fixture());
    assert.ok(lm);
    const e = lm.result.rows.map((r) => [
      r.src,
      r.dest,
      r.dest_target,
      r.resolution,
      r.target_processes,
      r.firstTime,
      r.lastTime,
    ]);
    assert.deepEqual(e, [
      [
        "WS-A.corp.local",
        "SRV-B.corp.local",
        "srv-b",
        "short name",
        ["WinrsHost.exe -Embedding", "cmd /c whoami", "cmd /c late"],
        at("10:00:00"),
        at("10:04:30"),
      ],
      [
        "WS-C.corp.local",
        "SRV-B.corp.local",
        "SRV-B.corp.local",
        "exact",
        "cmd /c hostname",
        at("10:10:00"),
        at("10:10:01"),
      ],
      [
        "WS-A.corp.local",
        "SRV-B.corp.local",
        "SRV-B.corp.local",
        "exact",
        "cmd /c ipconfig",
        at("10:20:00"),
        at("10:20:02"),
      ],
    ]);
  });

  it("gives the first edge row exactly, with its risk events and notable", () => {
    const lm = correlateLateralMovement(fixture());
    assert.ok(lm);
    assert.equal(lm.result.detection.name, "WinRM Pack - Lateral Movement Edge");
    const row = lm.result.rows[0];
    assert.deepEqual(row, {
      src: "WS-A.corp.local",
      dest: "SRV-B.corp.local",
      dest_target: "srv-b",
      lm_channel: "winrs",
      resolution: "short name",
      user: "alice",
      source_process: "winrs -r:srv-b whoami",
      target_processes: ["WinrsHost.exe -Embedding", "cmd /c whoami", "cmd /c late"],
      source_detection: `WinRM Pack - ${SRC}`,
      target_detections: ["WinRM Pack - WinrsHost Started", "WinRM Pack - WinrsHost Spawned Process"],
      source_score: 54,
      target_score: 48,
      risk_score: 76,
      firstTime: at("10:00:00"),
      lastTime: at("10:04:30"),
      divergence: "correlated edge: ESCU joins no source and target host",
    });
    assert.equal(
      lm.result.rows[1].divergence,
      "correlated edge: ESCU joins no source and target host; source: slash switch",
    );
    const first = lm.result.risk
      .slice(0, 2)
      .map((r) => [r.risk_object, r.risk_score, r.risk_message, r._time]);
    const msg = "Lateral movement over WinRM from WS-A.corp.local to SRV-B.corp.local (winrs)";
    assert.deepEqual(first, [
      ["SRV-B.corp.local", 76, msg, "2026-12-01T10:04:30.000Z"],
      ["WS-A.corp.local", 76, msg, "2026-12-01T10:04:30.000Z"],
    ]);
    assert.equal(lm.result.risk.length, 6);
    assert.deepEqual(
      lm.result.notables.map((n) => n.severity),
      ["high", "high", "high"],
    );
  });

  it("never joins a host to itself, even when a source row names its own host", () => {
    // The pack's macro sends such rows to the loopback detection; a user's override might not.
    const lm = correlateLateralMovement([
      result(SRC, [source("WS-A.corp.local", "ws-a", "10:00:00", "winrs -r:ws-a whoami")]),
      result("WinrsHost Spawned Process", [target("WS-A.corp.local", "10:00:02", "cmd /c whoami")]),
    ]);
    assert.deepEqual(lm?.edges, []);
    assert.deepEqual(lm?.result.rows, []);
  });

  it("a shorter window drops the late target row; no pack result means no correlation", () => {
    const lm = correlateLateralMovement(fixture(), { windowSeconds: 120 });
    assert.deepEqual(lm?.result.rows[0].target_processes, ["WinrsHost.exe -Embedding", "cmd /c whoami"]);
    assert.equal(correlateLateralMovement([]), undefined);
  });
});

describe("lateral movement: graph", () => {
  const lm = correlateLateralMovement(fixture());
  assert.ok(lm);

  it("JSON: hosts as nodes, one edge per host pair and channel", () => {
    assert.deepEqual(JSON.parse(graphJson(lm)), {
      window_seconds: 300,
      nodes: [
        { id: "SRV-B.corp.local", roles: ["target"], risk_score: 76 },
        { id: "WS-A.corp.local", roles: ["source"], risk_score: 76 },
        { id: "WS-C.corp.local", roles: ["source"], risk_score: 76 },
      ],
      edges: [
        {
          source: "WS-A.corp.local",
          target: "SRV-B.corp.local",
          channel: "winrs",
          count: 2,
          risk_score: 76,
          dest_targets: ["SRV-B.corp.local", "srv-b"],
          firstTime: at("10:00:00"),
          lastTime: at("10:20:02"),
        },
        {
          source: "WS-C.corp.local",
          target: "SRV-B.corp.local",
          channel: "winrs",
          count: 1,
          risk_score: 76,
          dest_targets: ["SRV-B.corp.local"],
          firstTime: at("10:10:00"),
          lastTime: at("10:10:01"),
        },
      ],
    });
  });

  it("DOT", () => {
    assert.equal(
      graphDot(lm),
      [
        "digraph winrm_lateral_movement {",
        "  rankdir=LR;",
        "  node [shape=box];",
        '  "SRV-B.corp.local" [label="SRV-B.corp.local\\ntarget, risk 76"];',
        '  "WS-A.corp.local" [label="WS-A.corp.local\\nsource, risk 76"];',
        '  "WS-C.corp.local" [label="WS-C.corp.local\\nsource, risk 76"];',
        '  "WS-A.corp.local" -> "SRV-B.corp.local" [label="winrs, risk 76, 2x\\n2026-12-01T10:00:00 .. 2026-12-01T10:20:02"];',
        '  "WS-C.corp.local" -> "SRV-B.corp.local" [label="winrs, risk 76, 1x\\n2026-12-01T10:10:00 .. 2026-12-01T10:10:01"];',
        "}",
        "",
      ].join("\n"),
    );
  });

  it("winnow hunt examples/ --graph: WKS-FIN-07 → DC-02 (examples/README.md: winrs -r:DC-02 at 14:02:11, WinrsHost and its cmd.exe on DC-02 at 14:02:12)", () => {
    const file = join(mkdtempSync(join(tmpdir(), "winnow-lm-")), "g.json");
    const r = runCli([
      "hunt",
      "examples/",
      "-q",
      "--format",
      "jsonl",
      "--graph",
      file,
      "--graph-format",
      "json",
    ]);
    assert.equal(r.code, 0);
    assert.deepEqual(JSON.parse(readFileSync(file, "utf8")), {
      window_seconds: 300,
      nodes: [
        { id: "DC-02.contoso.example", roles: ["target"], risk_score: 76 },
        { id: "WKS-FIN-07.contoso.example", roles: ["source"], risk_score: 76 },
      ],
      edges: [
        {
          source: "WKS-FIN-07.contoso.example",
          target: "DC-02.contoso.example",
          channel: "winrs",
          count: 1,
          risk_score: 76,
          dest_targets: ["DC-02"],
          firstTime: "2026-11-30T14:02:11",
          lastTime: "2026-11-30T14:02:12",
        },
      ],
    });
    // The same graph as DOT, the default --graph-format.
    const dot = join(mkdtempSync(join(tmpdir(), "winnow-lm-")), "g.dot");
    assert.equal(runCli(["hunt", "examples/", "-q", "--format", "jsonl", "--graph", dot]).code, 0);
    assert.equal(
      readFileSync(dot, "utf8"),
      [
        "digraph winrm_lateral_movement {",
        "  rankdir=LR;",
        "  node [shape=box];",
        '  "DC-02.contoso.example" [label="DC-02.contoso.example\\ntarget, risk 76"];',
        '  "WKS-FIN-07.contoso.example" [label="WKS-FIN-07.contoso.example\\nsource, risk 76"];',
        '  "WKS-FIN-07.contoso.example" -> "DC-02.contoso.example" [label="winrs, risk 76, 1x\\n2026-11-30T14:02:11 .. 2026-11-30T14:02:12"];',
        "}",
        "",
      ].join("\n"),
    );
    const edges = r.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((o) => o.detection === "WinRM Pack - Lateral Movement Edge");
    assert.deepEqual(
      edges.map((o) => [o.src, o.dest, o.resolution, o.risk_score]),
      [["WKS-FIN-07.contoso.example", "DC-02.contoso.example", "short name", 76]],
    );
  });
});

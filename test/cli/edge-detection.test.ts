/**
 * `hunt -d "WinRM Pack - Lateral Movement Edge"` (bug report: "no loaded detection is named" although the
 * name appears as a detection in the output). The edge is the pack's correlation of its detections' rows:
 * naming it runs the pack's detections it needs and prints only the edges, exactly as the full run has them.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { runCli } from "../support/run-cli.js";

const EDGE = "WinRM Pack - Lateral Movement Edge";
const EDGE_ID = "7382d875-5f46-4167-9a72-20836d1aa4f7";
const FLAGSHIP = "Remote Process Instantiation via WinRM and Winrs";
const lines = (s: string) => s.split("\n").filter((l) => l !== "");

describe("hunt -d names the pack's edge correlation", () => {
  const dir = mkdtempSync(join(tmpdir(), "winnow-edge-"));
  const full = runCli(["hunt", "examples/", "-q", "-f", "jsonl", "--risk", join(dir, "all-risk.jsonl")]);
  const edgeRows = lines(full.stdout).filter((l) => JSON.parse(l).detection === EDGE);
  const edgeRisk = lines(readFileSync(join(dir, "all-risk.jsonl"), "utf8")).filter(
    (l) => JSON.parse(l).detection_id === EDGE_ID,
  );

  it("by name: exactly the full run's edge rows and risk events, exit 0", () => {
    assert.equal(edgeRows.length, 1);
    assert.equal(edgeRisk.length, 2);
    const risk = join(dir, "edge-risk.jsonl");
    const r = runCli(["hunt", "examples/", "-q", "-f", "jsonl", "-d", EDGE, "--risk", risk]);
    assert.equal(r.stderr, "");
    assert.equal(r.code, 0);
    assert.deepEqual(lines(r.stdout), edgeRows);
    assert.deepEqual(lines(readFileSync(risk, "utf8")), edgeRisk);
  });

  it("by id or in other letter case, and beside another detection", () => {
    for (const name of [EDGE_ID, EDGE.toUpperCase()]) {
      const r = runCli(["hunt", "examples/", "-q", "-f", "jsonl", "-d", name]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(lines(r.stdout), edgeRows);
    }
    const both = runCli(["hunt", "examples/", "-q", "-f", "jsonl", "-d", FLAGSHIP, "-d", EDGE]);
    assert.equal(both.code, 0, both.stderr);
    const expected = lines(full.stdout).filter((l) => [FLAGSHIP, EDGE].includes(JSON.parse(l).detection));
    assert.deepEqual(lines(both.stdout), expected);
  });

  it("the summary counts what was named; --fail-on-findings sees the edge rows", () => {
    const r = runCli(["hunt", "examples/", "-d", EDGE, "--fail-on-findings", "-f", "jsonl"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /\nwinnow: 1 detection run; 1 row, 2 risk events in \d+\.\d\d s\n$/);
  });

  it("with --no-pack: a clear message, exit 2", () => {
    const r = runCli(["hunt", "examples/", "-q", "--no-pack", "-d", EDGE]);
    assert.equal(
      r.stderr,
      `winnow: "${EDGE}" is the WinRM pack's correlation of its detections' rows: it needs the pack (drop --no-pack)\n`,
    );
    assert.equal(r.code, 2);
  });

  it("doctor -d the edge: a clear message that it is hunt's correlation, exit 2", () => {
    const r = runCli(["doctor", "examples/", "-d", EDGE]);
    assert.equal(
      r.stderr,
      `winnow: "${EDGE}" is the WinRM pack's correlation of its detections' rows, not a search doctor can check: ` +
        `winnow hunt computes it; name the pack's detections ("WinRM Pack - …") here instead\n`,
    );
    assert.equal(r.code, 2);
  });
});

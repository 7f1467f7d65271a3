/** `winnow validate`: every detection listed, loaded or not with the exact reason; JSON lines for scripts. */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { detectionYaml } from "../support/detection-yaml.js";
import { runCli } from "../support/run-cli.js";
import { REPO, sharedPath } from "../support/shared.js";

function tree(detections: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "winnow-validate-"));
  mkdirSync(join(dir, "detections"));
  for (const [name, text] of Object.entries(detections)) writeFileSync(join(dir, "detections", name), text);
  return dir;
}

const detection = (id: string, name: string, search: string) =>
  detectionYaml({ id, name, search, risk: true });

it("lists loaded and unloadable detections as JSON lines with the construct and position", () => {
  const dir = tree({
    "ok.yml": detection(
      "11111111-1111-1111-1111-111111111111",
      "Good One",
      "| tstats count from datamodel=Endpoint.Processes by Processes.dest | `drop_dm_object_name(Processes)`",
    ),
    "bad.yml": detection(
      "22222222-2222-2222-2222-222222222222",
      "Uses Xmlkv",
      "| tstats count from datamodel=Endpoint.Processes by Processes.dest | xmlkv",
    ),
  });
  const r = runCli(["validate", "--content", dir, "--format", "json"]);
  assert.equal(r.code, 1, "some detections cannot run");
  // The summary goes to stderr with --format json too: 7 built-in + 2 here, one cannot run.
  assert.match(r.stderr, /\nwinnow validate: 8 of 9 detections can run in this build\n$/);
  const rows = r.stdout
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l));
  const byName = new Map(rows.map((x) => [x.name, x]));
  assert.deepEqual(byName.get("Good One"), {
    name: "Good One",
    id: "11111111-1111-1111-1111-111111111111",
    file: join(dir, "detections", "ok.yml"),
    status: "production",
    datamodels: ["Endpoint.Processes"],
    loaded: true,
  });
  const bad = byName.get("Uses Xmlkv");
  assert.equal(bad.loaded, false);
  // The YAML line where the search is (line 9 of the file), then the construct's place in the expanded search:
  // "| tstats count from datamodel=Endpoint.Processes by Processes.dest | " is 69 characters, so column 70.
  assert.equal(
    bad.reason,
    `${join(dir, "detections", "bad.yml")}:9, detection "Uses Xmlkv": error [spl-unsupported] command 'xmlkv' at expanded search line 1, column 70`,
  );
  const flagship = byName.get("Remote Process Instantiation via WinRM and Winrs");
  assert.equal(flagship?.loaded, true, "built-in content included");
  assert.equal(flagship?.status, null, "the v1 flagship declares no status; validate does not invent one");
});

it("exits 0 when every detection can run, with a per-data-model summary", () => {
  const r = runCli(["validate"]);
  assert.equal(r.code, 0);
  assert.equal(
    r.stdout,
    [
      "ok    Remote Process Instantiation via WinRM and Winrs",
      "ok    WinRM Pack - Winrs Loopback Execution",
      "ok    WinRM Pack - Winrs Remote Execution Any Switch",
      "ok    WinRM Pack - WinrsHost Spawned Process",
      "ok    WinRM Pack - WinrsHost Started",
      "ok    WinRM Pack - Wsmprovhost Spawned Process",
      "ok    WinRM Pack - Wsmprovhost Started",
      "",
    ].join("\n"),
  );
  assert.match(r.stderr, /Endpoint\.Processes\s+7\/7\s+100\.0 %\s+7\/7\s+100\.0 %/);
  assert.match(r.stderr, /winnow validate: 7 of 7 detections can run in this build/);
});

describe("validate --datamodel: the listing, the summary and the exit code are about that data model", () => {
  // Bug report: `--datamodel Endpoint.Registry` listed 154 ok and 0 FAIL and exited 1 (a detection of another
  // data model could not run); `Bogus` and `endpoint.processes` silently listed nothing.
  const dir = tree({
    "fs.yml": detection(
      "44444444-4444-4444-4444-444444444444",
      "Filesystem Xmlkv",
      "| tstats count from datamodel=Endpoint.Filesystem by Filesystem.dest | xmlkv",
    ),
  });
  const summary = (s: string) => s.slice(s.indexOf("\ndata model"));

  it("exit 0 when the detections of the named data model can run, whatever the others do", () => {
    const r = runCli(["validate", "--content", dir, "--datamodel", "Endpoint.Processes"]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout.trimEnd().split("\n").length, 7);
    assert.ok(r.stdout.split("\n").every((l) => l === "" || l.startsWith("ok    ")));
    assert.equal(
      summary(r.stderr),
      [
        "",
        "data model                      loaded/total        active loaded/active",
        "Endpoint.Processes              7/7       100.0 %   7/7       100.0 %",
        "",
        "winnow validate: 7 of 7 detections reading Endpoint.Processes can run in this build",
        "",
      ].join("\n"),
    );
    const fs = runCli(["validate", "--content", dir, "--datamodel", "Endpoint.Filesystem"]);
    assert.equal(fs.code, 1);
    assert.match(fs.stdout, /^FAIL {2}Filesystem Xmlkv\n/);
    assert.match(
      fs.stderr,
      /\nwinnow validate: 0 of 1 detections reading Endpoint\.Filesystem can run in this build\n$/,
    );
  });

  it("a data model name in any case, as Splunk reads datamodel= names", () => {
    const exact = runCli(["validate", "--content", dir, "--datamodel", "Endpoint.Processes", "-f", "json"]);
    const lower = runCli(["validate", "--content", dir, "--datamodel", "endpoint.processes", "-f", "json"]);
    assert.equal(lower.code, 0);
    assert.equal(lower.stdout, exact.stdout);
    assert.equal(lower.stdout.trimEnd().split("\n").length, 7);
  });

  it("a data model no loaded detection reads is a usage error listing those read (exit 2)", () => {
    const r = runCli(["validate", "--content", dir, "--datamodel", "Bogus"]);
    assert.equal(
      r.stderr.split("\n").at(-2),
      "winnow: --datamodel Bogus: no loaded detection reads that data model; those read: Endpoint.Filesystem, Endpoint.Processes",
    );
    assert.equal(r.stdout, "");
    assert.equal(r.code, 2);
  });

  it("the corpus: Endpoint.Registry exits 0, and docs/normalization.md gives Endpoint.Processes as validate does", () => {
    const corpus = sharedPath("content/security_content");
    const registry = runCli([
      "validate",
      "--content",
      corpus,
      "--datamodel",
      "Endpoint.Registry",
      "-f",
      "json",
    ]);
    assert.equal(registry.code, 0);
    assert.equal(registry.stdout.trimEnd().split("\n").length, 154);
    assert.match(registry.stderr, /\nEndpoint\.Registry {15}154\/154 {3}100\.0 % {3}152\/152 {3}100\.0 %\n/);
    const processes = runCli(["validate", "--content", corpus, "--datamodel", "Endpoint.Processes"]);
    assert.equal(processes.code, 1);
    const row = /\nEndpoint\.Processes +(\d+)\/(\d+) +[\d.]+ % +(\d+)\/(\d+) +([\d.]+) %\n/.exec(
      processes.stderr,
    );
    assert.ok(row !== null, processes.stderr);
    const [, , , activeLoaded, active, pct] = row;
    const doc = readFileSync(join(REPO, "docs/normalization.md"), "utf8").replace(/\s+/g, " ");
    assert.ok(
      doc.includes(
        `--datamodel Endpoint.Processes\`: ${activeLoaded} of ${active} active detections load (${pct} %;`,
      ),
      `docs/normalization.md should say ${activeLoaded} of ${active} (${pct} %)`,
    );
  });
});

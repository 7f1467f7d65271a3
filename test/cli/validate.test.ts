/** `winnow validate`: every detection listed, loaded or not with the exact reason; JSON lines for scripts. */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "node:test";
import { detectionYaml } from "../support/detection-yaml.js";
import { runCli } from "../support/run-cli.js";

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

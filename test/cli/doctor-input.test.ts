/**
 * `winnow doctor` on a damaged log (bug report: exit 0 and only "(1 malformed records)", while hunt prints
 * the diagnostic with file, chunk, record and offset, and exits 3). doctor prints the same input
 * diagnostics as hunt and exits 3 as hunt does; its --help says so.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "node:test";
import { runCli } from "../support/run-cli.js";
import { sharedPath } from "../support/shared.js";

/** `head -c 100000` of a real EVTX (2 MB, so the cut is inside its second chunk). */
function truncatedEvtx(): string {
  const file = join(mkdtempSync(join(tmpdir(), "winnow-doctor-input-")), "truncated.evtx");
  writeFileSync(file, readFileSync(sharedPath("data/evtx-rs-samples/security.evtx")).subarray(0, 100_000));
  return file;
}

it("doctor on a truncated EVTX: hunt's diagnostics with offsets on stderr, exit 3 (text and json)", () => {
  const file = truncatedEvtx();
  const hunt = runCli(["hunt", file, "-f", "jsonl"]);
  assert.equal(hunt.code, 3);
  const huntDiagnostics = hunt.stderr.split("\n").filter((l) => l !== "" && !l.startsWith("winnow: "));
  assert.deepEqual(huntDiagnostics, [
    `${file}, chunk 1, offset 69632: warning [evtx-truncated] file ends 30368 bytes into a 65536-byte chunk`,
    `${file}, chunk 1, offset 69680: warning [evtx-chunk-damaged] chunk header: free space offset 65392 is out of range; reading records up to the chunk end`,
    `${file}, chunk 1, record 132, offset 99744: error [evtx-record-damaged] record 132: size 552 does not fit the chunk; the rest of the chunk was skipped`,
  ]);

  const text = runCli(["doctor", file]);
  assert.equal(text.stderr, `${huntDiagnostics.join("\n")}\n`);
  assert.match(text.stdout, /^Inputs: 1 file, \d+ events \(1 malformed records\)/);
  assert.equal(text.code, 3);

  const json = runCli(["doctor", file, "--format", "json"]);
  assert.equal(json.stderr, text.stderr);
  assert.equal(JSON.parse(json.stdout).diagnostics.length, 3);
  assert.equal(json.code, 3);

  const quiet = runCli(["doctor", file, "-q"]);
  assert.equal(quiet.stderr, "");
  assert.equal(quiet.code, 3);
});

it("doctor on readable logs: nothing on stderr, exit 0", () => {
  const r = runCli(["doctor", "examples/"]);
  assert.equal(r.stderr, "");
  assert.equal(r.code, 0);
});

it("doctor --help documents the exit codes and the input diagnostics", () => {
  const r = runCli(["doctor", "--help"]);
  assert.equal(r.code, 0);
  assert.ok(
    r.stdout.includes(
      "Exit codes: 0 the report was written; 2 usage or content error; 3 the report was written, but some input could\nnot be read (as hunt).\n",
    ),
    r.stdout,
  );
});

/**
 * A JSON line whose value is not an event object (an array of numbers, a number, a string, …) is one damaged
 * record, reported once at its line — not one per array element (tester's bug: `[1,2,3]` gave three
 * `json-malformed` warnings and three malformed records, in hunt and export alike).
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { runCli } from "../support/run-cli.js";
import { collect } from "./collect-events.js";
import { type TempDir, tempFiles } from "./temp-inputs.js";

const event = (host: string) =>
  JSON.stringify({
    EventID: 4688,
    Channel: "Security",
    SourceName: "Microsoft-Windows-Security-Auditing",
    Hostname: host,
    "@timestamp": "2024-01-02T03:04:05Z",
    NewProcessName: "C:\\Windows\\System32\\whoami.exe",
    CommandLine: "whoami",
  });

describe("JSON lines: a value that is not an event object", () => {
  const t: TempDir = tempFiles({
    "one-array.jsonl": `${[event("a"), "[1,2,3]", event("b")].join("\n")}\n`,
    "kinds.jsonl": `${[
      event("a"),
      "[1,2,3]",
      "42",
      '"just text"',
      "null",
      "[]",
      `[${event("b")}, 7, "x"]`,
      `[${event("c")}, ${event("d")}]`,
      "[[1, 2], [3]]",
    ].join("\n")}\n`,
  });
  after(() => t.cleanup());

  it("[1,2,3] on a line is one json-malformed warning and one malformed record", async () => {
    const c = await collect([t.path("one-array.jsonl")]);
    assert.deepEqual(
      c.events.map((e) => e.computer),
      ["a", "b"],
    );
    assert.deepEqual(
      c.diagnostics.map((d) => [d.code, d.severity, d.line, d.message]),
      [["json-malformed", "warning", 2, "a JSON array of 3 values that are not objects, not events"]],
    );
    assert.deepEqual(
      c.reports.map((r) => [r.events, r.malformed, r.problems]),
      [[2, 1, { "json-malformed": 1 }]],
    );
  });

  it("numbers, strings, null, empty and mixed arrays: one record per line; objects in a mixed array are read", async () => {
    const c = await collect([t.path("kinds.jsonl")]);
    assert.deepEqual(
      c.events.map((e) => [e.computer, e.origin.line]),
      [
        ["a", 1],
        ["b", 7],
        ["c", 8],
        ["d", 8],
      ],
    );
    assert.deepEqual(
      c.diagnostics.map((d) => [d.line, d.message]),
      [
        [2, "a JSON array of 3 values that are not objects, not events"],
        [3, "JSON number is not an event object"],
        [4, "JSON string is not an event object"],
        [5, "JSON null is not an event object"],
        [6, "an empty JSON array, not an event"],
        [7, "a JSON array with 2 values that are not objects, not events"],
        [9, "a JSON array of 3 values that are not objects, not events"],
      ],
    );
    assert.deepEqual(
      c.reports.map((r) => [r.events, r.malformed]),
      [[4, 7]],
    );
  });

  it("winnow export counts the [1,2,3] line once too", () => {
    const r = runCli(["export", t.path("one-array.jsonl"), "-f", "jsonl"]);
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stdout.trimEnd().split("\n").length, 2);
    assert.equal(r.stderr.match(/\[json-malformed\]/g)?.length, 1, r.stderr);
    assert.match(
      r.stderr,
      /winnow export: 2 events written from 1 file\(s\) read; 1 malformed record\(s\) skipped, 0 unreadable file\(s\)/,
    );
  });
});

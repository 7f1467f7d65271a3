/**
 * A JSON value nested deeper than the readers' recursive walks go (tens of thousands of levels, which JSON.parse
 * takes) is one broken record at its line, and the events after it are read: it stopped the file's reading with
 * a stack overflow ("reading stopped", every later event lost) and gave HEC a 500 for the whole request.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, it } from "node:test";
import { eventFromEnvelope } from "../../src/service/hec/envelope-event.js";
import { REPO } from "../support/shared.js";
import { collect } from "./collect-events.js";
import { type TempDir, tempFiles } from "./temp-inputs.js";

const DEPTH = 100_000;
const beat = readFileSync(`${REPO}examples/security-4688.winlogbeat.jsonl`, "utf8").split("\n")[0];
const temps: TempDir[] = [];
after(() => {
  for (const t of temps) t.cleanup();
});

it("a file: the deep line is json-malformed at its line, the next event is read", async () => {
  const deepArray = `${"[".repeat(DEPTH)}${"]".repeat(DEPTH)}`;
  const deepValue = beat.replace(
    '"CommandLine": ',
    `"Deep": ${"[".repeat(DEPTH)}${"]".repeat(DEPTH)}, "CommandLine": `,
  );
  const t = tempFiles({ "d.jsonl": `${deepArray}\n${deepValue}\n${beat}\n` });
  temps.push(t);
  const r = await collect([t.path("d.jsonl")]);
  assert.deepEqual(
    r.diagnostics.filter((d) => d.severity !== "info").map((d) => [d.code, d.line, d.message]),
    [
      ["json-malformed", 1, "JSON value nested too deeply to read as events"],
      ["json-malformed", 2, "JSON value nested too deeply to read as events"],
    ],
  );
  assert.deepEqual(
    r.events.map((e) => [e.origin.line, e.data.CommandLine]),
    [[3, 'winrs -remote:SRV-DB-03 "sc query"']],
  );
});

it("an HEC envelope: the event is unreadable, not a server error", () => {
  const event = JSON.parse(beat) as Record<string, unknown>;
  const text = JSON.stringify({ host: "h", event }).replace(
    '"CommandLine":',
    `"Deep":${"[".repeat(DEPTH)}${"]".repeat(DEPTH)},"CommandLine":`,
  );
  assert.deepEqual(eventFromEnvelope(text), {
    kind: "unreadable",
    reason: "event nested too deeply to read",
  });
});

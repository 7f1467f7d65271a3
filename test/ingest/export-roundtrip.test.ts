/**
 * `winnow export -f jsonl` writes JSON lines that `winnow hunt` reads back, with the same rows as over the
 * source (tester's bug 8: `hunt d.jsonl` skipped the export as "JSON without Windows events (1402 records of
 * no known event layout)"). Real inputs: the derived-positives EVTX files (the flagship fires on both) and an
 * NXLog/OTRF JSON whose times are local (the time-local-as-utc note survives the round trip).
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { after, describe, it } from "node:test";
import type { WinEvent } from "../../src/model/event.js";
import { runCli } from "../support/run-cli.js";
import { sharedPath } from "../support/shared.js";
import { collect } from "./collect-events.js";
import { tempFiles } from "./temp-inputs.js";

const DIR = sharedPath("data/derived-positives/");
const EVTX = readdirSync(DIR)
  .filter((n) => n.endsWith(".evtx"))
  .sort();
const OTRF = `${DIR}derived_winrs_otrf_workstation6.json`;
// MANIFEST: 40 XML events and 19 classic WinEventLog events (local times without a zone).
const CERTUTIL = sharedPath("data/splunk-attack-data/certutil_exe_certificate_extraction.raw");

const system = (e: WinEvent) =>
  JSON.stringify([
    e.provider,
    e.channel,
    e.eventId,
    e.version,
    e.computer,
    e.timeCreated,
    e.recordId,
    e.data,
  ]);
/** The summary's first line, without the file names. */
const summary = (stderr: string) =>
  stderr.split("\n").find((l) => l.startsWith("winnow: ") && l.includes(" read"));

describe("export -f jsonl → hunt: the same events and the same rows", () => {
  const t = tempFiles({});
  after(() => t.cleanup());

  it("the derived-positives EVTX files", async () => {
    assert.deepEqual(EVTX, [
      "derived_winrs_4688_fs03vuln.evtx",
      "derived_winrs_sysmon_Win10_APTSimulatorVM.evtx",
    ]);
    for (const name of EVTX) {
      const src = DIR + name;
      const out = t.path(`${name}.jsonl`);
      const x = runCli(["export", src, "-f", "jsonl", "-o", out]);
      assert.equal(x.code, 0, x.stderr);
      const expected = JSON.parse(readFileSync(`${src}.expected.json`, "utf8")) as {
        events_total: number;
        process_creation_events: number;
        expect: { row_count: number };
      };

      const a = await collect([src]);
      const b = await collect([out]);
      assert.equal(b.events.length, expected.events_total, name);
      assert.deepEqual(b.events.map(system), a.events.map(system), name);
      assert.deepEqual(b.diagnostics, [], name);
      assert.deepEqual(
        b.reports.map((r) => [r.format, r.events, r.malformed, r.skipped]),
        [["json", expected.events_total, 0, undefined]],
      );

      const h1 = runCli(["hunt", src, "-f", "jsonl"]);
      const h2 = runCli(["hunt", out, "-f", "jsonl"]);
      assert.equal(h1.code, 0, h1.stderr);
      assert.equal(h2.code, 0, h2.stderr);
      assert.ok(h1.stdout.split("\n").filter((l) => l !== "").length >= expected.expect.row_count, name);
      assert.equal(h2.stdout, h1.stdout, name);
      assert.equal(summary(h2.stderr), summary(h1.stderr), name);
      assert.match(
        summary(h2.stderr) ?? "",
        new RegExp(
          `^winnow: 1 file read; ${expected.events_total.toLocaleString("en-US")} events \\(${expected.process_creation_events} process\\)`,
        ),
      );
    }
  });

  it("JSON with @timestamp times, and classic text with local times: the same rows; the local-time note is kept", () => {
    // The flagship fires on the OTRF file (its expected.json); on certutil no built-in detection does.
    const cases: Array<[string, string, string, boolean]> = [
      [OTRF, "otrf.jsonl", "timestamp", true],
      [CERTUTIL, "certutil.jsonl", "local-as-utc", false],
    ];
    for (const [src, name, source, rows] of cases) {
      const out = t.path(name);
      assert.equal(runCli(["export", src, "-f", "jsonl", "-o", out]).code, 0);
      const sources = readFileSync(out, "utf8")
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => JSON.parse(l).time_source);
      assert.ok(sources.includes(source), name);
      const h1 = runCli(["hunt", src, "-f", "jsonl"]);
      const h2 = runCli(["hunt", out, "-f", "jsonl"]);
      assert.equal(h2.code, h1.code, h2.stderr);
      assert.equal(h2.stdout, h1.stdout, name);
      assert.equal(h1.stdout.length > 0, rows, name);
      assert.equal(summary(h2.stderr), summary(h1.stderr), name);
      assert.equal(/\[time-local-as-utc\]/.test(h2.stderr), source === "local-as-utc", name);
    }
  });
});

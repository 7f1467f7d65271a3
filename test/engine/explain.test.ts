/**
 * `hunt --explain` on real (derived) data from ../shared: each flagship row is tied to the one source
 * event behind it (file and line / record id), with the where-clause leaves that matched. Expected lines,
 * processes and which name clause holds come from the data's own expected.json (an independent checker),
 * not from our output.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { loadContent } from "../../src/content/index.js";
import type { RowExplanation } from "../../src/engine/explain.js";
import { explainedJsonlLines } from "../../src/engine/explain-text.js";
import { hunt } from "../../src/engine/hunt.js";
import type { ClauseOutcome } from "../../src/spl/explain-where.js";
import { whereExplainer } from "../../src/spl/explain-where.js";
import { createMacroTable, type Row } from "../../src/spl/index.js";

const SHARED = new URL("../../../shared/data/derived-positives/", import.meta.url).pathname;
const FLAGSHIP = "Remote Process Instantiation via WinRM and Winrs";

interface ExpectedEvent {
  ref: string;
  process_name: string;
  original_file_name: string;
  process: string;
  fires: boolean;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function expectedEvents(file: string): ExpectedEvent[] {
  const doc: unknown = JSON.parse(readFileSync(`${SHARED}${file}.expected.json`, "utf8"));
  assert.ok(isRecord(doc) && Array.isArray(doc.winrs_related_process_events));
  return doc.winrs_related_process_events.map((e: unknown) => {
    assert.ok(isRecord(e));
    return {
      ref: String(e.ref),
      process_name: String(e.process_name),
      original_file_name: String(e.original_file_name),
      process: String(e.process),
      fires: e.fires === true,
    };
  });
}

describe("hunt --explain", () => {
  it("ties each flagship row to its source line and shows which clause matched which value (OTRF JSON)", async () => {
    const file = "derived_winrs_otrf_workstation6.json";
    const expected = expectedEvents(file).filter((e) => e.fires);
    assert.equal(expected.length, 4);
    const content = loadContent([]);
    const result = await hunt({
      paths: [`${SHARED}${file}`],
      content,
      only: [FLAGSHIP],
      lateralMovement: false,
      explain: true,
    });
    const r = result.results.find((x) => x.detection.name === FLAGSHIP);
    assert.ok(r !== undefined && r.explain !== undefined);
    assert.equal(r.rows.length, 4);
    assert.equal(r.explain.length, 4);
    for (let i = 0; i < r.rows.length; i++) {
      const row: Row = r.rows[i];
      const x: RowExplanation = r.explain[i];
      const want: ExpectedEvent | undefined = expected.find((e) => e.process === row.process);
      assert.ok(want !== undefined, `row process ${String(row.process)} is one the checker says fires`);
      assert.equal(x.matches.length, 1);
      assert.equal(x.more, 0);
      assert.equal(x.note, undefined);
      const m = x.matches[0];
      assert.equal(`line ${m.source.line}`, want.ref);
      assert.equal(m.source.file, `${SHARED}${file}`);
      assert.equal(m.source.eventId, 1);
      assert.equal(m.source.mapping, "sysmon-1");
      const byText = new Map(m.clauses.map((c: ClauseOutcome) => [c.clause.text, c]));
      assert.deepEqual(
        [...byText.keys()],
        [
          'Processes.process_name="winrs.exe"',
          'Processes.original_file_name="winrs.exe"',
          'Processes.process="*-r:*"',
          'Processes.process="*-remote:*"',
        ],
      );
      assert.equal(
        byText.get('Processes.process_name="winrs.exe"')?.matched,
        want.process_name === "winrs.exe",
      );
      assert.deepEqual(byText.get('Processes.process_name="winrs.exe"')?.values, [want.process_name]);
      assert.equal(byText.get('Processes.original_file_name="winrs.exe"')?.matched, true);
      const remote = /-remote:/i.test(want.process);
      assert.equal(byText.get('Processes.process="*-remote:*"')?.matched, remote);
      assert.equal(byText.get('Processes.process="*-r:*"')?.matched, /-r:/i.test(want.process));
      assert.deepEqual(byText.get('Processes.process="*-r:*"')?.values, [want.process]);
    }
    // jsonl: the usual row plus an explain field naming the line.
    const lines = [...explainedJsonlLines([r])].map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.length, 4);
    for (const l of lines) {
      const ex = l.explain;
      assert.ok(isRecord(ex) && Array.isArray(ex.events) && ex.events.length === 1);
      const ev: unknown = ex.events[0];
      assert.ok(isRecord(ev));
      const want = expected.find((e) => e.process === l.process);
      assert.equal(`line ${String(ev.line)}`, want?.ref);
      assert.equal(l.detection, FLAGSHIP);
    }
  });

  it("names the EVTX record id of each row's 4688 event (libevtx: records 1101625, 1101626, 1101628)", async () => {
    const content = loadContent([]);
    const result = await hunt({
      paths: [`${SHARED}derived_winrs_4688_fs03vuln.evtx`],
      content,
      only: [FLAGSHIP],
      lateralMovement: false,
      explain: true,
    });
    const r = result.results[0];
    assert.ok(r.explain !== undefined);
    const byPid = new Map(
      r.rows.map((row, i) => [row.process_id, r.explain?.[i].matches.map((m) => m.source.recordId)]),
    );
    assert.deepEqual(Object.fromEntries(byPid), {
      "0xfa8": [1101626],
      "0xa0c": [1101625],
      "0x1280": [1101628],
    });
  });

  it("explain-where: negated leaves, IN lists and a search that is not tstats", () => {
    const macros = createMacroTable([]);
    const x = whereExplainer(
      "| tstats count from datamodel=Endpoint.Processes where Processes.parent_process_name=winrshost.exe NOT Processes.process_name=conhost.exe by Processes.dest",
      macros,
    );
    assert.ok(x !== undefined);
    assert.equal(x.dataset, "Endpoint.Processes");
    assert.deepEqual(x.byFields, [{ written: "Processes.dest", key: "dest" }]);
    assert.deepEqual(
      x.clauses.map((c) => [c.text, c.field, c.negated]),
      [
        ['Processes.parent_process_name="winrshost.exe"', "parent_process_name", false],
        ['Processes.process_name="conhost.exe"', "process_name", true],
      ],
    );
    const cmd = { parent_process_name: "WinrsHost.exe", process_name: "cmd.exe" };
    assert.equal(x.passes(cmd), true);
    assert.deepEqual(
      x.explain(cmd).map((o) => o.matched),
      [true, false],
    );
    assert.equal(x.passes({ parent_process_name: "winrshost.exe", process_name: "conhost.exe" }), false);
    assert.equal(whereExplainer("| makeresults | eval a=1", macros), undefined);
  });
});

/**
 * Field names from content (risk objects, threat objects, message tokens, expected rows) and from the search
 * (by-fields, fields used) that are also members of Object.prototype (`toString`, `constructor`, `valueOf`,
 * `__proto__`, …) are field names like any other: a row or record without the field has no value there.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import type { Detection } from "../../src/content/index.js";
import { loadContent } from "../../src/content/index.js";
import { doctor } from "../../src/engine/doctor.js";
import { producersOf } from "../../src/engine/doctor-data.js";
import { ExplainCollector } from "../../src/engine/explain.js";
import { hunt } from "../../src/engine/hunt.js";
import { riskEventsFor, riskMessageFor } from "../../src/engine/risk.js";
import { compareRows } from "../../src/engine/test-expected-rows.js";
import { contentctlVerdict, riskChecks } from "../../src/engine/test-pass-rule.js";
import type { WinEvent } from "../../src/model/event.js";
import { ENDPOINT_PROCESSES } from "../../src/normalize/maps/endpoint-processes.js";
import { SOURCE_MAPPINGS } from "../../src/normalize/registry.js";
import { runStats } from "../../src/output/run-stats.js";
import { createMacroTable } from "../../src/spl/index.js";
import { tempFiles } from "../ingest/temp-inputs.js";
import { detectionYaml } from "../support/detection-yaml.js";

const WINRSHOST = new URL(
  "../../../shared/data/evtx-attack-samples/LM_winrm_exec_sysmon_1_winrshost.evtx",
  import.meta.url,
).pathname;

const flagship = loadContent([]).detections[0]!;

/** A flagship output row, ctime already applied. */
const row = {
  dest: "WS-12.corp.example",
  user: "alice",
  process_name: "winrs.exe",
  count: 1,
  lastTime: "2023-11-14T22:13:20",
};

/** The flagship with other risk declarations. */
function withRisk(risk: Partial<Detection["risk"]>): Detection {
  return { ...flagship, risk: { ...flagship.risk, ...risk } };
}

describe("risk events: a risk, threat or message field that Object.prototype has", () => {
  it("is missing from a row that lacks it", () => {
    const d = withRisk({
      message: "on $toString$ from $dest$ by $constructor",
      objects: [
        { field: "valueOf", type: "user", score: 5 },
        { field: "dest", type: "system", score: 54 },
      ],
      threats: [{ field: "hasOwnProperty", type: "process" }],
    });
    const r = riskEventsFor(d, row, 1700000000);
    assert.deepEqual(
      r.diagnostics.map((x) => [x.code, x.message]),
      [
        [
          "risk-object-missing",
          'risk object field "valueOf" is missing in a result row; no risk event for it',
        ],
      ],
    );
    assert.deepEqual(
      r.events.map((e) => [e.risk_object, e.risk_message, e.threat_object]),
      [["WS-12.corp.example", "on  from WS-12.corp.example by ", undefined]],
    );
    assert.equal(riskMessageFor("$toString.x", row), riskMessageFor("$nosuch.x", row));
    assert.equal(riskMessageFor("$toString.x", row), ".x");
  });
});

describe("test verdicts: a risk field or message token that Object.prototype has", () => {
  const columns = Object.keys(row);

  it("a risk object field the rows lack fails the test", () => {
    const d = withRisk({ objects: [{ field: "toString", type: "system", score: 54 }] });
    assert.equal(
      contentctlVerdict(d, [row], columns),
      'result 1 of 1: risk object field "toString" is not in the result (the search outputs dest, user, process_name, count, lastTime)',
    );
  });

  it("a threat object field the rows lack is reported missing", () => {
    const d = withRisk({ threats: [{ field: "constructor", type: "process" }] });
    assert.equal(
      contentctlVerdict(d, [row], columns),
      'no result has every threat object field: "constructor" missing or "null" in all 1 result(s) (the search outputs dest, user, process_name, count, lastTime)',
    );
  });

  it("a message token the rows lack is left unreplaced", () => {
    const d = withRisk({ message: "from $dest$ by $valueOf$" });
    assert.deepEqual(riskChecks(d, [row], riskEventsFor(d, row, 1700000000).events), [
      'risk message token $valueOf$ is left unreplaced: "valueOf" has no value in 1 of 1 result(s) (first: result 1)',
    ]);
  });
});

describe("expected rows: a field that Object.prototype has", () => {
  it("an expected null matches a row without the field", () => {
    const d = compareRows([{ dest: "h", toString: null, constructor: null }], [{ dest: "h" }]);
    assert.deepEqual(d, { fields: ["dest", "toString", "constructor"], missing: [], unexpected: [] });
  });

  it("__proto__ is compared as a field", () => {
    const expected = [JSON.parse('{"dest": "h", "__proto__": "x"}') as Record<string, unknown>];
    const actual = (v: string) => [
      Object.fromEntries([
        ["dest", "h"],
        ["__proto__", v],
      ]),
    ];
    assert.deepEqual(compareRows(expected, actual("x")), {
      fields: ["dest", "__proto__"],
      missing: [],
      unexpected: [],
    });
    const d = compareRows(expected, actual("y"));
    assert.deepEqual(
      [d.missing.map((r) => JSON.stringify(r)), d.unexpected.map((r) => JSON.stringify(r))],
      [['{"dest":"h","__proto__":"x"}'], ['{"dest":"h","__proto__":"y"}']],
    );
  });
});

describe("--explain: a by-field that Object.prototype has", () => {
  it("is not found in a row that lacks it", () => {
    const d = {
      ...flagship,
      search: "| tstats fillnull_value=x count from datamodel=Endpoint.Processes by toString | table count",
    };
    const x = new ExplainCollector(d, createMacroTable([]));
    const event: WinEvent = {
      provider: "Microsoft-Windows-Sysmon",
      channel: "Microsoft-Windows-Sysmon/Operational",
      eventId: 1,
      computer: "h",
      data: {},
      origin: { file: "f.xml", line: 3 },
    };
    x.offer("Endpoint.Processes", { dest: "h" }, event, "sysmon-1");
    const [e] = x.explain([{ count: 1 }]);
    assert.deepEqual(
      [e.matches.map((m) => m.source.line), e.note],
      [[3], "no by-field survives in the row: every event that passed the where clause is listed"],
    );
  });
});

describe("doctor: a field used by the search that Object.prototype has", () => {
  it("is produced by no mapping, present in no record and has no fill value", async () => {
    assert.deepEqual(producersOf(SOURCE_MAPPINGS, ENDPOINT_PROCESSES, "Endpoint.Processes", "toString"), []);
    assert.deepEqual(
      producersOf(SOURCE_MAPPINGS, ENDPOINT_PROCESSES, "Endpoint.Processes", "constructor"),
      [],
    );
    const t = tempFiles({
      "content/detections/d.yml": detectionYaml({
        id: "11111111-2222-3333-4444-555555555555",
        name: "Proto Field",
        search:
          "| tstats count from datamodel=Endpoint.Processes where Processes.toString=x by Processes.dest",
      }),
    });
    try {
      const r = await doctor({
        paths: [WINRSHOST],
        content: loadContent([t.path("content")], { builtin: false }),
      });
      const d = r.detections.find((x) => x.name === "Proto Field");
      assert.ok(d);
      assert.deepEqual(
        d.fields.filter((f) => f.field === "toString"),
        [{ dataset: "Endpoint.Processes", field: "toString", records: 0, of: 3, producers: [] }],
      );
      assert.ok(
        d.reasons.includes(
          "toString is never present in 3 Endpoint.Processes records; sysmon-1 cannot produce it",
        ),
      );
    } finally {
      t.cleanup();
    }
  });
});

describe("hunt: per-file counts of files named like Object.prototype members", () => {
  it("count each file on its own, and leave Object.prototype alone", async () => {
    const names = ["constructor", "__proto__", "toString", "plain"];
    const t = tempFiles(Object.fromEntries(names.map((n) => [n, readFileSync(WINRSHOST)])));
    const cwd = process.cwd();
    process.chdir(t.dir);
    try {
      const h = await hunt({ paths: names, content: loadContent([]), lateralMovement: false });
      assert.deepEqual(
        names.map((n) => [n, h.stats.mappedByFile[n], h.stats.datasetsByFile[n]]),
        names.map((n) => [n, 3, { "Endpoint.Processes": 3 }]),
      );
      assert.deepEqual(
        runStats(h).files.map((f) => [f.file, f.events, f.process_events, f.datasets]),
        names.map((n) => [n, 3, 3, { "Endpoint.Processes": 3 }]),
      );
      assert.equal(Object.hasOwn(Object.prototype, "Endpoint.Processes"), false);
    } finally {
      process.chdir(cwd);
      t.cleanup();
    }
  });
});

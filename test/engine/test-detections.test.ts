/**
 * `testDetections` end to end: the flagship's shipped tests pass; broken copies of the flagship fail with
 * the reason; the mixed fixture tree gives each outcome kind; the security_content corpus reports every
 * test as "data missing" with counts worked out independently (a PyYAML count of the corpus files).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { loadContent } from "../../src/content/index.js";
import { parseDataRoot, withDefaultRoots } from "../../src/engine/test-data-roots.js";
import { type TestOutcome, testDetections } from "../../src/engine/test-detections.js";
import { REPO, sharedPath } from "../support/shared.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/test-cmd/", import.meta.url));
const FLAGSHIP = "Remote Process Instantiation via WinRM and Winrs";
const roots = withDefaultRoots([]);

const brief = (o: TestOutcome) => [o.test, o.status, o.rows];

describe("the flagship's shipped tests", () => {
  it("all pass, with the row counts of examples/README.md and the shared *.expected.json files", async () => {
    const run = await testDetections({ content: loadContent([]), dataRoots: roots, only: [FLAGSHIP] });
    assert.deepEqual(run.outcomes.map(brief), [
      // examples/README.md: 3 Sysmon positives, 1 Security 4688 positive
      ["examples, Sysmon 1 in XmlWinEventLog (winrs -r:, WINRS.EXE -Remote:, renamed winrs)", "pass", 3],
      ["examples, Security 4688 in Winlogbeat JSON (bare winrs rebuilt from NewProcessName)", "pass", 1],
      // MANIFEST.md derived-positives table: 4, 3, 7, 4 expected rows
      ["derived positives, Sysmon EVTX (Win10 APTSimulatorVM)", "pass", 4],
      ["derived positives, Security 4688 EVTX (fs03vuln)", "pass", 3],
      ["derived positives, XmlWinEventLog Sysmon and 4688 (attackrange)", "pass", 7],
      ["derived positives, OTRF NXLog JSON (workstation6)", "pass", 4],
      ["near miss, target side (WinrsHost.exe and its cmd.exe child)", "pass", 0],
      ["near miss, PowerShell remoting target (child of wsmprovhost.exe)", "pass", 0],
      ["near miss, cmd.exe running winrm get winrm/config/winrs (4688)", "pass", 0],
    ]);
    assert.ok(run.outcomes.every((o) => o.detection === FLAGSHIP && o.messages.length === 0));
    // One risk event per row (one risk object, dest, always present).
    assert.deepEqual(
      run.outcomes.map((o) => o.risk_events),
      [3, 1, 4, 3, 7, 4, 0, 0, 0],
    );
    // Formats detected from content: MANIFEST.md's format column.
    assert.deepEqual(
      run.outcomes.map((o) => o.data.map((d) => d.format)),
      [["xml"], ["json"], ["evtx"], ["evtx"], ["xml"], ["json"], ["evtx"], ["evtx"], ["json"]],
    );
    assert.deepEqual(
      run.outcomes.map((o) => o.data[0]?.events),
      // examples: 8 + 3 lines; MANIFEST records/events: 1402, 4, 14, 7, 3, 1, 1
      [8, 3, 1402, 4, 14, 7, 3, 1, 1],
    );
    assert.deepEqual(run.summary, { ...run.summary, tests: 9, passed: 9, failed: 0, errors: 0, skipped: 0 });
  });

  it("resolves shared: through --data-root shared:=DIR, and reports data missing when DIR lacks the files", async () => {
    const elsewhere = parseDataRoot(`shared:=${REPO}examples`, "/");
    const run = await testDetections({
      content: loadContent([]),
      dataRoots: withDefaultRoots(elsewhere),
      only: [FLAGSHIP],
    });
    assert.deepEqual(
      run.outcomes.map((o) => o.status),
      ["pass", "pass", "skip", "skip", "skip", "skip", "skip", "skip", "skip"],
    );
    assert.equal(
      run.outcomes[2]?.messages[0],
      `data missing: shared:data/derived-positives/derived_winrs_sysmon_Win10_APTSimulatorVM.evtx (${REPO}examples/data/derived-positives/derived_winrs_sysmon_Win10_APTSimulatorVM.evtx): no such file`,
    );
    assert.equal(run.summary.data_missing, 7);
  });
});

describe("broken copies of the flagship fail and say why", () => {
  it("a wrong field name in the search (Processes.dst): the risk object dest is not in the results", async () => {
    const content = loadContent([`${FIXTURES}broken-field`]);
    const run = await testDetections({ content, dataRoots: roots, only: [FLAGSHIP] });
    assert.equal(run.outcomes.length, 1);
    const o = run.outcomes[0]!;
    assert.equal(o.status, "fail");
    assert.equal(o.rows, 3);
    assert.deepEqual(o.messages, [
      'result 1 of 3: risk object field "dest" is not in the result (the search outputs dst, user, parent_process_name, process_name, process, process_id, parent_process_id, count, firstTime, lastTime)',
      'risk object "dest" (type system, score 54) yielded no risk event with that type and score',
      'risk message token $dest is left unreplaced: "dest" has no value in 3 of 3 result(s) (first: result 1)',
    ]);
  });

  it("a risk object field the search does not output (observable dest_host)", async () => {
    const content = loadContent([`${FIXTURES}risk-object-not-in-output`]);
    const run = await testDetections({ content, dataRoots: roots, only: [FLAGSHIP] });
    assert.deepEqual(
      run.outcomes.map((o) => [o.status, o.messages]),
      [
        [
          "fail",
          [
            'result 1 of 3: risk object field "dest_host" is not in the result (the search outputs dest, user, parent_process_name, process_name, process, process_id, parent_process_id, count, firstTime, lastTime)',
            'risk object "dest_host" (type system, score 54) yielded no risk event with that type and score',
          ],
        ],
      ],
    );
  });
});

describe("the mixed fixture tree", () => {
  // With the built-in content (its macros); the built-in detections' tests are left out of the lists.
  const content = loadContent([`${FIXTURES}mixed`]);
  const fixtures = (outcomes: TestOutcome[]) =>
    outcomes.filter((o) => o.detection.startsWith("Winnow Fixture"));

  it("gives pass, fail, error and skip with their reasons; deprecated and untested detections are counted", async () => {
    const run = await testDetections({ content, dataRoots: roots });
    const base = `${FIXTURES}mixed/detections/endpoint`;
    assert.deepEqual(
      // An error's message is the SPL engine's; only its code is pinned here.
      fixtures(run.outcomes).map((o) => [
        o.detection,
        o.test,
        o.status,
        o.status === "error" ? o.messages.map((m) => m.slice(0, m.indexOf("]") + 1)) : o.messages,
      ]),
      [
        ["Winnow Fixture Exact Rows", "rows as expected", "pass", []],
        [
          "Winnow Fixture Exact Rows",
          "rows differ",
          "fail",
          [
            'expected 3 row(s), got 3; compared on dest, user, process_name; 1 expected row(s) not returned: {"dest":"WKS-FIN-07.contoso.example","user":"jdoe","process_name":"winrs.exe"}; 1 unexpected row(s): {"dest":"WKS-FIN-07.contoso.example","user":"j.doe","process_name":"winrs.exe"}',
          ],
        ],
        ["Winnow Fixture Exact Rows", "rows from a JSON lines file", "pass", []],
        [
          "Winnow Fixture Exact Rows",
          "positive data where none is expected",
          "fail",
          [
            'expected no results, got 3; first: {"count":1,"dest":"WKS-FIN-07.contoso.example","user":"j.doe","process_name":"WINRS.EXE"}',
          ],
        ],
        [
          "Winnow Fixture Exact Rows",
          "data missing (relative path)",
          "skip",
          [`data missing: attack_data/not_here.log (${base}/attack_data/not_here.log): no such file`],
        ],
        [
          "Winnow Fixture Exact Rows",
          "attack_data URL",
          "skip",
          [
            "data missing: https://media.githubusercontent.com/media/splunk/attack_data/master/sysmon-operational.xml.log: no data root maps this reference; map its URL prefix with --data-root PREFIX=DIR (or --data-root DIR for a clone of splunk/attack_data)",
          ],
        ],
        ["Winnow Fixture Exact Rows", "sourcetype names another format", "pass", []],
        [
          "Winnow Fixture Exact Rows",
          "empty expected list on positive data",
          "fail",
          [
            'expected no results, got 3; first: {"count":1,"dest":"WKS-FIN-07.contoso.example","user":"j.doe","process_name":"WINRS.EXE"}',
          ],
        ],
        [
          "Winnow Fixture Message Token",
          "message token with no field",
          "fail",
          [
            'risk message token $src_ip$ is left unreplaced: "src_ip" has no value in 3 of 3 result(s) (first: result 1)',
          ],
        ],
        ["Winnow Fixture Raw Search", "raw search", "error", ["the search cannot run: [spl-unsupported]"]],
        [
          "Winnow Fixture Threat Object Missing",
          "threat object not in the output",
          "fail",
          [
            'no result has every threat object field: "process_hash" missing or "null" in all 3 result(s) (the search outputs dest, user, process_name, count)',
          ],
        ],
      ],
    );
    assert.deepEqual(fixtures(run.outcomes)[6]?.notes, [
      "../../../../../../examples/security-4688.winlogbeat.jsonl: sourcetype XmlWinEventLog names xml, but the content is json; read as json",
    ]);
    // 2 risk objects (dest, user) × 3 rows
    assert.equal(fixtures(run.outcomes)[0]?.risk_events, 6);
    // The fixture tree's own counts: this run's minus those of the built-in content alone.
    const alone = (await testDetections({ content: loadContent([]), dataRoots: roots })).summary;
    const counts = Object.fromEntries(
      Object.entries(run.summary)
        .filter(([k]) => k !== "seconds")
        .map(([k, v]) => [k, v - alone[k as keyof typeof alone]]),
    );
    assert.deepEqual(counts, {
      tests: 11,
      passed: 3,
      failed: 5,
      errors: 1,
      skipped: 2,
      data_missing: 2,
      detections: 4,
      detections_without_tests: 1,
      deprecated_not_tested: 1,
    });
  });

  it("maps an attack_data URL with a data root, and tests a deprecated detection when asked", async () => {
    const dataRoots = withDefaultRoots(
      parseDataRoot(
        `https://media.githubusercontent.com/media/splunk/attack_data/master/=${REPO}examples`,
        "/",
      ),
    );
    const run = await testDetections({ content, dataRoots, includeDeprecated: true });
    const url = run.outcomes.find((o) => o.test === "attack_data URL");
    assert.deepEqual(
      [url?.status, url?.rows, url?.data[0]?.path],
      ["pass", 3, `${REPO}examples/sysmon-operational.xml.log`],
    );
    const dep = run.outcomes.find((o) => o.detection === "Winnow Fixture Deprecated");
    assert.deepEqual([dep?.status, dep?.rows], ["pass", 3]);
    assert.equal(run.summary.deprecated_not_tested, 0);
  });

  it("runs only the named detections (by name or id)", async () => {
    const run = await testDetections({
      content,
      dataRoots: roots,
      only: ["winnow fixture message token", "11111111-0000-4000-8000-000000000004"],
    });
    assert.deepEqual(
      run.outcomes.map((o) => [o.detection, o.status]),
      [
        ["Winnow Fixture Message Token", "fail"],
        ["Winnow Fixture Raw Search", "error"],
      ],
    );
  });
});

describe("the security_content corpus", () => {
  it("reports every test as data missing (no attack_data on this machine); counts from a PyYAML count", async () => {
    // The corpus alone (it has its own macros), so that built-in content cannot change the counts.
    const content = loadContent([sharedPath("content/security_content")], { builtin: false });
    const run = await testDetections({ content, dataRoots: roots });
    const { seconds: _, ...counts } = run.summary;
    // PyYAML over detections/**/*.yml: 1509 files with a non-empty tests: list, 11 of them deprecated;
    // 1498 tested detections hold 1503 tests; 202 files have no tests (1711 files in all).
    assert.deepEqual(counts, {
      tests: 1503,
      passed: 0,
      failed: 0,
      errors: 0,
      skipped: 1503,
      data_missing: 1503,
      detections: 1498,
      detections_without_tests: 202,
      deprecated_not_tested: 11,
    });
    // PyYAML: 1521 attack_data entries in those tests, 1517 under the media.githubusercontent.com
    // prefix and 4 under raw.githubusercontent.com; no root maps either, so each is reported.
    const prefixes = new Map<string, number>();
    for (const m of run.outcomes.flatMap((o) => o.messages)) {
      const p = /^data missing: (https:\/\/[^/]+\/)/.exec(m)?.[1] ?? m;
      prefixes.set(p, (prefixes.get(p) ?? 0) + 1);
    }
    assert.deepEqual(Object.fromEntries(prefixes), {
      "https://media.githubusercontent.com/": 1517,
      "https://raw.githubusercontent.com/": 4,
    });
    const flagship = run.outcomes.filter((o) => o.detection === FLAGSHIP);
    assert.deepEqual(
      flagship.map((o) => [o.test, o.data.map((d) => d.data)]),
      [
        [
          "True Positive Test",
          [
            "https://media.githubusercontent.com/media/splunk/attack_data/master/datasets/attack_techniques/T1021.006/lateral_movement/windows-sysmon.log",
          ],
        ],
      ],
    );
  });
});

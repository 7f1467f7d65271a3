/**
 * `winnow test` on a v1 detection that has no `tests:` block but lists its attack data the old way, in
 * `tags.dataset` (SEMANTICS.md §6): the files are replayed as one test named "tags.dataset", without a
 * source or sourcetype (the format comes from the content), and contentctl's pass rule (§7) decides.
 *
 * The fixture is written to a temp dir: a copy of the flagship's search under another name and id, whose
 * `tags.dataset` names an attack_data-style URL (mapped with --data-root to ../shared/data) and an
 * absolute path to examples/. The row counts were worked out from the raw events:
 * - derived-positives/derived_winrs_4688_fs03vuln.evtx (evtxexport -f xml): 4 Security 4688 events of
 *   winrs.exe on fs03vuln.offsec.lan. Records 1101625 (`winrs -r:dc1 hostname`), 1101626
 *   (`winrs.exe -R:dc01.offsec.lan …`: the match ignores case) and 1101628 (`… -remote:dc01 whoami`) match
 *   `*-r:*`/`*-remote:*`; 1101627 (`winrs /r:dc01 …`) does not. Three process ids: 3 rows.
 * - examples/sysmon-operational.xml.log (examples/README.md): records 48211, 48230 and 48255 fire, on
 *   WKS-FIN-07.contoso.example with three different command lines: 3 rows.
 * So 6 rows, and 6 risk events (one per row: the observable dest, role Victim, is a `system` risk object).
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { loadContent } from "../../src/content/index.js";
import { parseDataRoot, withDefaultRoots } from "../../src/engine/test-data-roots.js";
import { testDetections } from "../../src/engine/test-detections.js";
import { runCli } from "../support/run-cli.js";
import { REPO, SHARED } from "../support/shared.js";

const NAME = "Winnow Fixture Tags Dataset";
const ID = "11111111-0000-4000-8000-0000000000d1";
const URL_PREFIX = "https://media.githubusercontent.com/media/splunk/attack_data/master/datasets/";
const EVTX_REF = `${URL_PREFIX}derived-positives/derived_winrs_4688_fs03vuln.evtx`;
const EXAMPLE = `${REPO}examples/sysmon-operational.xml.log`;
const ROOT_SPEC = `${URL_PREFIX}=${SHARED}data`;

const YAML = `name: ${NAME}
id: ${ID}
version: 1
date: '2026-12-04'
author: Winnow fixture
type: TTP
datamodel:
- Endpoint
description: The flagship's search in the v1 schema, with its attack data in tags.dataset and no tests block.
search: '| tstats \`security_content_summariesonly\` count min(_time) as firstTime max(_time)
  as lastTime from datamodel=Endpoint.Processes where (Processes.process_name=winrs.exe OR
  Processes.original_file_name=winrs.exe) (Processes.process="*-r:*" OR Processes.process="*-remote:*")
  by Processes.dest Processes.user Processes.parent_process_name Processes.process_name Processes.process
  Processes.process_id Processes.parent_process_id | \`drop_dm_object_name(Processes)\` | \`security_content_ctime(firstTime)\`
  | \`security_content_ctime(lastTime)\`'
how_to_implement: Fixture.
known_false_positives: None.
references: []
tags:
  analytic_story:
  - Winnow Fixtures
  asset_type: Endpoint
  confidence: 60
  impact: 90
  message: A process was started on a remote endpoint from $dest$
  mitre_attack_id:
  - T1021.006
  observable:
  - name: dest
    type: Endpoint
    role:
    - Victim
  risk_score: 54
  security_domain: endpoint
  dataset:
  - ${EVTX_REF}
  - ${EXAMPLE}
`;

function fixtureTree(): string {
  const tree = mkdtempSync(path.join(tmpdir(), "winnow-tags-dataset-"));
  mkdirSync(path.join(tree, "detections", "endpoint"), { recursive: true });
  writeFileSync(path.join(tree, "detections", "endpoint", "winnow_fixture_tags_dataset.yml"), YAML);
  return tree;
}

describe("a v1 detection with tags.dataset and no tests block", () => {
  const tree = fixtureTree();

  it("gets one test named tags.dataset that replays every listed file, and passes with 6 rows", async () => {
    const content = loadContent([tree]);
    const detection = content.detections.find((d) => d.id === ID);
    assert.ok(detection, "the fixture detection loads");
    assert.deepEqual(detection.tests, [
      { name: "tags.dataset", attackData: [{ data: EVTX_REF }, { data: EXAMPLE }] },
    ]);

    const run = await testDetections({
      content,
      dataRoots: withDefaultRoots(parseDataRoot(ROOT_SPEC, "/")),
      only: [ID],
    });
    assert.equal(run.outcomes.length, 1);
    const o = run.outcomes[0]!;
    assert.deepEqual(
      [o.detection, o.test, o.kind, o.status, o.messages, o.rows, o.risk_events],
      [NAME, "tags.dataset", "positive", "pass", [], 6, 6],
    );
    // No sourcetype given: each format is detected from the file. Events: 4 EVTX records, 8 XML lines.
    assert.deepEqual(
      o.data.map((d) => [d.data, d.path, d.format, d.events, d.missing]),
      [
        [EVTX_REF, `${SHARED}data/derived-positives/derived_winrs_4688_fs03vuln.evtx`, "evtx", 4, undefined],
        [EXAMPLE, EXAMPLE, "xml", 8, undefined],
      ],
    );
    assert.deepEqual(
      [run.summary.tests, run.summary.passed, run.summary.failed, run.summary.skipped],
      [1, 1, 0, 0],
    );
  });

  it("is skipped as data missing when no data root maps the URL", async () => {
    const run = await testDetections({
      content: loadContent([tree]),
      dataRoots: withDefaultRoots([]),
      only: [ID],
    });
    assert.deepEqual(
      run.outcomes.map((o) => [o.status, o.rows]),
      [["skip", 0]],
    );
    assert.equal(run.summary.data_missing, 1);
  });

  it("winnow test --data-root PREFIX=DIR passes it (exit 0, 6 rows, 6 risk events)", () => {
    const r = runCli(["test", "--content", tree, "--data-root", ROOT_SPEC, "--format", "json", "-q", ID]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split("\n");
    assert.equal(lines.length, 1);
    const o = JSON.parse(lines[0]!) as { test: string; status: string; rows: number; risk_events: number };
    assert.deepEqual([o.test, o.status, o.rows, o.risk_events], ["tags.dataset", "pass", 6, 6]);
  });
});

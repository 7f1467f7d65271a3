/**
 * The mapping tables and the SPL engine agree on dataset names: every `from datamodel=…` spelling the corpus
 * uses for the mapped data models compiles to a dataset that has a source table and CIM defaults, and a
 * real normalized event answers an ESCU-style tstats over it (field names without the object prefix).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DATASET_DEFAULTS, SOURCE_MAPPINGS } from "../../src/normalize/registry.js";
import { compileSearch, createMacroTable, type Row } from "../../src/spl/index.js";
import { normalize, realEvent } from "./real-event.js";

const options = {
  macros: createMacroTable([], { generateFilters: true }),
  lookups: { get: () => undefined },
};

function compile(spl: string) {
  const r = compileSearch(spl, options);
  assert.deepEqual(r.diagnostics, [], spl);
  assert.ok(r.search);
  return r.search;
}

describe("dataset names", () => {
  for (const [spelling, dataset] of [
    ["Endpoint.Processes", "Endpoint.Processes"],
    ["Endpoint.Filesystem", "Endpoint.Filesystem"],
    ["Endpoint.Registry", "Endpoint.Registry"],
    ["Network_Traffic.All_Traffic", "Network_Traffic.All_Traffic"],
    ["Network_Traffic", "Network_Traffic.All_Traffic"],
  ] as const) {
    it(`datamodel=${spelling} reads ${dataset}, which has a source table and CIM defaults`, () => {
      assert.deepEqual(compile(`| tstats count from datamodel=${spelling}`).datasets, [dataset]);
      assert.ok(SOURCE_MAPPINGS.some((m) => m.dataset === dataset));
      assert.ok(DATASET_DEFAULTS.some((d) => d.dataset === dataset));
    });
  }

  it("has exactly one defaults entry per mapped dataset", () => {
    const mapped = [...new Set(SOURCE_MAPPINGS.map((m) => m.dataset))].sort();
    assert.deepEqual(DATASET_DEFAULTS.map((d) => d.dataset).sort(), mapped);
  });
});

describe("normalized records answer ESCU-style tstats", () => {
  async function rows(spl: string, file: string, recordId: number): Promise<readonly Row[]> {
    const { dataset, record } = normalize(await realEvent(file, recordId));
    const s = compile(spl).start();
    s.push(dataset, record as Row);
    return s.finish().rows;
  }

  it("Registry: a service ImagePath value set (Sysmon 13)", async () => {
    const r = await rows(
      '| tstats count from datamodel=Endpoint.Registry where Registry.registry_path="*\\\\SYSTEM\\\\CurrentControlSet\\\\Services*" Registry.registry_value_name=Start Registry.registry_value_data="0x00000003" by Registry.dest Registry.registry_key_name Registry.action Registry.user',
      "evtx-attack-samples/LM_sysmon_psexec_smb_meterpreter.evtx",
      9805,
    );
    assert.deepEqual(r, [
      {
        "Registry.dest": "IEWIN7",
        "Registry.registry_key_name": "hello",
        "Registry.action": "modified",
        "Registry.user": "unknown",
        count: 1,
      },
    ]);
  });

  it("Filesystem: a deleted file (Sysmon 23)", async () => {
    const r = await rows(
      "| tstats count from datamodel=Endpoint.Filesystem where Filesystem.action=deleted Filesystem.file_name=*.ps1 by Filesystem.user Filesystem.file_hash",
      "otrf-security-datasets/covenant_com_wsman_automation.zip",
      386330,
    );
    assert.equal(r.length, 1);
    assert.equal(r[0]["Filesystem.user"], "pgustavo");
    assert.equal(r[0].count, 1);
  });

  it("All_Traffic: an SMB connection through the bare Network_Traffic spelling (Sysmon 3)", async () => {
    const r = await rows(
      "| tstats count from datamodel=Network_Traffic where All_Traffic.dest_port=445 All_Traffic.direction=outbound by All_Traffic.src All_Traffic.dest All_Traffic.app",
      "evtx-attack-samples/LM_wmiexec_impacket_sysmon_whoami.evtx",
      9830,
    );
    assert.deepEqual(r, [
      { "All_Traffic.src": "IEWIN7", "All_Traffic.dest": "IEWIN7", "All_Traffic.app": "System", count: 1 },
    ]);
  });
});

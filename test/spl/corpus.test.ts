/**
 * Corpus smoke test (issue 4): every active tstats-on-Endpoint.Processes detection in the shared
 * security_content compiles with the content's macros and lookups (+ the built-in
 * drop_dm_object_name and generated _filter macros), and each compiled search runs over a few
 * records without throwing. The figures are pinned: a change in either direction must be looked at
 * (docs/semantics.md lists the reasons for the rest).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compileSearch, createMacroTable } from "../../src/spl/index.js";
import { loadLookups, loadMacros, processesDetections } from "./corpus-content.js";

describe("security_content Endpoint.Processes corpus", () => {
  const detections = processesDetections();
  const macros = createMacroTable(loadMacros(), { generateFilters: true });
  const lookups = loadLookups();
  const results = detections.map((d) => ({
    d,
    r: compileSearch(d.search, { macros, lookups, origin: { detection: d.name, file: d.file } }),
  }));

  it("finds the active tstats detections over Endpoint.Processes", () => {
    assert.equal(detections.length, 551);
  });

  it("compiles all but the pinned failures, each for the pinned reason", () => {
    const failed = results
      .filter((x) => x.r.search === undefined)
      .map(
        (x) =>
          `${x.d.file}: ${x.r.diagnostics[0].code} ${x.r.diagnostics[0].message.replace(/ at expanded.*/, "")}`,
      );
    assert.deepEqual(failed, [
      "detect_remote_access_software_usage_process.yml: spl-unsupported lookup 'asset_lookup_by_str' is not defined or cannot be read",
      "detect_suspicious_processnames_using_pretrained_model_in_dsdl.yml: spl-unsupported command 'apply'",
      "first_time_seen_child_process_of_zoom.yml: spl-syntax unexpected character '@' in expression",
      "potentially_malicious_code_on_commandline.yml: spl-unsupported command 'apply'",
      "unusually_long_command_line___mltk.yml: spl-unsupported command 'apply'",
    ]);
    assert.equal(results.filter((x) => x.r.search !== undefined).length, 546);
  });

  it("every compiled search reads Endpoint.Processes and runs without throwing", () => {
    for (const { d, r } of results) {
      if (!r.search) continue;
      assert.ok(r.search.datasets.includes("Endpoint.Processes"), d.file);
      const run = r.search.start();
      for (let i = 0; i < 6; i++) {
        run.push("Endpoint.Processes", {
          _time: 1709640000 + i * 61.5,
          dest: `h${i % 2}`,
          user: "alice",
          process_name: ["cmd.exe", "powershell.exe", "reg.exe"][i % 3],
          process: `cmd.exe /c whoami ${i}`,
          parent_process_name: "explorer.exe",
          parent_process: "explorer.exe",
          original_file_name: "unknown",
          process_id: String(100 + i),
          parent_process_id: String(99 + i),
          process_guid: `{G${i}}`,
        });
      }
      const out = run.finish();
      assert.ok(Array.isArray(out.rows), d.file);
    }
  });

  it("mutated corpus searches (a character deleted or inserted) never throw: they compile or give diagnostics", () => {
    let compiled = 0;
    for (const { search } of detections.slice(0, 40)) {
      for (let i = 0; i < search.length; i += 11) {
        for (const mutant of [
          search.slice(0, i) + search.slice(i + 1),
          `${search.slice(0, i)}"${search.slice(i)}`,
        ]) {
          const r = compileSearch(mutant, { macros, lookups });
          if (r.search) {
            compiled++;
            const run = r.search.start();
            run.push("Endpoint.Processes", { _time: 1, process_name: "cmd.exe", dest: "h" });
            run.finish();
          } else assert.ok(r.diagnostics.length > 0);
        }
      }
    }
    assert.ok(compiled > 0);
  });
});

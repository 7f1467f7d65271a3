/**
 * The built-in content: the flagship detection exactly as SEMANTICS.md §1 describes it, and the
 * macros of SEMANTICS.md §2.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { builtinContentDir, filterMacroName, loadContent } from "../../src/content/index.js";

const repoRoot = path.resolve(fileURLToPath(new URL("../../", import.meta.url)));
const semantics = readFileSync(path.resolve(repoRoot, "../shared/spec/SEMANTICS.md"), "utf8");
const collapse = (s: string): string => s.replace(/\s+/g, " ").trim();

/** The search in the first code block of SEMANTICS.md §1. */
function specSearch(): string {
  const section = semantics.slice(semantics.indexOf("## 1. The flagship detection"));
  const m = /```\n([\s\S]*?)```/.exec(section);
  assert.ok(m, "SEMANTICS.md §1 has a code block");
  return collapse(m[1]!);
}

describe("built-in content", () => {
  const content = loadContent([]);

  it("is found in the repo's content/ folder and loads without a diagnostic", () => {
    assert.equal(builtinContentDir(), path.join(repoRoot, "content"));
    assert.deepEqual(content.trees, [path.join(repoRoot, "content")]);
    assert.deepEqual(content.diagnostics, []);
    assert.equal(content.detections.length, 7);
  });

  it("holds the flagship with exactly SEMANTICS.md §1's metadata", () => {
    const d = content.detections[0]!;
    assert.equal(d.id, "0dd296a2-4338-11ec-ba02-3e22fbd008af");
    assert.equal(d.name, "Remote Process Instantiation via WinRM and Winrs");
    assert.equal(d.file, "builtin:detections/endpoint/remote_process_instantiation_via_winrm_and_winrs.yml");
    assert.equal(d.schema, "v1-v4");
    assert.equal(d.version, 1);
    assert.equal(d.status, "production");
    assert.equal(d.type, "TTP");
    assert.deepEqual(d.mitreAttackIds, ["T1021", "T1021.006"]);
    assert.deepEqual(d.killChainPhases, ["Exploitation"]);
    assert.deepEqual(d.analyticStories, ["Active Directory Lateral Movement"]);
    assert.equal(d.confidence, 60);
    assert.equal(d.impact, 90);
    assert.equal(d.riskScore, 54);
    assert.equal(d.riskScore, Math.round((60 * 90) / 100));
    assert.deepEqual(d.risk, {
      message: "A process was started on a remote endpoint from $dest",
      objects: [{ field: "dest", type: "system", score: 54 }],
      threats: [],
    });
    assert.deepEqual(d.datamodels, ["Endpoint.Processes"]);
    assert.equal(d.securityDomain, "endpoint");
    assert.equal(collapse(d.search), specSearch());
  });

  it("defines the three macros of SEMANTICS.md §2 and generates the flagship's filter", () => {
    assert.equal(content.macros.size, 5);
    assert.equal(
      content.macros.get("security_content_summariesonly", 0)?.definition,
      "summariesonly=false allow_old_summaries=true fillnull_value=null",
    );
    assert.deepEqual(content.macros.get("security_content_ctime", 1), {
      name: "security_content_ctime",
      args: ["field"],
      definition: 'convert timeformat="%Y-%m-%dT%H:%M:%S" ctime($field$)',
      file: "builtin:macros/security_content_ctime.yml",
    });
    assert.deepEqual(content.macros.get("drop_dm_object_name", 1)?.args, ["object"]);
    assert.equal(content.macros.get("drop_dm_object_name", 1)?.definition, 'rename "$object$.*" as *');
    // keyed by arity: the 0-argument form does not exist
    assert.equal(content.macros.get("drop_dm_object_name", 0), undefined);
    const filter = "remote_process_instantiation_via_winrm_and_winrs_filter";
    assert.equal(filterMacroName("Remote Process Instantiation via WinRM and Winrs"), filter);
    assert.deepEqual(content.macros.get(filter, 0), {
      name: filter,
      args: [],
      definition: "search *",
      file: "generated",
    });
    assert.deepEqual(content.macros.generatedFilters(), [
      filter,
      "winrm_pack___winrs_loopback_execution_filter",
      "winrm_pack___winrs_remote_execution_any_switch_filter",
      "winrm_pack___winrshost_spawned_process_filter",
      "winrm_pack___winrshost_started_filter",
      "winrm_pack___wsmprovhost_spawned_process_filter",
      "winrm_pack___wsmprovhost_started_filter",
    ]);
    // the filter is generated for loaded detections only
    assert.equal(content.macros.get("some_other_detection_filter", 0), undefined);
  });

  it("can be left out", () => {
    const none = loadContent([], { builtin: false });
    assert.deepEqual(none.detections, []);
    assert.equal(none.macros.size, 0);
    assert.deepEqual(none.trees, []);
  });
});

describe("filterMacroName (SEMANTICS.md §2 name rule)", () => {
  it("lower-cases and maps space - . / to _", () => {
    assert.equal(
      filterMacroName("Windows Rundll32 Apply-User.Settings/Changes"),
      "windows_rundll32_apply_user_settings_changes_filter",
    );
    assert.equal(filterMacroName("O365 PST export alert"), "o365_pst_export_alert_filter");
  });
});

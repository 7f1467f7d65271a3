/**
 * `doctor` on real files from ../shared. Expected counts come from MANIFEST.md (python-evtx, checked with
 * libevtx), from libevtx's evtxexport (4688 CommandLine strings), and from the derived data's expected.json
 * (an independent checker's per-event verdicts) — never from our own output.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { loadContent } from "../../src/content/index.js";
import { doctor } from "../../src/engine/doctor.js";
import { nearMissOf } from "../../src/engine/doctor-near-miss.js";
import { doctorText } from "../../src/engine/doctor-text.js";

const DATA = new URL("../../../shared/data/", import.meta.url).pathname;
const FLAGSHIP = "Remote Process Instantiation via WinRM and Winrs";
const PSEXEC_4688 = `${DATA}evtx-to-mitre-attack/ID4688_4697_5140-5145_PSexec_remote_execution_+_admin_share.evtx`;
const WINRSHOST = `${DATA}evtx-attack-samples/LM_winrm_exec_sysmon_1_winrshost.evtx`;
const WMI_TARGET = `${DATA}evtx-attack-samples/LM_WMI_4624_4688_TargetHost.evtx`;
const WINRM_169 = `${DATA}evtx-attack-samples/RemotePowerShell_MS_Windows-Remote_Management_EventID_169.evtx`;
const OTRF = `${DATA}derived-positives/derived_winrs_otrf_workstation6.json`;

describe("doctor", () => {
  it("4688-only and Sysmon target-side files: sources, records, observations, target-side near misses, verdicts", async () => {
    const r = await doctor({ paths: [PSEXEC_4688, WINRSHOST], content: loadContent([]) });
    // MANIFEST: 30 records (11 × 4688) + 3 records (3 × Sysmon 1).
    assert.equal(r.events, 33);
    const count = (id: number) => r.sources.filter((s) => s.eventId === id).reduce((n, s) => n + s.events, 0);
    assert.equal(count(4688), 11);
    assert.equal(count(1), 3);
    assert.deepEqual(
      r.datasets.map((d) => [d.dataset, d.records, d.byMapping]),
      [["Endpoint.Processes", 14, { "security-4688": 11, "sysmon-1": 3 }]],
    );
    assert.deepEqual(
      r.observations.map((o) => [o.code, o.count]),
      [["4688-no-original-file-name", 11]],
    );
    // MANIFEST: svchost→WinrsHost.exe -Embedding, winrshost→cmd.exe /C ipconfig, cmd→ipconfig.
    assert.deepEqual(r.nearMisses.counts, {
      "winrs-remote": 0,
      "winrs-switch-gap": 0,
      "winrs-local": 0,
      "winrm-target": 2,
    });
    const flagship = r.detections.find((d) => d.name === FLAGSHIP);
    assert.ok(flagship?.where !== undefined);
    assert.equal(flagship.verdict, "cannot-fire");
    assert.equal(flagship.rows, 0);
    assert.deepEqual([flagship.where.passed, flagship.where.of], [0, 14]);
    assert.deepEqual(
      flagship.where.clauses.map((c) => c.held),
      [0, 0, 0, 0],
    );
    const ofn = flagship.fields.find((f) => f.field === "original_file_name");
    assert.deepEqual(ofn?.producers, ["sysmon-1"]);
    assert.ok(flagship.reasons.some((s) => s.includes("security-4688 cannot produce it")));
    // The target side is what fires here: winrshost.exe started, and its one child.
    assert.equal(r.detections.find((d) => d.name === "WinRM Pack - WinrsHost Started")?.verdict, "fires");
    assert.equal(r.detections.find((d) => d.name === "WinRM Pack - WinrsHost Spawned Process")?.rows, 1);
    const text = doctorText(r);
    assert.match(text, /\[cannot-fire\] Remote Process Instantiation via WinRM and Winrs/);
    assert.match(text, /winrm-target 2/);
  });

  it("4688 without CommandLine means command-line auditing is off (libevtx: both 4688 have an empty string 9)", async () => {
    const r = await doctor({ paths: [WMI_TARGET], content: loadContent([]), only: [FLAGSHIP] });
    assert.equal(r.events, 8);
    const o = r.observations.find((x) => x.code === "4688-no-commandline");
    assert.equal(o?.count, 2);
    assert.match(o?.message ?? "", /command-line auditing/);
    assert.ok(r.observations.some((x) => x.code === "no-sysmon"));
  });

  it("no process events at all (WinRM/Operational 169 only)", async () => {
    const r = await doctor({ paths: [WINRM_169], content: loadContent([]), only: [FLAGSHIP] });
    assert.equal(r.events, 6);
    assert.deepEqual(
      r.observations.map((o) => o.code),
      ["no-process-events", "no-sysmon"],
    );
    const f = r.detections[0];
    assert.equal(f.verdict, "cannot-fire");
    assert.match(f.reasons[0], /^no Endpoint\.Processes records in this data/);
  });

  it("winrs near misses match the independent checker: fires / '/r:' gap / no switch, at the same lines", async () => {
    const doc: unknown = JSON.parse(readFileSync(`${OTRF}.expected.json`, "utf8"));
    assert.ok(typeof doc === "object" && doc !== null && "winrs_related_process_events" in doc);
    const events = doc.winrs_related_process_events;
    assert.ok(Array.isArray(events));
    const want = events.map((e: { ref: string; fires: boolean; process: string }) => [
      e.ref,
      e.fires
        ? "winrs-remote"
        : /[/\u2013\u2014\u2015]r(?:emote)?:/i.test(e.process)
          ? "winrs-switch-gap"
          : "winrs-local",
    ]);
    const r = await doctor({ paths: [OTRF], content: loadContent([]), only: [FLAGSHIP] });
    assert.deepEqual(
      r.nearMisses.examples.map((m) => [`line ${m.source.line}`, m.kind]),
      want,
    );
    assert.equal(r.detections[0].verdict, "fires");
    assert.equal(r.detections[0].rows, 4);
  });

  it("near-miss rules: Unicode dashes are the ESCU gap; wsmprovhost is a target", () => {
    assert.equal(
      nearMissOf({ process_name: "winrs.exe", process: "winrs \u2013r:host cmd" })?.kind,
      "winrs-switch-gap",
    );
    assert.equal(
      nearMissOf({ process_name: "winrs.exe", process: "winrs /REMOTE:host cmd" })?.kind,
      "winrs-switch-gap",
    );
    assert.equal(
      nearMissOf({ process_name: "cmd.exe", original_file_name: "winrs.exe", process: "x -r:h" })?.kind,
      "winrs-remote",
    );
    assert.equal(
      nearMissOf({ process_name: "powershell.exe", parent_process_name: "wsmprovhost.exe" })?.kind,
      "winrm-target",
    );
    assert.equal(nearMissOf({ process_name: "cmd.exe", parent_process_name: "explorer.exe" }), undefined);
  });
});

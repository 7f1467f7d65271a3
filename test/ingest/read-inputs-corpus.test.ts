/**
 * readInputs over all of ../shared/data: per file, the events total and the process-creation count equal
 * MANIFEST.md (numbers copied from the MANIFEST tables, file by file) or the derived positives'
 * `.expected.json`; non-log files are skipped with a reason; EVTX files are dispatched to the EVTX reader
 * (whose counts are tested under test/ingest/evtx/).
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { before, describe, it } from "node:test";
import type { FileReport } from "../../src/ingest/types.js";
import type { WinEvent } from "../../src/model/event.js";
import { type Collected, collect, isProcessCreation, isSysmon1, SHARED } from "./collect-events.js";

const DATA = join(SHARED, "data");

/** MANIFEST.md: file (relative to data/) → events, process creations, of which Sysmon 1 and 4688. */
const MANIFEST_TEXT: Record<string, { events: number; pc: number; s1: number; s4688: number }> = {
  "splunk-attack-data/certutil_exe_certificate_extraction.raw": { events: 59, pc: 40, s1: 20, s4688: 20 },
  "splunk-attack-data/T1047_atomic_red_team_attack_data.tar.gz!attack_data.txt": {
    events: 8220,
    pc: 335,
    s1: 335,
    s4688: 0,
  },
  "splunk-attack-data/T1027_atomic_red_team_attack_data.tar.gz!attack_data.txt": {
    events: 7959,
    pc: 324,
    s1: 324,
    s4688: 0,
  },
  "otrf-security-datasets/covenant_psremoting_command.zip!covenant_psremoting_command_2020-08-06115603.json":
    {
      events: 4284,
      pc: 16,
      s1: 8,
      s4688: 8,
    },
  "otrf-security-datasets/empire_psremoting_stager.zip!empire_psremoting_stager_2020-09-20170827.json": {
    events: 2744,
    pc: 10,
    s1: 5,
    s4688: 5,
  },
  "otrf-security-datasets/covenant_com_wsman_automation.zip!covenant_com_wsman_automation_2020-10-13002455.json":
    {
      events: 811,
      pc: 6,
      s1: 3,
      s4688: 3,
    },
  "xp-rules/4688_raw_7_winrm_get_config_winrs.json": { events: 1, pc: 1, s1: 0, s4688: 1 },
};

/** Derived positives in text formats: their counts come from the `.expected.json` beside them. */
const DERIVED_TEXT = [
  "derived_winrs_xmlwineventlog_attackrange.xml.log",
  "derived_winrs_otrf_workstation6.json",
];

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

describe("readInputs over ../shared/data", () => {
  let run: Collected;
  const byFile = new Map<string, WinEvent[]>();
  const reportOf = (rel: string): FileReport => {
    const r = run.reports.find((x) => x.file === join(DATA, rel));
    assert.ok(r, `no FileReport for ${rel}`);
    return r;
  };

  before(async () => {
    run = await collect([DATA]);
    for (const e of run.events) {
      const list = byFile.get(e.origin.file) ?? [];
      list.push(e);
      byFile.set(e.origin.file, list);
    }
  });

  for (const [rel, want] of Object.entries(MANIFEST_TEXT)) {
    it(`${rel}: ${want.events} events, ${want.pc} process creations`, () => {
      const r = reportOf(rel);
      assert.equal(r.events, want.events);
      assert.equal(r.malformed, 0);
      assert.equal(r.skipped, undefined);
      const evs = byFile.get(join(DATA, rel)) ?? [];
      assert.equal(evs.length, want.events);
      assert.equal(evs.filter(isProcessCreation).length, want.pc);
      assert.equal(evs.filter(isSysmon1).length, want.s1);
      assert.equal(
        evs.filter((e) => e.eventId === 4688 && /security/i.test(`${e.provider} ${e.channel}`)).length,
        want.s4688,
      );
    });
  }

  it("archives report their container layers", () => {
    assert.deepEqual(
      reportOf("splunk-attack-data/T1047_atomic_red_team_attack_data.tar.gz!attack_data.txt").containers,
      ["gzip", "tar"],
    );
    assert.deepEqual(
      reportOf(
        "otrf-security-datasets/empire_psremoting_stager.zip!empire_psremoting_stager_2020-09-20170827.json",
      ).containers,
      ["zip"],
    );
  });

  it("certutil .raw: 40 XML events and 19 classic PowerShell 4104 events (MANIFEST: mixed format)", () => {
    const evs = byFile.get(join(DATA, "splunk-attack-data/certutil_exe_certificate_extraction.raw")) ?? [];
    const classic = evs.filter((e) => e.timeSource === "local-as-utc");
    assert.equal(classic.length, 19);
    assert.ok(
      classic.every((e) => e.eventId === 4104 && e.channel === "Microsoft-Windows-PowerShell/Operational"),
    );
    // The first classic event starts at line 2 with `01/14/2021 11:41:39 PM` (MANIFEST).
    const first = classic[0];
    assert.equal(first.origin.line, 2);
    assert.equal(first.timeCreated, "2021-01-14T23:41:39Z");
    assert.equal(first.provider, "Microsoft-Windows-PowerShell");
    assert.equal(first.computer, "win-dc-791937.attackrange.local");
  });

  for (const name of DERIVED_TEXT) {
    it(`derived-positives/${name}: counts from its .expected.json`, () => {
      const exp = JSON.parse(
        readFileSync(join(DATA, "derived-positives", `${name}.expected.json`), "utf8"),
      ) as {
        events_total: number;
        process_creation_events: number;
        sysmon_eid1_events: number;
        winrs_related_process_events: Array<{ ref: string; event: string; process: string }>;
      };
      const path = join(DATA, "derived-positives", name);
      const r = reportOf(relative(DATA, path));
      assert.equal(r.events, exp.events_total);
      assert.equal(r.malformed, 0);
      const evs = byFile.get(path) ?? [];
      assert.equal(evs.filter(isProcessCreation).length, exp.process_creation_events);
      assert.equal(evs.filter(isSysmon1).length, exp.sysmon_eid1_events);
      // Sysmon rows: CIM `process` is CommandLine verbatim, so the decoded CommandLine must equal it.
      for (const w of exp.winrs_related_process_events.filter((x) => x.event === "Sysmon 1")) {
        const line = Number(/^line (\d+)$/.exec(w.ref)?.[1]);
        const e = evs.find((x) => x.origin.line === line);
        assert.ok(e, `no event at ${w.ref}`);
        assert.equal(e.data.CommandLine, w.process, w.ref);
      }
    });
  }

  it("every file is accounted for: logs read, EVTX dispatched, the rest skipped with a reason", () => {
    const files = listFiles(DATA);
    for (const f of files) {
      const rel = relative(DATA, f);
      const reports = run.reports.filter((r) => r.file === f || r.file.startsWith(`${f}!`));
      assert.ok(reports.length >= 1, `${rel} has no FileReport`);
      if (f.endsWith(".evtx")) {
        assert.equal(reports[0].format, "evtx", rel);
        assert.equal(reports[0].skipped, undefined, rel);
      } else if (/\.(md|ya?ml)$/.test(f) || f.endsWith(".expected.json")) {
        assert.equal(reports.length, 1, rel);
        assert.equal(reports[0].format, undefined, rel);
        assert.match(reports[0].skipped ?? "", /not a log|without Windows events/, rel);
      } else {
        assert.equal(reports[0].skipped, undefined, rel);
        assert.equal(reports[0].unreadable, undefined, rel);
      }
    }
    assert.equal(
      run.reports.length,
      files.length,
      "one report per file (each archive here holds exactly one member)",
    );
  });

  it("reads the text formats without error diagnostics", () => {
    const textErrors = run.diagnostics.filter(
      (d) => d.severity !== "info" && !(d.file ?? "").endsWith(".evtx"),
    );
    assert.deepEqual(textErrors, []);
    // One time-local-as-utc per file whose times are zone-less local times: the two NXLog tar.gz members
    // (EventTime, no @timestamp) and the classic events of the certutil .raw.
    const local = run.diagnostics
      .filter((d) => d.code === "time-local-as-utc")
      .map((d) => relative(DATA, d.file ?? ""));
    assert.deepEqual(local.sort(), [
      "splunk-attack-data/T1027_atomic_red_team_attack_data.tar.gz!attack_data.txt",
      "splunk-attack-data/T1047_atomic_red_team_attack_data.tar.gz!attack_data.txt",
      "splunk-attack-data/certutil_exe_certificate_extraction.raw",
    ]);
  });

  it("batches are a few hundred to a few thousand events", () => {
    assert.ok(run.batches.every((n) => n > 0 && n <= 5000));
  });
});

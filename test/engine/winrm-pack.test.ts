/**
 * The WinRM pack (issue #8, docs/detections.md) on real and hand-made data:
 * - target side: exact rows on the real winrshost/wsmprovhost activity in ../shared/data. The pinned rows
 *   come from an independent oracle (a Python script reading libevtx `evtxexport` XML and the NXLog/OTRF
 *   JSON with the stdlib, applying SEMANTICS.md §3 and the detections' selections); command lines longer
 *   than 120 characters are pinned by their SHA-256;
 * - silence on the lookalikes (`winrm get winrm/config/winrs` in 4688, Security 4907 naming winrs.exe);
 * - hardened source side: on every winrs remote-switch spelling of the derived positives and cases, with the
 *   target read by hand from each command line, and on a hand-made file of the spellings the shared data
 *   lacks (Unicode dashes, upper case, loopback targets);
 * - the faithful flagship's rows are the same with and without the pack over all of ../shared/data.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { after, describe, it } from "node:test";
import { loadContent } from "../../src/content/index.js";
import { type DetectionResult, hunt } from "../../src/engine/hunt.js";
import { withoutPack } from "../../src/engine/lm-pack.js";
import type { WinEvent } from "../../src/model/event.js";
import type { Row } from "../../src/spl/index.js";
import { collect } from "../ingest/collect-events.js";
import { tempFiles } from "../ingest/temp-inputs.js";
import { runCli } from "../support/run-cli.js";
import { sharedPath } from "../support/shared.js";

const content = loadContent([]);
const FLAGSHIP_ID = "0dd296a2-4338-11ec-ba02-3e22fbd008af";
const P = "WinRM Pack - ";
const HARDENED = `${P}Winrs Remote Execution Any Switch`;
const LOOPBACK = `${P}Winrs Loopback Execution`;
const TARGET_DETECTIONS = [
  "WinrsHost Spawned Process",
  "WinrsHost Started",
  "Wsmprovhost Spawned Process",
  "Wsmprovhost Started",
] as const;
const BY = [
  "dest",
  "user",
  "parent_process_name",
  "process_name",
  "process",
  "process_id",
  "parent_process_id",
  "count",
  "firstTime",
  "lastTime",
] as const;

type Tuple = (string | number)[];

const rowsOf = (results: DetectionResult[], name: string): Row[] =>
  results.find((r) => r.detection.name === name)?.rows ?? [];

const pinProcess = (p: string) =>
  p.length > 120 ? `sha256:${createHash("sha256").update(p, "utf8").digest("hex")}` : p;

const tuple = (row: Row): Tuple =>
  BY.map((f) => (f === "process" ? pinProcess(String(row[f])) : (row[f] as string | number)));

const sorted = (xs: Tuple[]) => [...xs].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

// Oracle rows per file and detection (dest user parent_process_name process_name process process_id
// parent_process_id count firstTime lastTime). A detection not listed for a file returns no row.
const TARGET_ROWS: Record<string, Partial<Record<(typeof TARGET_DETECTIONS)[number], Tuple[]>>> = {
  "evtx-attack-samples/LM_winrm_exec_sysmon_1_winrshost.evtx": {
    "WinrsHost Spawned Process": [
      [
        "DC1.insecurebank.local",
        "Administrator",
        "winrshost.exe",
        "cmd.exe",
        "C:\\Windows\\system32\\cmd.exe /C ipconfig",
        "3136",
        "3948",
        1,
        "2019-05-16T01:31:36",
        "2019-05-16T01:31:36",
      ],
    ],
    "WinrsHost Started": [
      [
        "DC1.insecurebank.local",
        "Administrator",
        "svchost.exe",
        "winrshost.exe",
        "C:\\Windows\\system32\\WinrsHost.exe -Embedding",
        "3948",
        "580",
        1,
        "2019-05-16T01:31:36",
        "2019-05-16T01:31:36",
      ],
    ],
  },
  "evtx-attack-samples/LM_PowershellRemoting_sysmon_1_wsmprovhost.evtx": {
    "Wsmprovhost Spawned Process": [
      [
        "DC1.insecurebank.local",
        "Administrator",
        "wsmprovhost.exe",
        "HOSTNAME.EXE",
        '"C:\\Windows\\system32\\HOSTNAME.EXE"',
        "2936",
        "3332",
        1,
        "2019-05-16T01:38:19",
        "2019-05-16T01:38:19",
      ],
    ],
  },
  "splunk-attack-data/T1047_atomic_red_team_attack_data.tar.gz": {
    "WinrsHost Spawned Process": [
      [
        "win-dc-6178966.attackrange.local",
        "Administrator",
        "winrshost.exe",
        "cmd.exe",
        "sha256:6c9d1b3dfc3e77b752e250540e7196906dc516725b218f617565927c2fd5f812",
        "null",
        "4108",
        1,
        "2020-08-01T07:53:47",
        "2020-08-01T07:53:47",
      ],
      [
        "win-dc-6178966.attackrange.local",
        "Administrator",
        "winrshost.exe",
        "cmd.exe",
        "sha256:38f8470c3e87b115ae2352850d8bb07b873af9ac16140d1f190f8dad780ab58e",
        "null",
        "4388",
        1,
        "2020-08-01T07:53:48",
        "2020-08-01T07:53:48",
      ],
      [
        "win-dc-6178966.attackrange.local",
        "Administrator",
        "winrshost.exe",
        "cmd.exe",
        "sha256:1ca9b8966dfc3fb99b2fec9ca4b7f1adc6d184d3dbe45ac07444aa2a49a863f7",
        "null",
        "4800",
        1,
        "2020-08-01T07:58:51",
        "2020-08-01T07:58:51",
      ],
      [
        "win-dc-6178966.attackrange.local",
        "Administrator",
        "winrshost.exe",
        "cmd.exe",
        "sha256:1ca9b8966dfc3fb99b2fec9ca4b7f1adc6d184d3dbe45ac07444aa2a49a863f7",
        "null",
        "3472",
        1,
        "2020-08-01T07:58:55",
        "2020-08-01T07:58:55",
      ],
      [
        "win-dc-6178966.attackrange.local",
        "Administrator",
        "winrshost.exe",
        "cmd.exe",
        "sha256:1ca9b8966dfc3fb99b2fec9ca4b7f1adc6d184d3dbe45ac07444aa2a49a863f7",
        "null",
        "1592",
        1,
        "2020-08-01T07:59:09",
        "2020-08-01T07:59:09",
      ],
      [
        "win-dc-6178966.attackrange.local",
        "Administrator",
        "winrshost.exe",
        "cmd.exe",
        "sha256:1ca9b8966dfc3fb99b2fec9ca4b7f1adc6d184d3dbe45ac07444aa2a49a863f7",
        "null",
        "5044",
        1,
        "2020-08-01T07:59:11",
        "2020-08-01T07:59:11",
      ],
      [
        "win-dc-6178966.attackrange.local",
        "Administrator",
        "winrshost.exe",
        "cmd.exe",
        "sha256:1ca9b8966dfc3fb99b2fec9ca4b7f1adc6d184d3dbe45ac07444aa2a49a863f7",
        "null",
        "2124",
        1,
        "2020-08-01T07:59:19",
        "2020-08-01T07:59:19",
      ],
      [
        "win-dc-6178966.attackrange.local",
        "Administrator",
        "winrshost.exe",
        "cmd.exe",
        "sha256:1ca9b8966dfc3fb99b2fec9ca4b7f1adc6d184d3dbe45ac07444aa2a49a863f7",
        "null",
        "1348",
        1,
        "2020-08-01T08:07:45",
        "2020-08-01T08:07:45",
      ],
    ],
    "WinrsHost Started": [
      [
        "win-dc-6178966.attackrange.local",
        "Administrator",
        "svchost.exe",
        "winrshost.exe",
        "C:\\Windows\\system32\\WinrsHost.exe -Embedding",
        "null",
        "612",
        9,
        "2020-08-01T07:53:47",
        "2020-08-01T08:07:45",
      ],
    ],
  },
  "splunk-attack-data/T1027_atomic_red_team_attack_data.tar.gz": {
    "WinrsHost Spawned Process": [
      [
        "win-dc-881393.attackrange.local",
        "Administrator",
        "winrshost.exe",
        "cmd.exe",
        "sha256:6c9d1b3dfc3e77b752e250540e7196906dc516725b218f617565927c2fd5f812",
        "null",
        "4104",
        1,
        "2020-08-01T05:47:09",
        "2020-08-01T05:47:09",
      ],
      [
        "win-dc-881393.attackrange.local",
        "Administrator",
        "winrshost.exe",
        "cmd.exe",
        "sha256:38f8470c3e87b115ae2352850d8bb07b873af9ac16140d1f190f8dad780ab58e",
        "null",
        "4332",
        1,
        "2020-08-01T05:47:10",
        "2020-08-01T05:47:10",
      ],
      [
        "win-dc-881393.attackrange.local",
        "Administrator",
        "winrshost.exe",
        "cmd.exe",
        "sha256:1ca9b8966dfc3fb99b2fec9ca4b7f1adc6d184d3dbe45ac07444aa2a49a863f7",
        "null",
        "1324",
        1,
        "2020-08-01T05:52:13",
        "2020-08-01T05:52:13",
      ],
      [
        "win-dc-881393.attackrange.local",
        "Administrator",
        "winrshost.exe",
        "cmd.exe",
        "sha256:1ca9b8966dfc3fb99b2fec9ca4b7f1adc6d184d3dbe45ac07444aa2a49a863f7",
        "null",
        "1348",
        1,
        "2020-08-01T05:52:18",
        "2020-08-01T05:52:18",
      ],
      [
        "win-dc-881393.attackrange.local",
        "Administrator",
        "winrshost.exe",
        "cmd.exe",
        "sha256:1ca9b8966dfc3fb99b2fec9ca4b7f1adc6d184d3dbe45ac07444aa2a49a863f7",
        "null",
        "672",
        1,
        "2020-08-01T05:52:35",
        "2020-08-01T05:52:35",
      ],
      [
        "win-dc-881393.attackrange.local",
        "Administrator",
        "winrshost.exe",
        "cmd.exe",
        "sha256:1ca9b8966dfc3fb99b2fec9ca4b7f1adc6d184d3dbe45ac07444aa2a49a863f7",
        "null",
        "1328",
        1,
        "2020-08-01T05:52:42",
        "2020-08-01T05:52:42",
      ],
      [
        "win-dc-881393.attackrange.local",
        "Administrator",
        "winrshost.exe",
        "cmd.exe",
        "sha256:1ca9b8966dfc3fb99b2fec9ca4b7f1adc6d184d3dbe45ac07444aa2a49a863f7",
        "null",
        "3396",
        1,
        "2020-08-01T05:52:46",
        "2020-08-01T05:52:46",
      ],
      [
        "win-dc-881393.attackrange.local",
        "Administrator",
        "winrshost.exe",
        "cmd.exe",
        "sha256:1ca9b8966dfc3fb99b2fec9ca4b7f1adc6d184d3dbe45ac07444aa2a49a863f7",
        "null",
        "4680",
        1,
        "2020-08-01T06:01:11",
        "2020-08-01T06:01:11",
      ],
    ],
    "WinrsHost Started": [
      [
        "win-dc-881393.attackrange.local",
        "Administrator",
        "svchost.exe",
        "winrshost.exe",
        "C:\\Windows\\system32\\WinrsHost.exe -Embedding",
        "null",
        "612",
        9,
        "2020-08-01T05:47:09",
        "2020-08-01T06:01:11",
      ],
    ],
  },
  "otrf-security-datasets/covenant_psremoting_command.zip": {
    "Wsmprovhost Started": [
      [
        "WORKSTATION6.theshire.local",
        "pgustavo",
        "svchost.exe",
        "wsmprovhost.exe",
        "C:\\windows\\system32\\wsmprovhost.exe -Embedding",
        "1280",
        "896",
        1,
        "2020-08-06T15:56:22",
        "2020-08-06T15:56:22",
      ],
      [
        "WORKSTATION6.theshire.local",
        "pgustavo",
        "svchost.exe",
        "wsmprovhost.exe",
        "C:\\windows\\system32\\wsmprovhost.exe -Embedding",
        "0x500",
        "0x380",
        1,
        "2020-08-06T15:56:24",
        "2020-08-06T15:56:24",
      ],
    ],
  },
  "otrf-security-datasets/empire_psremoting_stager.zip": {
    "Wsmprovhost Spawned Process": [
      [
        "WORKSTATION6.theshire.local",
        "pgustavo",
        "wsmprovhost.exe",
        "powershell.exe",
        "sha256:ddc571b8375664a5cb67c351c9299ba83f8664a7fd9a50ff8491543fb5be198b",
        "null",
        "9036",
        1,
        "2020-09-20T21:09:11",
        "2020-09-20T21:09:11",
      ],
      [
        "WORKSTATION6.theshire.local",
        "pgustavo",
        "wsmprovhost.exe",
        "powershell.exe",
        "sha256:ddc571b8375664a5cb67c351c9299ba83f8664a7fd9a50ff8491543fb5be198b",
        "0x2784",
        "0x234c",
        1,
        "2020-09-20T21:09:12",
        "2020-09-20T21:09:12",
      ],
    ],
    "Wsmprovhost Started": [
      [
        "WORKSTATION6.theshire.local",
        "pgustavo",
        "svchost.exe",
        "wsmprovhost.exe",
        "C:\\windows\\system32\\wsmprovhost.exe -Embedding",
        "null",
        "960",
        1,
        "2020-09-20T21:09:08",
        "2020-09-20T21:09:08",
      ],
      [
        "WORKSTATION6.theshire.local",
        "pgustavo",
        "svchost.exe",
        "wsmprovhost.exe",
        "C:\\windows\\system32\\wsmprovhost.exe -Embedding",
        "0x234c",
        "0x3c0",
        1,
        "2020-09-20T21:09:09",
        "2020-09-20T21:09:09",
      ],
    ],
  },
};

describe("WinRM pack: target side on real WinRM activity", () => {
  for (const [file, expected] of Object.entries(TARGET_ROWS)) {
    it(file, async () => {
      const h = await hunt({ paths: [sharedPath(`data/${file}`)], content });
      for (const name of TARGET_DETECTIONS) {
        const rows = rowsOf(h.results, P + name);
        assert.deepEqual(sorted(rows.map(tuple)), sorted(expected[name] ?? []), `${name} on ${file}`);
        for (const row of rows) {
          assert.equal(row.lm_side, "target");
          assert.equal(row.lm_channel, name.startsWith("Winrs") ? "winrs" : "powershell-remoting");
          assert.equal(row.divergence, "target side: the flagship sees only the machine that ran winrs.exe");
        }
      }
      // No source side in these files: nothing to join, and the flagship stays silent.
      assert.deepEqual(rowsOf(h.results, HARDENED), []);
      assert.deepEqual(rowsOf(h.results, `${P}Lateral Movement Edge`), []);
      assert.deepEqual(rowsOf(h.results, "Remote Process Instantiation via WinRM and Winrs"), []);
    });
  }

  it("names the ESCU sibling that would also fire on a wsmprovhost child", async () => {
    const h = await hunt({
      paths: [
        sharedPath("data/evtx-attack-samples/LM_PowershellRemoting_sysmon_1_wsmprovhost.evtx"),
        sharedPath("data/otrf-security-datasets/empire_psremoting_stager.zip"),
      ],
      content,
    });
    const got = rowsOf(h.results, `${P}Wsmprovhost Spawned Process`).map((r) => [
      r.process_name,
      r.escu_sibling,
    ]);
    // HOSTNAME.EXE is in neither ESCU list; powershell.exe is in "WinRM Spawning a Process"'s list.
    assert.deepEqual(sorted(got as Tuple[]), [
      ["HOSTNAME.EXE", "none"],
      ["powershell.exe", "WinRM Spawning a Process"],
      ["powershell.exe", "WinRM Spawning a Process"],
    ]);
  });
});

describe("WinRM pack: lookalikes stay silent", () => {
  // Each file holds the lookalike (checked here, so silence is not vacuous) and no WinRM activity.
  const LOOKALIKES: [string, (e: WinEvent) => boolean, number][] = [
    [
      "xp-rules/4688_raw_7_winrm_get_config_winrs.json",
      (e) => e.eventId === 4688 && /winrm get winrm\/config\/winrs/.test(e.data.CommandLine ?? ""),
      1,
    ],
    // Security 4907 (audit policy change) naming winrs.exe, winrshost.exe and their DLLs, twice each.
    [
      "evtx-rs-samples/security.evtx",
      (e) => e.eventId === 4907 && /\\winrs/i.test(e.data.ObjectName ?? ""),
      12,
    ],
    [
      "evtx-rs-samples/security_bad_string_cache.evtx",
      (e) => e.eventId === 4907 && /\\winrs/i.test(e.data.ObjectName ?? ""),
      12,
    ],
  ];
  for (const [file, isLookalike, n] of LOOKALIKES) {
    it(file, async () => {
      const events = (await collect([sharedPath(`data/${file}`)])).events;
      assert.equal(events.filter(isLookalike).length, n);
      const h = await hunt({ paths: [sharedPath(`data/${file}`)], content });
      const pack = h.results.filter((r) => r.detection.name.startsWith(P));
      assert.equal(pack.length, 7, "six pack detections and the edge correlation ran");
      for (const r of pack) assert.deepEqual(r.rows, [], r.detection.name);
    });
  }
});

describe("WinRM pack: target side over all of ../shared/data", () => {
  it("fires on exactly the rows pinned above: no other file adds or changes one", async () => {
    const h = await hunt({ paths: [sharedPath("data")], content });
    for (const name of TARGET_DETECTIONS) {
      const want = Object.values(TARGET_ROWS).flatMap((x) => x[name] ?? []);
      assert.deepEqual(sorted(rowsOf(h.results, P + name).map(tuple)), sorted(want), name);
    }
    // Every winrshost.exe child in the data is cmd.exe, so ESCU's Windows Remote Management Execute
    // Shell would see each of them too (and nothing of the source side).
    const children = rowsOf(h.results, `${P}WinrsHost Spawned Process`);
    assert.equal(children.length, 17);
    for (const r of children) assert.equal(r.escu_sibling, "Windows Remote Management Execute Shell");
  });
});

// Every winrs event of the derived positives with a remote switch in any spelling, and the target each
// command line names (read by hand). Events without a switch, cmd.exe lines and 4688 renamed binaries
// (no OriginalFileName) are absent on purpose.
const DERIVED: Record<string, [string, string, string][]> = {
  "derived_winrs_sysmon_Win10_APTSimulatorVM.evtx": [
    ["winrs /r:SRV-APP-07 ", "SRV-APP-07", "slash switch"],
    ["winrs.exe -remote:https://srv-db-02.corp.local:5986/wsman ", "srv-db-02.corp.local", "none"],
    ["winrs -r:SRV-APP-07 ", "SRV-APP-07", "none"],
    ['"C:\\Windows\\System32\\winrs.exe" -R:FS01.corp.local ', "FS01.corp.local", "none"],
    ["rs.exe -r:10.10.4.21 ", "10.10.4.21", "none"],
  ],
  "derived_winrs_4688_fs03vuln.evtx": [
    ["C:\\Windows\\System32\\winrs.exe -r:dc1 ", "dc1", "none"],
    ["C:\\Windows\\System32\\winrs.exe -R:dc01.offsec.lan ", "dc01.offsec.lan", "none"],
    ["C:\\Windows\\System32\\winrs.exe /r:dc01 ", "dc01", "slash switch"],
    ["C:\\Windows\\system32\\winrs.exe -remote:dc01 ", "dc01", "none"],
  ],
  "derived_winrs_xmlwineventlog_attackrange.xml.log": [
    ["winrs -r:win-srv-02.attackrange.local ", "win-srv-02.attackrange.local", "none"],
    ['"C:\\Windows\\system32\\winrs.exe" -R:10.0.1.15 ', "10.0.1.15", "none"],
    ["winrs.exe -remote:https://win-srv-02.attackrange.local:5986 ", "win-srv-02.attackrange.local", "none"],
    ["winrs /r:win-srv-02 ", "win-srv-02", "slash switch"],
    ["rs.exe -r:win-srv-02 ", "win-srv-02", "none"],
    [
      "C:\\Windows\\System32\\winrs.exe -r:win-srv-02.attackrange.local ",
      "win-srv-02.attackrange.local",
      "none",
    ],
    ["C:\\Windows\\System32\\winrs.exe -r:win-srv-02 ", "win-srv-02", "none"],
    ['"C:\\Windows\\System32\\winrs.exe" -REMOTE:win-srv-02 ', "win-srv-02", "none"],
    ["C:\\Windows\\System32\\winrs.exe /remote:win-srv-02 ", "win-srv-02", "slash switch"],
  ],
  "derived_winrs_otrf_workstation6.json": [
    ["winrs -r:WORKSTATION5 ", "WORKSTATION5", "none"],
    ['"C:\\Windows\\system32\\winrs.exe" -R:MORDORDC.theshire.local ', "MORDORDC.theshire.local", "none"],
    ["winrs -remote:http://WORKSTATION5.theshire.local:5985/wsman ", "WORKSTATION5.theshire.local", "none"],
    ["winrs /r:WORKSTATION5 ", "WORKSTATION5", "slash switch"],
    ["C:\\Users\\Public\\rs.exe -r:WORKSTATION5 ", "WORKSTATION5", "none"],
  ],
};

interface WinrsEvent {
  process_name: string;
  original_file_name: string;
  process: string;
  fires: boolean;
}

describe("WinRM pack: hardened source side", () => {
  for (const [file, expected] of Object.entries(DERIVED)) {
    it(`fires on every remote-switch spelling in ${file}; the flagship on the ESCU ones only`, async () => {
      const dir = sharedPath("data/derived-positives/");
      const x = JSON.parse(readFileSync(`${dir}${file}.expected.json`, "utf8")) as {
        winrs_related_process_events: WinrsEvent[];
        expect: { row_count: number };
      };
      const h = await hunt({ paths: [dir + file], content });
      const rows = rowsOf(h.results, HARDENED);
      // Independent of the pack's own regex: the expected.json lists every winrs-related event.
      const spelled = x.winrs_related_process_events.filter(
        (e) =>
          (e.process_name.toLowerCase() === "winrs.exe" ||
            e.original_file_name.toLowerCase() === "winrs.exe") &&
          /[-/\u2013\u2014\u2015](r|remote):/i.test(e.process),
      );
      assert.deepEqual(rows.map((r) => r.process).sort(), spelled.map((e) => e.process).sort());
      assert.equal(rows.length, expected.length);
      const got = rows.map((r) => {
        const e = expected.find(([prefix]) => String(r.process).startsWith(prefix));
        assert.ok(e, `unexpected row ${String(r.process)}`);
        return [e[0], r.dest_target, r.divergence];
      });
      assert.deepEqual(sorted(got as Tuple[]), sorted(expected));
      // The faithful flagship: exactly the expected.json rows (count), i.e. the non-slash ones.
      const flagship = h.results.find((r) => r.detection.id === FLAGSHIP_ID);
      assert.equal(flagship?.rows.length, x.expect.row_count);
      assert.equal(rows.filter((r) => r.divergence === "none").length, x.expect.row_count);
      // No switch but a command: winrs runs it on localhost, which only the loopback detection reports
      // (read from expected.json: winrs by name or original file name, no `r:`/`remote:` switch at all).
      const local = x.winrs_related_process_events.filter(
        (e) =>
          (e.process_name.toLowerCase() === "winrs.exe" ||
            e.original_file_name.toLowerCase() === "winrs.exe") &&
          !/(r|remote):/i.test(e.process),
      );
      assert.deepEqual(
        rowsOf(h.results, LOOPBACK).map((r) => [r.process, r.dest_target, r.divergence]),
        local.map((e) => [
          e.process,
          "localhost",
          "loopback target; no remote switch: winrs runs the command on localhost",
        ]),
      );
      assert.equal(local.length, file.includes("4688") ? 0 : 1);
    });
  }

  for (const c of [
    "01-case-insensitive-match",
    "02-renamed-binary-original-file-name",
    "03-missing-parent-null-by-fields",
    "04-xml-entities-in-command-line",
    "05-corrupt-records-are-skipped",
    "06-json-field-naming-variants",
  ]) {
    it(`case ${c}: the flagship's expected rows, each labelled "none", with its target`, async () => {
      const dir = sharedPath(`cases/${c}/`);
      const x = JSON.parse(readFileSync(`${dir}expected.json`, "utf8")) as {
        inputs: { path: string }[];
        expect: { rows: Record<string, string | number>[] };
      };
      const h = await hunt({ paths: x.inputs.map((i) => dir + i.path), content });
      const rows = rowsOf(h.results, HARDENED);
      assert.deepEqual(sorted(rows.map(tuple)), sorted(x.expect.rows.map((r) => tuple(r as Row))));
      for (const r of rows) {
        assert.equal(r.divergence, "none");
        // Every case targets SRV-*: the host after the switch, without port (06 has srv-db-02.corp.example:5985).
        const m = /[-/](?:r|remote):([^\s":]+)/i.exec(String(r.process));
        assert.equal(r.dest_target, m?.[1]);
      }
    });
  }
});

// Hand-made Sysmon 1 events for the spellings the shared data lacks. Each expected value is written from
// the command line: the target after the switch, and why the flagship (`*-r:*`, `*-remote:*`) misses it.
const HOST = "WS-77.corp.test";
function sysmon1(n: number, image: string, cmd: string): string {
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const t = `2026-12-01 10:${String(Math.floor(n / 60)).padStart(2, "0")}:${String(n % 60).padStart(2, "0")}.250`;
  return (
    "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Sysmon' Guid='{5770385f-c22a-43e0-bf4c-06f5698ffbd9}'/>" +
    `<EventID>1</EventID><Version>5</Version><TimeCreated SystemTime='${t.replace(" ", "T")}0000Z'/><EventRecordID>${700 + n}</EventRecordID>` +
    `<Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>${HOST}</Computer></System><EventData>` +
    `<Data Name='UtcTime'>${t}</Data><Data Name='ProcessId'>${2000 + n}</Data><Data Name='Image'>${esc(image)}</Data>` +
    `<Data Name='OriginalFileName'>${image.endsWith("cmd.exe") ? "Cmd.Exe" : "winrs.exe"}</Data><Data Name='CommandLine'>${esc(cmd)}</Data>` +
    "<Data Name='User'>CORP\\eve</Data><Data Name='ParentProcessId'>1000</Data><Data Name='ParentImage'>C:\\Windows\\System32\\cmd.exe</Data>" +
    "</EventData></Event>"
  );
}
const WINRS = "C:\\Windows\\System32\\winrs.exe";
const SPELLINGS: [string, string][] = [
  [WINRS, "winrs \u2013r:SRV-A hostname"], // 1
  [WINRS, "winrs \u2014remote:SRV-A.corp.test whoami"], // 2
  [WINRS, "WINRS \u2015R:srv-b ipconfig"], // 3
  [WINRS, "winrs /REMOTE:http://srv-c:5985/wsman dir"], // 4
  [WINRS, "winrs \u2212r:srv-d hostname"], // 5 minus sign
  [WINRS, "winrs \uff0dr:srv-e hostname"], // 6 fullwidth hyphen-minus
  [WINRS, "winrs \uff0fr:srv-f hostname"], // 7 fullwidth solidus
  [WINRS, "winrs -r:localhost cmd /c whoami"], // 8
  [WINRS, "winrs /r:127.0.0.1 hostname"], // 9
  [WINRS, "winrs -r:[::1] hostname"], // 10
  [WINRS, "winrs -r:. hostname"], // 11
  [WINRS, "winrs -r:WS-77 hostname"], // 12 this machine, short name
  [WINRS, "winrs -r:http://ws-77.corp.test.:5985 hostname"], // 13 this machine, FQDN with root dot
  [WINRS, "winrs -r:[0:0:0:0:0:0:0:1]:5985 hostname"], // 14
  [WINRS, "winrs /r:https://[::FFFF:127.0.0.1] hostname"], // 15 IPv4-mapped (Microsoft's doc example form)
  [WINRS, "winrs -r:LOCALHOST. hostname"], // 16
  [WINRS, "winrs -r:ws-77.other.test hostname"], // 17 same first label, another domain: remote
  [WINRS, 'winrs -u:eve "cmd /c hostname"'], // 18 no switch: winrs runs it on localhost
  [WINRS, "winrs /?"], // 19 help: runs nothing
  ["C:\\Windows\\System32\\cmd.exe", "cmd.exe /c winrs \u2013r:SRV-A hostname"], // 20 not winrs.exe
  [WINRS, "winrs -unencrypted-r:srv-g hostname"], // 21 only the flagship's substring finds the switch
];

describe("WinRM pack: spellings and loopback targets (hand-made Sysmon events)", () => {
  const tmp = tempFiles({
    "spellings.xml.log": `${SPELLINGS.map(([img, cmd], i) => sysmon1(i + 1, img, cmd)).join("\n")}\n`,
  });
  after(() => tmp.cleanup());
  const row = (n: number, extra: Record<string, string>) => ({
    process: SPELLINGS[n - 1][1],
    process_id: String(2000 + n),
    firstTime: `2026-12-01T10:00:${String(n).padStart(2, "0")}`,
    ...extra,
  });
  const view = (rows: Row[], fields: string[]) =>
    rows
      .map((r) => Object.fromEntries(fields.map((f) => [f, r[f]])))
      .sort((a, b) => String(a.process_id).localeCompare(String(b.process_id)));
  const LOOP = "loopback target: the flagship reports it as remote execution";

  it("splits remote from loopback targets and labels every divergence", async () => {
    const h = await hunt({ paths: [tmp.path("spellings.xml.log")], content });
    const fields = ["process", "process_id", "firstTime", "dest_target", "divergence"];
    assert.deepEqual(view(rowsOf(h.results, HARDENED), fields), [
      row(1, { dest_target: "SRV-A", divergence: "unicode dash U+2013" }),
      row(2, { dest_target: "SRV-A.corp.test", divergence: "unicode dash U+2014" }),
      row(3, { dest_target: "srv-b", divergence: "unicode dash U+2015" }),
      row(4, { dest_target: "srv-c", divergence: "slash switch" }),
      row(5, { dest_target: "srv-d", divergence: "unicode dash U+2212" }),
      row(6, { dest_target: "srv-e", divergence: "unicode dash U+FF0D" }),
      row(7, { dest_target: "srv-f", divergence: "unicode slash U+FF0F" }),
      row(17, { dest_target: "ws-77.other.test", divergence: "none" }),
      row(21, { dest_target: "unknown", divergence: "none" }),
    ]);
    assert.deepEqual(view(rowsOf(h.results, LOOPBACK), fields), [
      row(8, { dest_target: "localhost", divergence: LOOP }),
      row(9, { dest_target: "127.0.0.1", divergence: "loopback target; slash switch" }),
      row(10, { dest_target: "::1", divergence: LOOP }),
      row(11, { dest_target: ".", divergence: LOOP }),
      row(12, { dest_target: "WS-77", divergence: LOOP }),
      row(13, { dest_target: "ws-77.corp.test.", divergence: LOOP }),
      row(14, { dest_target: "0:0:0:0:0:0:0:1", divergence: LOOP }),
      row(15, { dest_target: "::FFFF:127.0.0.1", divergence: "loopback target; slash switch" }),
      row(16, { dest_target: "LOCALHOST.", divergence: LOOP }),
      row(18, {
        dest_target: "localhost",
        divergence: "loopback target; no remote switch: winrs runs the command on localhost",
      }),
    ]);
    for (const r of rowsOf(h.results, HARDENED)) assert.equal(r.lm_side, "source");
    for (const r of rowsOf(h.results, LOOPBACK)) assert.equal(r.lm_side, "loopback");
    // The flagship fires on the `-r:`/`-remote:` lines only (any case, any target), as ESCU would; its
    // rows are exactly the pack rows labelled "none" or "loopback target: the flagship reports it ...".
    const flagship = h.results.find((r) => r.detection.id === FLAGSHIP_ID);
    const ids = ["2008", "2010", "2011", "2012", "2013", "2014", "2016", "2017", "2021"];
    assert.deepEqual(flagship?.rows.map((r) => r.process_id).sort(), ids);
    const labelledEscu = [...rowsOf(h.results, HARDENED), ...rowsOf(h.results, LOOPBACK)]
      .filter((r) => r.divergence === "none" || r.divergence === LOOP)
      .map((r) => r.process_id)
      .sort();
    assert.deepEqual(labelledEscu, ids);
    // Scores: the loopback detection is a lower-score Anomaly (no notable); the remote one a TTP at 54.
    const loop = h.results.find((r) => r.detection.name === LOOPBACK);
    assert.deepEqual(
      [loop?.detection.type, loop?.detection.riskScore, loop?.notables.length],
      ["Anomaly", 20, 0],
    );
    const hard = h.results.find((r) => r.detection.name === HARDENED);
    assert.deepEqual(
      [hard?.detection.type, hard?.detection.riskScore, hard?.notables.length],
      ["TTP", 54, 9],
    );
    assert.deepEqual(
      hard?.risk.filter((e) => e.risk_object === "srv-b").map((e) => [e.risk_score, e.risk_message]),
      [[54, "winrs.exe on WS-77.corp.test started a process on the remote endpoint srv-b"]],
    );
  });

  it("takes every Unicode Dash character (and only the flagship's `-` without a label) as a switch", async () => {
    // The class is Unicode's Dash property as this Node knows it, not the macro's own list.
    const dashes: number[] = [];
    for (let c = 0x80; c <= 0x10ffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      if (/\p{Dash}/u.test(String.fromCodePoint(c))) dashes.push(c);
    }
    assert.ok(dashes.includes(0x2212) && dashes.includes(0x2013) && dashes.length >= 30);
    const hex = (c: number) => c.toString(16).toUpperCase().padStart(4, "0");
    const lines = dashes.map((c, i) =>
      sysmon1(
        i + 1,
        WINRS,
        `winrs ${String.fromCodePoint(c)}${i % 2 ? "remote" : "R"}:srv-${hex(c)} hostname`,
      ),
    );
    const t = tempFiles({ "dashes.xml.log": `${lines.join("\n")}\n` });
    try {
      const h = await hunt({ paths: [t.path("dashes.xml.log")], content });
      const got = rowsOf(h.results, HARDENED)
        .map((r) => [r.dest_target, r.divergence])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
      const want = dashes
        .map((c) => [`srv-${hex(c)}`, `unicode dash U+${hex(c)}`])
        .sort((a, b) => a[0].localeCompare(b[0]));
      assert.deepEqual(got, want);
      assert.deepEqual(h.results.find((r) => r.detection.id === FLAGSHIP_ID)?.rows, []);
    } finally {
      t.cleanup();
    }
  });
});

describe("WinRM pack: the faithful flagship never changes", () => {
  it("gives identical flagship rows with and without the pack over all of ../shared/data and the cases", async () => {
    const paths = [sharedPath("data"), sharedPath("cases")];
    const withPack = await hunt({ paths, content });
    const without = await hunt({ paths, content: withoutPack(content), lateralMovement: false });
    const flagship = (h: typeof withPack) => h.results.find((r) => r.detection.id === FLAGSHIP_ID);
    const a = flagship(withPack);
    const b = flagship(without);
    assert.ok(a && b);
    assert.ok(a.rows.length > 0);
    assert.deepEqual(a.columns, b.columns);
    assert.deepEqual(a.rows, b.rows);
    assert.deepEqual(a.risk, b.risk);
    assert.deepEqual(a.notables, b.notables);
    assert.equal(without.results.length, 1);
    assert.equal(without.lateralMovement, undefined);
    assert.equal(withPack.results.length, 8);
  });

  it("--no-pack runs the flagship alone", () => {
    const r = runCli(["hunt", "examples/", "--format", "jsonl", "--no-pack"]);
    assert.equal(r.code, 0);
    const names = new Set(
      r.stdout
        .trimEnd()
        .split("\n")
        .map((l) => (JSON.parse(l) as { detection: string }).detection),
    );
    assert.deepEqual([...names], ["Remote Process Instantiation via WinRM and Winrs"]);
    assert.match(r.stderr, /1 detection run; 4 rows, 4 risk events/);
  });
});

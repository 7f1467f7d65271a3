import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { WinEvent } from "../../src/model/event.js";
import { parseEventTime } from "../../src/normalize/event-time.js";
import { ENDPOINT_PROCESSES } from "../../src/normalize/maps/endpoint-processes.js";
import { SECURITY_4688 } from "../../src/normalize/maps/security-4688.js";
import { SYSMON_1 } from "../../src/normalize/maps/sysmon-1.js";
import { normalizeEvent } from "../../src/normalize/normalize-event.js";
import { findMapping, SOURCE_MAPPINGS } from "../../src/normalize/registry.js";

function ev(partial: Partial<WinEvent> & { data: Record<string, string> }): WinEvent {
  return {
    provider: "",
    channel: "",
    eventId: 0,
    computer: "",
    origin: { file: "inline" },
    ...partial,
  };
}

const sysmon = (data: Record<string, string>, computer = "WS-01.corp.example") =>
  normalizeEvent(
    ev({
      provider: "Microsoft-Windows-Sysmon",
      channel: "Microsoft-Windows-Sysmon/Operational",
      eventId: 1,
      computer,
      timeCreated: "2024-03-07T09:20:12.9990000Z",
      data,
    }),
    SYSMON_1,
    ENDPOINT_PROCESSES,
  );

const sec4688 = (data: Record<string, string>) =>
  normalizeEvent(
    ev({
      provider: "Microsoft-Windows-Security-Auditing",
      channel: "Security",
      eventId: 4688,
      computer: "fs03vuln.offsec.lan",
      timeCreated: "2021-12-07T14:54:22.5930000Z",
      data,
    }),
    SECURITY_4688,
    ENDPOINT_PROCESSES,
  );

describe("Sysmon Event ID 1 → Endpoint.Processes (SEMANTICS §3)", () => {
  it("maps every field of a full event", () => {
    const r = sysmon({
      UtcTime: "2024-03-07 09:20:11.510",
      ProcessGuid: "{6F1C2D3E-5544-65E7-0101-0000000015A8}",
      ProcessId: "5544",
      Image: "C:\\Windows\\System32\\winrs.exe",
      OriginalFileName: "winrs.exe",
      CommandLine: 'winrs  -remote:SRV-APP-03 "hostname"',
      CurrentDirectory: "C:\\Users\\bob\\",
      User: "CORP\\bob",
      IntegrityLevel: "Medium",
      Hashes: "SHA256=AB12",
      ParentProcessGuid: "{6F1C2D3E-3320-65E7-0101-000000000CF8}",
      ParentProcessId: "3320",
      ParentImage: "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
      ParentCommandLine: "powershell.exe",
    });
    assert.deepEqual(r, {
      _time: 1709803211.51,
      dest: "WS-01.corp.example",
      user: "bob",
      process: 'winrs  -remote:SRV-APP-03 "hostname"',
      process_path: "C:\\Windows\\System32\\winrs.exe",
      process_name: "winrs.exe",
      process_exec: "winrs.exe",
      process_id: "5544",
      process_guid: "{6F1C2D3E-5544-65E7-0101-0000000015A8}",
      parent_process: "powershell.exe",
      parent_process_path: "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
      parent_process_name: "powershell.exe",
      parent_process_exec: "powershell.exe",
      parent_process_id: "3320",
      parent_process_guid: "{6F1C2D3E-3320-65E7-0101-000000000CF8}",
      original_file_name: "winrs.exe",
      process_hash: "SHA256=AB12",
      process_integrity_level: "medium",
      process_current_directory: "C:\\Users\\bob\\",
      action: "allowed",
      vendor_product: "Microsoft Sysmon",
    });
  });

  it("strips domains and treats `-` user and OriginalFileName as missing", () => {
    assert.equal(sysmon({ User: "NT AUTHORITY\\SYSTEM" }).user, "SYSTEM");
    assert.equal(sysmon({ User: "-" }).user, "unknown");
    assert.equal(sysmon({ OriginalFileName: "-" }).original_file_name, "unknown");
    assert.equal(sysmon({ OriginalFileName: "Cmd.Exe" }).original_file_name, "Cmd.Exe");
  });

  it("keeps `-` as the parent name and fills missing fields with unknown", () => {
    const r = sysmon({ ParentImage: "-", ParentCommandLine: "-" });
    assert.equal(r.parent_process_name, "-");
    assert.equal(r.parent_process, "-");
    assert.equal(r.process, "unknown");
    assert.equal(r.process_name, "unknown");
    assert.equal(r.process_id, undefined);
  });

  it("derives process_name from the command line's first token when Image is missing", () => {
    assert.equal(sysmon({ CommandLine: '"C:\\Program Files\\x y\\a.exe" -r:z' }).process_name, "a.exe");
    assert.equal(sysmon({ CommandLine: "winrs -r:z" }).process_name, "winrs");
  });

  it("takes _time from UtcTime, falling back to TimeCreated", () => {
    assert.equal(sysmon({ UtcTime: "2024-03-07 09:20:11.510" })._time, 1709803211.51);
    assert.equal(sysmon({})._time, 1709803212.999);
  });
});

describe("Security 4688 → Endpoint.Processes (SEMANTICS §3)", () => {
  it("keeps hex ids verbatim and takes the parent from ParentProcessName", () => {
    const r = sec4688({
      SubjectUserName: "admmig",
      TargetUserName: "-",
      NewProcessId: "0xfa8",
      NewProcessName: "C:\\Windows\\System32\\winrs.exe",
      ProcessId: "0xa0c",
      CommandLine: "C:\\Windows\\system32\\winrs.exe -remote:dc01   whoami",
      ParentProcessName: "C:\\Windows\\System32\\cmd.exe",
    });
    assert.deepEqual(r, {
      _time: 1638888862.593,
      dest: "fs03vuln.offsec.lan",
      user: "admmig",
      process: "C:\\Windows\\system32\\winrs.exe -remote:dc01   whoami",
      process_path: "C:\\Windows\\System32\\winrs.exe",
      process_name: "winrs.exe",
      process_exec: "winrs.exe",
      process_id: "0xfa8",
      parent_process: "C:\\Windows\\System32\\cmd.exe",
      parent_process_path: "C:\\Windows\\System32\\cmd.exe",
      parent_process_name: "cmd.exe",
      parent_process_exec: "cmd.exe",
      parent_process_id: "0xa0c",
      original_file_name: "unknown",
      action: "allowed",
      vendor_product: "Microsoft Windows",
    });
  });

  it("prefers TargetUserName unless it is `-`", () => {
    assert.equal(sec4688({ SubjectUserName: "WIN$", TargetUserName: "alice" }).user, "alice");
    assert.equal(sec4688({ SubjectUserName: "svc_backup" }).user, "svc_backup");
    assert.equal(sec4688({}).user, "unknown");
  });

  it("rebuilds process from NewProcessName when the first token has no backslash", () => {
    const img = "C:\\Windows\\System32\\winrs.exe";
    assert.equal(
      sec4688({ NewProcessName: img, CommandLine: "winrs -r:dc1 hostname" }).process,
      "C:\\Windows\\System32\\winrs.exe -r:dc1 hostname",
    );
    assert.equal(
      sec4688({ NewProcessName: img, CommandLine: 'winrs.exe -R:dc01.offsec.lan     "net user"' }).process,
      'C:\\Windows\\System32\\winrs.exe -R:dc01.offsec.lan     "net user"',
    );
    assert.equal(
      sec4688({ NewProcessName: "C:\\Program Files\\A B\\t.exe", CommandLine: "t.exe /x" }).process,
      '"C:\\Program Files\\A B\\t.exe" /x',
    );
    assert.equal(
      sec4688({ NewProcessName: img, CommandLine: '"C:\\Windows\\System32\\winrs.exe" -REMOTE:x' }).process,
      '"C:\\Windows\\System32\\winrs.exe" -REMOTE:x',
    );
    assert.equal(sec4688({ NewProcessName: img }).process, img, "command-line auditing off");
    assert.equal(sec4688({ NewProcessName: img, CommandLine: "" }).process, img);
  });

  it("fills parent_process_name with unknown on v1 events without ParentProcessName", () => {
    const r = sec4688({ NewProcessName: "C:\\Windows\\System32\\whoami.exe", ProcessId: "0x214" });
    assert.equal(r.parent_process_name, "unknown");
    assert.equal(r.parent_process, "unknown");
  });
});

describe("source matching", () => {
  it("needs the provider or channel word as well as the Event ID", () => {
    assert.equal(findMapping(SOURCE_MAPPINGS, "Microsoft-Windows-Sysmon", "", 1)?.id, "sysmon-1");
    assert.equal(findMapping(SOURCE_MAPPINGS, "", "Microsoft-Windows-Sysmon/Operational", 1)?.id, "sysmon-1");
    assert.equal(findMapping(SOURCE_MAPPINGS, "SecurityCenter", "Application", 1), undefined);
    assert.equal(findMapping(SOURCE_MAPPINGS, "Microsoft-Windows-Hyper-V-Netvsc", "System", 1), undefined);
    assert.equal(
      findMapping(SOURCE_MAPPINGS, "Microsoft-Windows-Security-Auditing", "Security", 4688)?.id,
      "security-4688",
    );
    assert.equal(findMapping(SOURCE_MAPPINGS, "Microsoft-Windows-Sysmon", "", 4688), undefined);
  });
});

describe("event times", () => {
  it("parses ISO with 7 and 9 fractional digits and Sysmon's UtcTime", () => {
    assert.equal(parseEventTime("2021-12-07T14:54:22.5930000Z"), 1638888862.593);
    assert.equal(parseEventTime("2021-12-07T14:54:22.593000000Z"), 1638888862.593);
    assert.equal(parseEventTime("2021-12-07 14:54:22.593"), 1638888862.593);
    assert.equal(parseEventTime("2021-12-07T10:54:22-04:00"), 1638888862);
    assert.equal(parseEventTime("yesterday"), undefined);
  });
});

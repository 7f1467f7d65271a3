/**
 * Sysmon 12, 13, 14 → Endpoint.Registry. Real events from ../shared/data for 12 and 13 (EVTX); Event ID 14
 * does not occur in the shared data, so its test uses an event written from Sysmon's schema. Expected values
 * are read off the raw events and the rules in docs/normalization.md, not from our output.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { WinEvent } from "../../src/model/event.js";
import { normalize, realEvent, utc } from "./real-event.js";

/** What CIM's Registry fills on every Sysmon record (no command lines, no value type). */
const CIM_FILLS = {
  registry_value_type: "unknown",
  process: "unknown",
  parent_process: "unknown",
  parent_process_name: "unknown",
};

const PSEXEC = "evtx-attack-samples/LM_sysmon_psexec_smb_meterpreter.evtx";

describe("Sysmon 13 (value set) → Endpoint.Registry", () => {
  it("maps every field of a typed DWORD value under HKLM\\System", async () => {
    const r = normalize(await realEvent(PSEXEC, 9805));
    assert.equal(r.mapping, "sysmon-13");
    assert.equal(r.dataset, "Endpoint.Registry");
    assert.deepEqual(r.record, {
      _time: utc(2019, 4, 30, 20, 26, 51, 934),
      dest: "IEWIN7",
      user: "unknown",
      process_guid: "{365ABB72-2586-5CC9-0000-0010DC530000}",
      process_id: "460",
      process_path: "C:\\Windows\\system32\\services.exe",
      process_name: "services.exe",
      process_exec: "services.exe",
      registry_path: "HKLM\\System\\CurrentControlSet\\services\\hello\\Start",
      registry_hive: "HKEY_LOCAL_MACHINE\\System",
      registry_key_name: "hello",
      registry_value_name: "Start",
      registry_value_data: "0x00000003",
      action: "modified",
      status: "success",
      vendor_product: "Microsoft Sysmon",
      ...CIM_FILLS,
    });
  });

  it("keeps an untyped Details (a service command line) verbatim", async () => {
    const e = await realEvent(PSEXEC, 9806);
    const r = normalize(e).record;
    assert.equal(r.registry_value_name, "ImagePath");
    assert.equal(r.registry_key_name, "hello");
    assert.equal(r.registry_value_data, e.data.Details);
    assert.ok(
      String(r.registry_value_data).startsWith("%%COMSPEC%% /b /c start /b /min powershell.exe -nop"),
    );
  });

  it("names HKU\\… the HKEY_CURRENT_USER hive (OTRF NXLog JSON)", async () => {
    const e = await realEvent("otrf-security-datasets/covenant_psremoting_command.zip", 478625);
    const r = normalize(e).record;
    assert.equal(r.registry_hive, "HKEY_CURRENT_USER");
    assert.equal(r.registry_key_name, "S-1-5-87-2163052498-987553006-3719078208-2765853471-413396153");
    assert.equal(r.registry_value_name, "Disabled");
    assert.equal(r.registry_value_data, "0x00000000");
    assert.equal(r.dest, "WORKSTATION6.theshire.local");
    assert.equal(r._time, utc(2020, 8, 6, 15, 56, 14, 711));
  });
});

describe("Sysmon 12 (key/value created or deleted) → Endpoint.Registry", () => {
  it("maps every field of a real DeleteValue (old Sysmon's \\REGISTRY\\ path: no hive)", async () => {
    const r = normalize(await realEvent("evtx-rs-samples/sysmon.evtx", 1873));
    assert.equal(r.mapping, "sysmon-12");
    assert.deepEqual(r.record, {
      _time: utc(2017, 12, 26, 13, 18, 8, 40),
      dest: "DESKTOP-2KGM189",
      user: "unknown",
      process_guid: "{94F748D5-4C0F-5A42-0000-00107B98FE0F}",
      process_id: "8268",
      process_path: "C:\\Users\\tony\\AppData\\Local\\Temp\\Procmon64.exe",
      process_name: "Procmon64.exe",
      process_exec: "Procmon64.exe",
      registry_path: "\\REGISTRY\\MACHINE\\SYSTEM\\ControlSet001\\Services\\PROCMON23\\Start",
      registry_key_name: "Start",
      registry_value_name: "unknown",
      registry_value_data: "unknown",
      action: "deleted",
      status: "success",
      vendor_product: "Microsoft Sysmon",
      ...CIM_FILLS,
    });
  });

  it("maps CreateKey to created and DeleteKey to deleted; another EventType leaves action unknown", () => {
    const key = "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\Updater";
    const created = normalize(sysmon(12, { EventType: "CreateKey", TargetObject: key })).record;
    assert.equal(created.action, "created");
    assert.equal(created.registry_hive, "HKEY_LOCAL_MACHINE\\Software");
    assert.equal(created.registry_key_name, "Updater");
    assert.equal(
      normalize(sysmon(12, { EventType: "DeleteKey", TargetObject: key })).record.action,
      "deleted",
    );
    assert.equal(normalize(sysmon(12, { TargetObject: key })).record.action, "unknown");
  });
});

function sysmon(eventId: number, data: Record<string, string>): WinEvent {
  return {
    provider: "Microsoft-Windows-Sysmon",
    channel: "Microsoft-Windows-Sysmon/Operational",
    eventId,
    computer: "WS-07.corp.example",
    timeCreated: "2024-05-02T08:00:01.0000000Z",
    data,
    origin: { file: "inline" },
  };
}

describe("Sysmon 14 (rename) → Endpoint.Registry (schema-built event: none in the shared data)", () => {
  it("maps every field of a key rename", () => {
    const r = normalize(
      sysmon(14, {
        RuleName: "-",
        EventType: "RenameKey",
        UtcTime: "2024-05-02 08:00:00.250",
        ProcessGuid: "{6F1C2D3E-1A2B-6633-0A01-000000001400}",
        ProcessId: "6120",
        Image: "C:\\Windows\\regedit.exe",
        TargetObject: "HKU\\S-1-5-21-1-2-3-1001\\Software\\Classes\\ms-settings\\Shell\\Open\\New Key #1",
        NewName: "HKU\\S-1-5-21-1-2-3-1001\\Software\\Classes\\ms-settings\\Shell\\Open\\command",
        User: "CORP\\alice",
      }),
    );
    assert.equal(r.mapping, "sysmon-14");
    assert.deepEqual(r.record, {
      _time: utc(2024, 5, 2, 8, 0, 0, 250),
      dest: "WS-07.corp.example",
      user: "alice",
      process_guid: "{6F1C2D3E-1A2B-6633-0A01-000000001400}",
      process_id: "6120",
      process_path: "C:\\Windows\\regedit.exe",
      process_name: "regedit.exe",
      process_exec: "regedit.exe",
      registry_path: "HKU\\S-1-5-21-1-2-3-1001\\Software\\Classes\\ms-settings\\Shell\\Open\\New Key #1",
      registry_hive: "HKEY_CURRENT_USER",
      registry_key_name: "New Key #1",
      registry_value_name: "unknown",
      registry_value_data: "unknown",
      action: "modified",
      status: "success",
      vendor_product: "Microsoft Sysmon",
      ...CIM_FILLS,
    });
  });
});

describe("registry transforms", () => {
  const set = (target: string, details?: string) =>
    normalize(
      sysmon(
        13,
        details === undefined ? { TargetObject: target } : { TargetObject: target, Details: details },
      ),
    ).record;

  it("names only the three hive prefixes the add-on knows, case-sensitively", () => {
    assert.equal(set("HKLM\\System\\Setup\\x").registry_hive, "HKEY_LOCAL_MACHINE\\System");
    assert.equal(set("HKLM\\SOFTWARE\\Policies\\x").registry_hive, "HKEY_LOCAL_MACHINE\\Software");
    assert.equal(set("HKU\\.DEFAULT\\Control Panel\\x").registry_hive, "HKEY_CURRENT_USER");
    assert.equal(set("HKLM\\SYSTEM\\Setup\\x").registry_hive, undefined);
    assert.equal(set("HKCR\\exefile\\shell\\open\\command\\(Default)").registry_hive, undefined);
  });

  it("splits key and value names on backslashes only", () => {
    const r = set("HKLM\\SOFTWARE\\Classes\\text/plain\\Content Type");
    assert.equal(r.registry_value_name, "Content Type");
    assert.equal(r.registry_key_name, "text/plain");
    const top = set("Lonely");
    assert.equal(top.registry_value_name, "Lonely");
    assert.equal(top.registry_key_name, "unknown");
  });

  it("strips the type only from a whole `<word> (<data>)` Details", () => {
    assert.equal(
      set("HKU\\x\\v", "QWORD (0x01d776fd-0xd724b8c5)").registry_value_data,
      "0x01d776fd-0xd724b8c5",
    );
    assert.equal(set("HKU\\x\\v", "Binary Data").registry_value_data, "Binary Data");
    assert.equal(
      set("HKU\\x\\v", "C:\\Program Files (x86)\\a.exe").registry_value_data,
      "C:\\Program Files (x86)\\a.exe",
    );
    assert.equal(
      set("HKU\\x\\v", "DWORD (0x00000001) trailing").registry_value_data,
      "DWORD (0x00000001) trailing",
    );
    assert.equal(set("HKU\\x\\v").registry_value_data, "unknown");
  });
});

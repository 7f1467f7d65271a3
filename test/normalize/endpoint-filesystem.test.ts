/**
 * Sysmon 2, 11, 23, 26 → Endpoint.Filesystem. Real events from ../shared/data where the data has them
 * (11 and 23); Event IDs 2 and 26 do not occur in the shared data, so their tests use events written from
 * Sysmon's schema. Expected values are read off the raw events (`winnow export -f jsonl`) and the rules in
 * docs/normalization.md, not from our output.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { WinEvent } from "../../src/model/event.js";
import { normalize, realEvent, utc } from "./real-event.js";

/** What CIM's Filesystem fills on every Sysmon record that has no command line or hash. */
const CIM_FILLS = {
  file_acl: "unknown",
  process: "unknown",
  parent_process: "unknown",
  parent_process_name: "unknown",
};

describe("Sysmon 11 (FileCreate) → Endpoint.Filesystem", () => {
  it("maps every field of a new file (UtcTime = CreationUtcTime → created)", async () => {
    const r = normalize(await realEvent("evtx-rs-samples/sysmon.evtx", 1765));
    assert.equal(r.mapping, "sysmon-11");
    assert.equal(r.dataset, "Endpoint.Filesystem");
    assert.deepEqual(r.record, {
      _time: utc(2017, 12, 26, 13, 11, 33, 753),
      dest: "DESKTOP-2KGM189",
      user: "unknown",
      process_guid: "{94F748D5-5A65-5966-0000-00100BF70000}",
      process_id: "436",
      process_path: "C:\\Windows\\system32\\svchost.exe",
      process_name: "svchost.exe",
      process_exec: "svchost.exe",
      file_path: "C:\\Windows\\SoftwareDistribution\\Download\\Install\\AM_Delta.exe",
      file_name: "AM_Delta.exe",
      file_create_time: "2017-12-26 13:11:33.753",
      action: "created",
      vendor_product: "Microsoft Sysmon",
      file_hash: "unknown",
      ...CIM_FILLS,
    });
  });

  it("calls an overwrite of an older file modified (CreationUtcTime before UtcTime)", async () => {
    const r = normalize(await realEvent("evtx-rs-samples/sysmon.evtx", 1773));
    assert.equal(r.record.action, "modified");
    assert.equal(r.record.file_create_time, "2017-12-26 13:11:52.254");
    assert.equal(r.record._time, utc(2017, 12, 26, 13, 11, 52, 255));
    assert.equal(r.record.file_name, "MpKsl34afefd5.sys");
    assert.equal(r.record.process_name, "MsMpEng.exe");
    assert.equal(r.record.process_path, "C:\\Program Files\\Windows Defender\\MsMpEng.exe");
  });
});

describe("Sysmon 23 (FileDelete) → Endpoint.Filesystem", () => {
  it("maps every field of a real archived deletion (OTRF NXLog JSON)", async () => {
    const r = normalize(await realEvent("otrf-security-datasets/covenant_com_wsman_automation.zip", 386330));
    assert.equal(r.mapping, "sysmon-23");
    assert.equal(r.dataset, "Endpoint.Filesystem");
    assert.deepEqual(r.record, {
      _time: utc(2020, 10, 13, 4, 26, 27, 878),
      dest: "WORKSTATION5.theshire.local",
      user: "pgustavo",
      process_guid: "{71b87c12-d7e5-5f84-0d01-000000000500}",
      process_id: "3356",
      process_path: "C:\\Users\\pgustavo\\Desktop\\GruntHTTP.exe",
      process_name: "GruntHTTP.exe",
      process_exec: "GruntHTTP.exe",
      file_path: "C:\\Users\\pgustavo\\AppData\\Local\\Temp\\__PSScriptPolicyTest_zdsoz2gd.d4s.ps1",
      file_name: "__PSScriptPolicyTest_zdsoz2gd.d4s.ps1",
      file_hash:
        "SHA1=6AB83620379FC69F80C0242105DDFFD7D98D5D9D,MD5=D17FE0A3F47BE24A6453E9EF58C94641,SHA256=96AD1146EB96877EAB5942AE0736B82D8B5E2039A80D3D6932665C1A4C87DCF7,IMPHASH=00000000000000000000000000000000",
      action: "deleted",
      vendor_product: "Microsoft Sysmon",
      ...CIM_FILLS,
    });
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

describe("Sysmon 26 and 2 → Endpoint.Filesystem (schema-built events: none in the shared data)", () => {
  it("maps a FileDeleteDetected like a FileDelete", () => {
    const r = normalize(
      sysmon(26, {
        RuleName: "-",
        UtcTime: "2024-05-02 08:00:00.125",
        ProcessGuid: "{6F1C2D3E-1A2B-6633-0A01-000000001200}",
        ProcessId: "4120",
        User: "CORP\\alice",
        Image: "C:\\Windows\\System32\\cmd.exe",
        TargetFilename: "C:\\Users\\alice\\AppData\\Local\\Temp\\stage.bat",
        Hashes: "SHA256=0F",
        IsExecutable: "false",
      }),
    );
    assert.equal(r.mapping, "sysmon-26");
    assert.deepEqual(r.record, {
      _time: utc(2024, 5, 2, 8, 0, 0, 125),
      dest: "WS-07.corp.example",
      user: "alice",
      process_guid: "{6F1C2D3E-1A2B-6633-0A01-000000001200}",
      process_id: "4120",
      process_path: "C:\\Windows\\System32\\cmd.exe",
      process_name: "cmd.exe",
      process_exec: "cmd.exe",
      file_path: "C:\\Users\\alice\\AppData\\Local\\Temp\\stage.bat",
      file_name: "stage.bat",
      file_hash: "SHA256=0F",
      action: "deleted",
      vendor_product: "Microsoft Sysmon",
      ...CIM_FILLS,
    });
  });

  it("maps a file-creation-time change as modified with the new creation time", () => {
    const r = normalize(
      sysmon(2, {
        RuleName: "-",
        UtcTime: "2024-05-02 08:00:00.500",
        ProcessGuid: "{6F1C2D3E-1A2B-6633-0A01-000000001300}",
        ProcessId: "5004",
        Image: "C:\\Users\\alice\\timestomp.exe",
        TargetFilename: "C:\\Windows\\System32\\evil.dll",
        CreationUtcTime: "2019-03-19 04:45:12.000",
        PreviousCreationUtcTime: "2024-05-02 07:59:58.000",
        User: "CORP\\alice",
      }),
    );
    assert.equal(r.mapping, "sysmon-2");
    assert.deepEqual(r.record, {
      _time: utc(2024, 5, 2, 8, 0, 0, 500),
      dest: "WS-07.corp.example",
      user: "alice",
      process_guid: "{6F1C2D3E-1A2B-6633-0A01-000000001300}",
      process_id: "5004",
      process_path: "C:\\Users\\alice\\timestomp.exe",
      process_name: "timestomp.exe",
      process_exec: "timestomp.exe",
      file_path: "C:\\Windows\\System32\\evil.dll",
      file_name: "evil.dll",
      file_create_time: "2019-03-19 04:45:12.000",
      action: "modified",
      vendor_product: "Microsoft Sysmon",
      file_hash: "unknown",
      ...CIM_FILLS,
    });
  });

  it("fills an event with nothing in it the way CIM does", () => {
    const r = normalize(sysmon(11, {}));
    assert.deepEqual(r.record, {
      _time: utc(2024, 5, 2, 8, 0, 1, 0),
      dest: "WS-07.corp.example",
      user: "unknown",
      action: "unknown",
      file_name: "unknown",
      file_path: "unknown",
      file_hash: "unknown",
      process_name: "unknown",
      vendor_product: "Microsoft Sysmon",
      ...CIM_FILLS,
    });
  });

  it("leaves Event ID 11 from a provider that is not Sysmon unmapped", () => {
    assert.throws(() =>
      normalize({ ...sysmon(11, {}), provider: "Microsoft-Windows-Kernel-General", channel: "System" }),
    );
  });
});

/**
 * Sysmon 3 (network connection) → Network_Traffic.All_Traffic, on real events from ../shared/data: EVTX
 * (host names resolved, or empty), OTRF NXLog JSON (`-` host names) and Splunk attack data (no ProcessId, no
 * DestinationHostname). Expected values are read off the raw events and docs/normalization.md.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { WinEvent } from "../../src/model/event.js";
import { normalize, realEvent, utc } from "./real-event.js";

describe("Sysmon 3 → Network_Traffic.All_Traffic", () => {
  it("maps every field of an outbound connection with both host names resolved", async () => {
    const r = normalize(await realEvent("evtx-attack-samples/LM_wmiexec_impacket_sysmon_whoami.evtx", 9830));
    assert.equal(r.mapping, "sysmon-3");
    assert.equal(r.dataset, "Network_Traffic.All_Traffic");
    assert.deepEqual(r.record, {
      _time: utc(2019, 4, 30, 20, 32, 51, 144),
      src: "IEWIN7",
      src_ip: "127.0.0.1",
      src_port: "49162",
      dest: "IEWIN7",
      dest_ip: "127.0.0.1",
      dest_port: "445",
      transport: "tcp",
      protocol: "ip",
      protocol_version: "ipv4",
      direction: "outbound",
      app: "System",
      dvc: "IEWIN7",
      user: "SYSTEM",
      process_guid: "{365ABB72-2584-5CC9-0000-0010EA030000}",
      process_id: "4",
      action: "allowed",
      vendor_product: "Microsoft Sysmon",
      rule: "unknown",
    });
  });

  it("falls back to the IP when the host name is empty, and calls Initiated=false inbound", async () => {
    const r = normalize(
      await realEvent("evtx-attack-samples/LM_sysmon_psexec_smb_meterpreter.evtx", 9811),
    ).record;
    assert.equal(r.src, "IEWIN7");
    assert.equal(r.dest, "10.0.2.19");
    assert.equal(r.dest_ip, "10.0.2.19");
    assert.equal(r.src_port, "445");
    assert.equal(r.dest_port, "33801");
    assert.equal(r.direction, "inbound");
    assert.equal(r._time, utc(2019, 4, 30, 20, 26, 51, 599));
  });

  it("treats `-` host names as none (OTRF NXLog JSON, DNS over UDP)", async () => {
    const r = normalize(
      await realEvent("otrf-security-datasets/covenant_com_wsman_automation.zip", 338872),
    ).record;
    assert.deepEqual(r, {
      _time: utc(2020, 10, 13, 4, 24, 51, 699),
      src: "172.18.38.5",
      src_ip: "172.18.38.5",
      src_port: "53",
      dest: "172.18.39.5",
      dest_ip: "172.18.39.5",
      dest_port: "60397",
      transport: "udp",
      protocol: "ip",
      protocol_version: "ipv4",
      direction: "inbound",
      app: "C:\\Windows\\System32\\dns.exe",
      dvc: "MORDORDC.theshire.local",
      user: "SYSTEM",
      process_guid: "{029f9482-bfb1-5f84-5300-000000000400}",
      process_id: "3712",
      action: "allowed",
      vendor_product: "Microsoft Sysmon",
      rule: "unknown",
    });
  });

  it("leaves process_id null when the event has none (Splunk attack data)", async () => {
    const r = normalize(
      await realEvent("splunk-attack-data/T1027_atomic_red_team_attack_data.tar.gz", 2003),
    ).record;
    assert.equal(r.process_id, undefined);
    assert.equal(r.process_guid, "{A837DB8D-01BD-5F25-0000-00108F930200}");
    assert.equal(r.app, "C:\\Users\\Public\\splunkd.exe");
    assert.equal(r.src, "win-dc-881393.attackrange.local");
    assert.equal(r.dest, "10.0.1.12");
    assert.equal(r.dest_port, "7010");
    assert.equal(r.direction, "outbound");
    assert.equal(r._time, utc(2020, 8, 1, 5, 46, 46, 832));
  });
});

describe("All_Traffic calculated fields", () => {
  const ev = (data: Record<string, string>): WinEvent => ({
    provider: "Microsoft-Windows-Sysmon",
    channel: "Microsoft-Windows-Sysmon/Operational",
    eventId: 3,
    computer: "WS-07.corp.example",
    timeCreated: "2024-05-02T08:00:01.0000000Z",
    data,
    origin: { file: "inline" },
  });

  it("lower-cases transport, zeroes ports that are not numbers, fills the rest with unknown", () => {
    assert.deepEqual(normalize(ev({ Protocol: "TCP", SourcePort: "-", SourceIsIpv6: "true" })).record, {
      _time: utc(2024, 5, 2, 8, 0, 1, 0),
      transport: "tcp",
      src_port: "0",
      dest_port: "0",
      protocol: "ip",
      protocol_version: "ipv6",
      direction: "inbound",
      dvc: "WS-07.corp.example",
      src: "unknown",
      dest: "unknown",
      user: "unknown",
      rule: "unknown",
      action: "allowed",
      vendor_product: "Microsoft Sysmon",
    });
    assert.equal(normalize(ev({})).record.transport, "unknown");
  });
});

/**
 * The event filter sees the System values first; rejected records are counted but not produced.
 * Expected numbers come from the MANIFEST (sysmon.evtx: 358 records, 227 Sysmon EID 1).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sharedPath } from "../../support/shared.js";
import { readAll } from "./read-all.js";

describe("EVTX event filter", () => {
  it("is called once per record with provider, channel and EventID, and only kept events are produced", async () => {
    const seen: string[] = [];
    const { events, counts } = await readAll(
      sharedPath("data/evtx-rs-samples/sysmon.evtx"),
      "sysmon.evtx",
      (provider, channel, eventId) => {
        seen.push(`${provider}|${channel}|${eventId}`);
        return eventId === 1;
      },
    );
    assert.equal(seen.length, 358);
    assert.equal(counts.events, 358);
    assert.equal(events.length, 227);
    assert.ok(events.every((e) => e.eventId === 1 && e.data.CommandLine !== undefined));
    const sysmon1 = "Microsoft-Windows-Sysmon|Microsoft-Windows-Sysmon/Operational|1";
    assert.equal(seen.filter((s) => s === sysmon1).length, 227);
  });

  it("a filter that rejects everything produces nothing but still counts every record", async () => {
    const { events, counts } = await readAll(
      sharedPath("data/dfir-artifact-museum/Win10_APTSimulatorVM_Security.evtx"),
      "security.evtx",
      () => false,
    );
    assert.equal(events.length, 0);
    assert.deepEqual(counts, { events: 5337, malformed: 0, recovered: 0 });
  });
});

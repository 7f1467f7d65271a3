/**
 * A HEC `source` naming a Windows event log chooses the field mapping, as Splunk's add-ons key their transforms
 * on the source (issue 9: "when given, sourcetype/source choose the parser and the field mapping as in Splunk,
 * otherwise the content decides"): on /event (the envelope's `source`) and /raw (`?source=`), with and without
 * the intake's header filter.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { findMapping, mappingFilter, SOURCE_MAPPINGS } from "../../../src/normalize/registry.js";
import { eventFromEnvelope } from "../../../src/service/hec/envelope-event.js";
import { rawEvents } from "../../../src/service/hec/raw-events.js";
import { sourceChannel } from "../../../src/service/hec/source-channel.js";
import { sharedPath } from "../../support/shared.js";

/** A real 4688 event whose provider no longer says "Security", logged in Application: only a channel can map it. */
const line = readFileSync(sharedPath("cases/03-missing-parent-null-by-fields/events.xml.log"), "utf8")
  .split("\n")
  .find((l) => l.includes("<EventID>4688</EventID>"));
assert.ok(line !== undefined);
const moved = line
  .replace(/<Provider Name='[^']*'/, "<Provider Name='Microsoft Windows security auditing.'")
  .replace(/<Channel>[^<]*<\/Channel>/, "<Channel>Application</Channel>");
const mapped = (e: { provider: string; channel: string; eventId: number }) =>
  findMapping(SOURCE_MAPPINGS, e.provider, e.channel, e.eventId)?.id;
const filter = mappingFilter(SOURCE_MAPPINGS);

describe("HEC source chooses the field mapping", () => {
  it("reads the channel from XmlWinEventLog:/WinEventLog: sources only", () => {
    assert.equal(sourceChannel("XmlWinEventLog:Security"), "Security");
    assert.equal(
      sourceChannel("wineventlog:Microsoft-Windows-Sysmon/Operational"),
      "Microsoft-Windows-Sysmon/Operational",
    );
    assert.equal(sourceChannel(" XmlWinEventLog: Security "), "Security");
    for (const s of [undefined, "", "XmlWinEventLog:", "XmlWinEventLog", "C:\\logs\\security.evtx", "hec"])
      assert.equal(sourceChannel(s), undefined, String(s));
  });

  it("/event: the envelope's source maps the event as that channel's; without one the content decides", () => {
    const env = (source?: string) => JSON.stringify({ event: moved, sourcetype: "XmlWinEventLog", source });
    for (const [source, want] of [
      [undefined, undefined],
      ["hec-test", undefined],
      ["XmlWinEventLog:Security", "security-4688"],
    ] as const) {
      const r = eventFromEnvelope(env(source));
      assert.equal(r.kind, "event");
      if (r.kind !== "event") continue;
      assert.equal(mapped(r.event), want, String(source));
      // With the intake's filter, the header is judged with the same channel: filtered exactly when unmapped.
      const f = eventFromEnvelope(env(source), filter);
      assert.equal(f.kind, want === undefined ? "filtered" : "event", String(source));
    }
    // And a source naming another log takes a real Security event out of Security's mapping when its provider
    // does not name it either.
    const r = eventFromEnvelope(
      JSON.stringify({ event: moved.replace("Application", "Security"), source: "WinEventLog:Application" }),
    );
    assert.ok(r.kind === "event");
    assert.equal(r.event.channel, "Application");
    assert.equal(mapped(r.event), undefined);
  });

  it("/raw: ?source= maps every event of the body as that channel's", async () => {
    const body = Buffer.from(`${moved}\n${moved}\n`);
    const plain = await rawEvents(body, { sourcetype: "XmlWinEventLog", file: "hec" });
    assert.deepEqual(plain.events.map(mapped), [undefined, undefined]);
    const labelled = await rawEvents(body, {
      sourcetype: "XmlWinEventLog",
      source: "XmlWinEventLog:Security",
      file: "hec",
    });
    assert.deepEqual(
      labelled.events.map((e) => [e.channel, mapped(e)]),
      [
        ["Security", "security-4688"],
        ["Security", "security-4688"],
      ],
    );
  });
});

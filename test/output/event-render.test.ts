/**
 * Event renderers for `winnow export`: one line per event, XmlWinEventLog-style XML or JSON, with
 * values that come back exactly when parsed (checked with saxes, a validating XML parser).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SaxesParser } from "saxes";
import { parseEventXml } from "../../src/ingest/xml/parse-event-xml.js";
import type { WinEvent } from "../../src/model/event.js";
import { renderEventJson } from "../../src/output/event-json.js";
import { renderEventXml } from "../../src/output/event-xml.js";
import { readAll } from "../ingest/evtx/read-all.js";
import { sharedPath } from "../support/shared.js";

const event: WinEvent = {
  provider: "Microsoft-Windows-Security-Auditing",
  channel: "Security",
  eventId: 4688,
  version: 2,
  computer: "fs03vuln.offsec.lan",
  timeCreated: "2021-12-07T14:54:22.0715625Z",
  recordId: 1101626,
  data: {
    NewProcessId: "0xfa8",
    CommandLine: `cmd /c "a & b" <x> 'y'\r\n\tnext`,
  },
  origin: { file: "x.evtx", chunk: 0, offset: 4608 },
};

/** Parses one rendered line back into System values and Data name → text. */
function parseBack(xml: string): { system: Record<string, string>; data: Record<string, string> } {
  const system: Record<string, string> = {};
  const data: Record<string, string> = {};
  const parser = new SaxesParser();
  const stack: string[] = [];
  let dataName = "";
  let text = "";
  parser.on("opentag", (t) => {
    stack.push(t.name);
    text = "";
    if (t.name === "Data") dataName = String(t.attributes.Name ?? "");
    if (t.name === "Provider") system.provider = String(t.attributes.Name ?? "");
    if (t.name === "TimeCreated") system.timeCreated = String(t.attributes.SystemTime ?? "");
  });
  parser.on("text", (t) => {
    text += t;
  });
  parser.on("closetag", (t) => {
    stack.pop();
    if (t.name === "Data") data[dataName] = text;
    else if (stack.at(-1) === "System") system[t.name] = text;
  });
  parser.write(xml).close();
  return { system, data };
}

describe("event renderers", () => {
  it("XML: one line in XmlWinEventLog shape, all five special characters escaped", () => {
    const xml = renderEventXml(event);
    assert.equal(
      xml,
      "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>" +
        "<Provider Name='Microsoft-Windows-Security-Auditing'/><EventID>4688</EventID><Version>2</Version>" +
        "<TimeCreated SystemTime='2021-12-07T14:54:22.0715625Z'/><EventRecordID>1101626</EventRecordID>" +
        "<Channel>Security</Channel><Computer>fs03vuln.offsec.lan</Computer></System><EventData>" +
        "<Data Name='NewProcessId'>0xfa8</Data>" +
        "<Data Name='CommandLine'>cmd /c &quot;a &amp; b&quot; &lt;x&gt; &apos;y&apos;&#13;&#10;&#9;next</Data>" +
        "</EventData></Event>",
    );
    assert.ok(!xml.includes("\n"));
  });

  it("XML: a validating parser gives every value back exactly", () => {
    const back = parseBack(renderEventXml(event));
    assert.deepEqual(back.data, event.data);
    assert.equal(back.system.provider, event.provider);
    assert.equal(back.system.timeCreated, event.timeCreated);
    assert.equal(back.system.EventID, "4688");
    assert.equal(back.system.EventRecordID, "1101626");
    assert.equal(back.system.Channel, "Security");
    assert.equal(back.system.Computer, "fs03vuln.offsec.lan");
  });

  it("XML: an event without data has no EventData and optional System values are left out", () => {
    const xml = renderEventXml({ ...event, data: {}, version: undefined, recordId: undefined });
    assert.ok(xml.endsWith("<Computer>fs03vuln.offsec.lan</Computer></System></Event>"));
    assert.ok(!xml.includes("<Version>") && !xml.includes("<EventRecordID>"));
  });

  it("JSON: one line with the export field names, values round-trip", () => {
    const line = renderEventJson(event);
    assert.equal(
      line,
      `{"provider":"Microsoft-Windows-Security-Auditing","channel":"Security","event_id":4688,"version":2,` +
        '"computer":"fs03vuln.offsec.lan","time_created":"2021-12-07T14:54:22.0715625Z","record_id":1101626,' +
        '"data":{"NewProcessId":"0xfa8","CommandLine":"cmd /c \\"a & b\\" <x> \'y\'\\r\\n\\tnext"}}',
    );
    const back: unknown = JSON.parse(line);
    assert.deepEqual(back, {
      provider: event.provider,
      channel: event.channel,
      event_id: 4688,
      version: 2,
      computer: event.computer,
      time_created: event.timeCreated,
      record_id: 1101626,
      data: event.data,
    });
  });

  it("JSON: missing time and record id are null", () => {
    const back: unknown = JSON.parse(
      renderEventJson({ ...event, timeCreated: undefined, recordId: undefined }),
    );
    assert.ok(typeof back === "object" && back !== null);
    assert.equal((back as Record<string, unknown>).time_created, null);
    assert.equal((back as Record<string, unknown>).record_id, null);
  });

  it("XML export of real EVTX events reads back identically through Winnow's XML reader", async () => {
    const files = [
      "evtx-rs-samples/sysmon.evtx",
      "evtx-rs-samples/security.evtx",
      "evtx-rs-samples/Application_no_crc32.evtx", // unnamed Data items
      "evtx-to-mitre-attack/ID4656-WS_Management_listener_enumeration.evtx", // CR LF and tabs in values
    ];
    let n = 0;
    for (const rel of files) {
      const { events } = await readAll(sharedPath(`data/${rel}`), rel);
      for (const e of events) {
        const back = parseEventXml(renderEventXml(e));
        assert.ok("event" in back, `${rel} record ${e.recordId}`);
        const b = back.event;
        assert.deepEqual(
          [b.provider, b.channel, b.eventId, b.version, b.computer, b.timeCreated, b.recordId],
          [e.provider, e.channel, e.eventId, e.version, e.computer, e.timeCreated, e.recordId],
          `${rel} record ${e.recordId}`,
        );
        assert.deepEqual(b.data, e.data, `${rel} record ${e.recordId}`);
        n++;
      }
    }
    assert.equal(n, 358 + 2261 + 17 + 29);
  });
});

/**
 * The XML reader's header skip: with the loaded detections' filter, an event whose System header the filter
 * rejects is checked but not built (no EventData decoded), and it is still counted. Reading with the filter
 * must give exactly what reading without it and dropping the rejected events gives: the same events, counts,
 * malformed records and diagnostics — damaged events included, whether or not a detection could use them.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import type { EventFilter } from "../../src/ingest/types.js";
import { FILTERED, scanEventXml } from "../../src/ingest/xml/event-scan.js";
import { parseEventXml, parseEventXmlFiltered } from "../../src/ingest/xml/parse-event-xml.js";
import { findMapping, SOURCE_MAPPINGS } from "../../src/normalize/registry.js";
import { collect, SHARED } from "./collect-events.js";
import { type TempDir, tempFiles } from "./temp-inputs.js";

const SYSMON = "Microsoft-Windows-Sysmon";
const CHANNEL = "Microsoft-Windows-Sysmon/Operational";

function ev(id: number, data: string, opts: { provider?: string; channel?: string; extra?: string } = {}) {
  const provider = opts.provider ?? SYSMON;
  const channel = opts.channel ?? CHANNEL;
  return (
    `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='${provider}'/>` +
    `<EventID>${id}</EventID><Version>5</Version><TimeCreated SystemTime='2024-01-01T00:00:0${id % 10}.000Z'/>` +
    `<EventRecordID>${id}</EventRecordID><Channel>${channel}</Channel><Computer>host-${id}</Computer>` +
    `${opts.extra ?? ""}</System><EventData>${data}</EventData></Event>`
  );
}

/** Relevant (Sysmon 1) and irrelevant events, well-formed and damaged, in every layout the reader takes. */
const LINES = [
  ev(1, "<Data Name='Image'>C:\\a.exe</Data><Data Name='CommandLine'>a &amp; b</Data>"),
  ev(3, "<Data Name='Image'>C:\\net.exe</Data><Data Name='DestinationIp'>10.0.0.1</Data>"),
  ev(13, "<Data Name='TargetObject'>HKLM\\x</Data><Data>unnamed</Data><Binary>00FF</Binary><Data Name='e'/>"),
  // irrelevant and damaged in its EventData: still `xml-malformed`, not counted as an event
  ev(3, "<Data Name='Image'>C:\\x.exe</Data><Data Name='Bad'>a<b</Data>"),
  ev(3, "<Data Name='Image'>unclosed"),
  ev(5, "<Data Name='x'>y</Dat></Data>"),
  // irrelevant, layouts the fast path declines (CDATA, comment, UserData, text in EventData): parsed in full
  ev(7, "<Data Name='Image'><![CDATA[C:\\cdata.exe]]></Data>"),
  ev(8, "<!-- note --><Data Name='Image'>c</Data>"),
  ev(9, "stray text<Data Name='Image'>c</Data>"),
  `<Event><System><Provider Name='${SYSMON}'/><EventID>10</EventID><Channel>${CHANNEL}</Channel><Computer>u</Computer></System><UserData><X><Y>1</Y></X></UserData></Event>`,
  `<Event><System><Provider Name='${SYSMON}'/><EventID>11</EventID><Channel>${CHANNEL}</Channel><Computer>u</Computer></System><UserData><X><Y>1</Y></Z></UserData></Event>`,
  // the header decides: relevant by channel only, by provider only; entities in the header
  ev(1, "<Data Name='Image'>by-channel.exe</Data>", { provider: "Other" }),
  ev(1, "<Data Name='Image'>by-provider.exe</Data>", { channel: "Other" }),
  ev(1, "<Data Name='Image'>neither.exe</Data>", { provider: "Other", channel: "Other" }),
  ev(1, "<Data Name='Image'>amp.exe</Data>", { provider: "Sys&amp;mon", channel: "Other" }),
  ev(4688, "<Data Name='NewProcessName'>C:\\b.exe</Data>", {
    provider: "Microsoft-Windows-Security-Auditing",
    channel: "Security",
  }),
  ev(4624, "<Data Name='TargetUserName'>u</Data>", {
    provider: "Microsoft-Windows-Security-Auditing",
    channel: "Security",
  }),
  // damaged System parts after the header fields
  ev(3, "<Data Name='a'>b</Data>", { extra: "<Security UserID='S-1'/>" }).replace(
    "<Computer>host-3</Computer>",
    "<Computer>ho<st</Computer>",
  ),
  ev(3, "<Data Name='a'>b</Data>").replace(
    "<TimeCreated SystemTime='2024-01-01T00:00:03.000Z'/>",
    "<TimeCreated",
  ),
  // prefixed elements
  `<e:Event xmlns:e='urn:x'><e:System><e:Provider Name='${SYSMON}'/><e:EventID>3</e:EventID><e:Channel>${CHANNEL}</e:Channel></e:System></e:Event>`,
];

/** A pretty-printed event over several lines, and an `<Events>` export with two events on one line. */
const PRETTY = `${ev(3, "\n  <Data Name='Image'>multi</Data>\n  <Data Name='x'>y</Data>\n").replace(/></g, ">\n<")}\n`;
const EXPORT = `<?xml version='1.0'?><Events>${ev(3, "<Data Name='a'>1</Data>")}${ev(1, "<Data Name='Image'>in-export.exe</Data>")}</Events>\n`;

const processes = SOURCE_MAPPINGS.filter((m) => m.dataset === "Endpoint.Processes");
const flagship: EventFilter = (p, c, id) => findMapping(processes, p, c, id) !== undefined;

const temps: TempDir[] = [];
after(() => {
  for (const t of temps) t.cleanup();
});

/** Reads with the filter, and without it dropping what it rejects afterwards; both must agree exactly. */
async function bothWays(paths: string[]) {
  const skipped = await collect(paths, { filter: flagship });
  const full = await collect(paths);
  const kept = full.events.filter((e) => flagship(e.provider, e.channel, e.eventId));
  assert.deepEqual(skipped.events, kept);
  assert.deepEqual(skipped.reports, full.reports);
  assert.deepEqual(skipped.diagnostics, full.diagnostics);
  return { skipped, full };
}

describe("XML header skip", () => {
  it("an event the filter rejects is counted but not parsed beyond its header", () => {
    const text = ev(3, "<Data Name='Image'>C:\\net.exe</Data><Data Name='CommandLine'>a &amp; b</Data>");
    const seen: Array<[string, string, number]> = [];
    const filter: EventFilter = (p, c, id) => {
      seen.push([p, c, id]);
      return false;
    };
    // No event object is built: the scanner answers FILTERED from the header and a check of the rest.
    assert.equal(scanEventXml(text, filter), FILTERED);
    assert.equal(parseEventXmlFiltered(text, filter), FILTERED);
    assert.deepEqual(seen, [
      [SYSMON, CHANNEL, 3],
      [SYSMON, CHANNEL, 3],
    ]);
    // Accepted by the filter, it is the same event as without one.
    assert.deepEqual(
      parseEventXmlFiltered(text, () => true),
      parseEventXml(text),
    );
    // A damaged event is never FILTERED: the full parse reports it.
    const bad = ev(3, "<Data Name='Image'>a<b</Data>");
    const r = parseEventXmlFiltered(bad, filter);
    assert.ok(r !== FILTERED && "error" in r);
  });

  it("in a file: skipped events are counted, only relevant ones produced, and nothing else changes", async () => {
    const t = tempFiles({
      "events.xml.log": `${LINES.join("\n")}\n`,
      "pretty.xml": PRETTY,
      "export.xml": EXPORT,
    });
    temps.push(t);
    const { skipped, full } = await bothWays([t.dir]);
    const lines = skipped.reports.find((r) => r.file.endsWith("events.xml.log"));
    assert.ok(lines !== undefined);
    assert.ok(lines.malformed >= 5, "damaged events are still reported");
    assert.ok(skipped.events.length < full.events.length, "irrelevant events are not produced");
    assert.deepEqual(skipped.events.map((e) => e.data.Image ?? e.data.NewProcessName).sort(), [
      "C:\\a.exe",
      "C:\\b.exe",
      "by-channel.exe",
      "by-provider.exe",
      "in-export.exe",
    ]);
    assert.equal(
      skipped.reports.reduce((n, r) => n + r.events, 0),
      full.events.length,
    );
  });

  it("gives exactly the same events, counts and diagnostics over the shared XML logs", async () => {
    await bothWays([
      join(SHARED, "data/derived-positives/derived_winrs_xmlwineventlog_attackrange.xml.log"),
      join(SHARED, "cases"),
    ]);
  });

  it("gives the same with and without the skip for damaged copies of real events (seeded mutations)", async () => {
    const real = readFileSync(
      join(SHARED, "data/derived-positives/derived_winrs_xmlwineventlog_attackrange.xml.log"),
      "utf8",
    )
      .split("\n")
      .filter((l) => l.startsWith("<Event"))
      // and the same events under Event IDs no loaded detection reads, so that most damage hits skipped events
      .flatMap((l) => [l, l.replace(/<EventID>\d+<\/EventID>/, "<EventID>4624</EventID>")]);
    let a = 7;
    const rand = () => {
      a = (a * 1103515245 + 12345) % 2147483648;
      return a / 2147483648;
    };
    const files: Record<string, string> = {};
    for (let n = 0; n < 60; n++) {
      const lines = [...real];
      const i = Math.floor(rand() * lines.length);
      const l = lines[i];
      const pos = Math.floor(rand() * l.length);
      const cut = Math.floor(rand() * 40);
      const junk = ["<", ">", "&", "'", '"', "</Data>", "<Data Name='z'>", "", "<!--", "x"][
        Math.floor(rand() * 10)
      ];
      lines[i] = l.slice(0, pos) + junk + l.slice(pos + cut);
      files[`m${n}.xml.log`] = `${lines.join("\n")}\n`;
    }
    const t = tempFiles(files);
    temps.push(t);
    const { full } = await bothWays([t.dir]);
    assert.ok(
      full.reports.some((r) => r.malformed > 0),
      "some mutations damage an event",
    );
  });
});

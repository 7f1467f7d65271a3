/**
 * The XML reader's skip on raw bytes (xml/event-peek.ts, text/decode-lines.ts `skipLine`): a line of an event the
 * filter rejects is counted from its bytes and never decoded. It must change nothing: for every input, reading
 * with the skip gives exactly what reading the same lines decoded gives (same events, counts, diagnostics), however
 * the input is cut into chunks, and whatever was open before the skipped line (an unfinished event, a classic
 * event, a timestamp line).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { Diagnostic } from "../../src/diag/diagnostic.js";
import { EventSink } from "../../src/ingest/event-sink.js";
import { decodeLines, SKIPPED_LINE } from "../../src/ingest/text/decode-lines.js";
import { readTextEvents } from "../../src/ingest/text/text-events.js";
import type { EventFilter } from "../../src/ingest/types.js";
import { skipsEventLine } from "../../src/ingest/xml/event-peek.js";
import { FILTERED, scanEventXml } from "../../src/ingest/xml/event-scan.js";
import type { WinEvent } from "../../src/model/event.js";
import { mappingFilter, SOURCE_MAPPINGS } from "../../src/normalize/registry.js";
import { renderEventXml } from "../../src/output/event-xml.js";
import { collect, SHARED } from "./collect-events.js";

const WIN10_SYSMON =
  "data/dfir-artifact-museum/Win10_APTSimulatorVM_Microsoft-Windows-Sysmon%4Operational.evtx";

const SYSMON = "Microsoft-Windows-Sysmon";
const CHANNEL = "Microsoft-Windows-Sysmon/Operational";

function ev(id: number, data: string, opts: { provider?: string; channel?: string; system?: string } = {}) {
  const provider = opts.provider ?? `'${SYSMON}'`;
  return (
    `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name=${provider} ` +
    `Guid='{5770385F-C22A-43E0-BF4C-06F5698FFBD9}'/><EventID>${id}</EventID><Version>5</Version><Level>4</Level>` +
    `<TimeCreated SystemTime='2024-01-01T00:00:00.000Z'/><EventRecordID>${id}</EventRecordID>` +
    `<Execution ProcessID='1' ThreadID='2'/><Channel>${opts.channel ?? CHANNEL}</Channel><Computer>h</Computer>` +
    `${opts.system ?? "<Security UserID='S-1-5-18'/>"}</System>${data}</Event>`
  );
}
const data = (items: string) => `<EventData>${items}</EventData>`;

const processes = mappingFilter(SOURCE_MAPPINGS.filter((m) => m.dataset === "Endpoint.Processes"));
/** The same decisions, without `eventIds`: every line is decided on provider and channel too. */
const plain: EventFilter = (p, c, id) => processes(p, c, id);

/** Lines that must be skipped (the filter rejects them and the scanner takes them) and lines that must not. */
const SKIPPED = [
  ev(3, data("<Data Name='Image'>C:\\net.exe</Data><Data Name='DestinationIp'>10.0.0.1</Data>")),
  ev(
    13,
    data(
      " <Data Name='TargetObject'>HKLM\\x</Data>\t<Data>unnamed</Data><Binary>00FF</Binary><Data Name='e'/> ",
    ),
  ),
  ev(3, "<EventData/>"),
  ev(3, ""),
  ev(3, data('<Data Name="dq">a &amp; b &lt;c&gt;</Data>')),
  ev(3, data("<Data Name='Image'>C:\\Users\\J\u00f6rg\\\u00e9\u4e2d.exe</Data>")),
  ev(1, data("<Data Name='Image'>a.exe</Data>"), { provider: "'Other'", channel: "Other" }),
  ev(4624, data("<Data Name='TargetUserName'>u</Data>"), {
    provider: '"Microsoft-Windows-Security-Auditing"',
    channel: "Security",
  }),
  ev(3, data("<Data Name='x'>ctl\u0001char</Data>")),
];
/** Rejected on its Event ID by the filter that carries them; the other would decide on a provider not ASCII. */
const SKIPPED_BY_ID = ev(3, data("<Data Name='Image'>x</Data>"), { provider: "'Sysm\u00f6n'" });
const NOT_SKIPPED = [
  // kept by the filter
  ev(1, data("<Data Name='Image'>C:\\a.exe</Data>")),
  ev(4688, data("<Data Name='NewProcessName'>C:\\b.exe</Data>"), {
    provider: "'Microsoft-Windows-Security-Auditing'",
    channel: "Security",
  }),
  // damaged: the scanner declines, the strict parser reports
  ev(3, data("<Data Name='Bad'>a<b</Data>")),
  ev(3, data("<Data Name='x'>y</Dat></Data>")),
  ev(3, data("<Data Name='Image'>unclosed")),
  // layouts the scanner declines (parsed in full) or the byte check does not take (decoded and scanned)
  ev(7, data("<Data Name='Image'><![CDATA[C:\\cdata.exe]]></Data>")),
  ev(8, data("<!-- note --><Data Name='Image'>c</Data>")),
  ev(10, "<UserData><X><Y>1</Y></X></UserData>"),
  ev(1, data("<Data Name='Image'>x</Data>"), { provider: "'Sys&amp;mon'", channel: "Other" }),
  // the filter would decide on a provider that is not ASCII (an Event ID alone rejects, see below)
  ev(1, data("<Data Name='Image'>x</Data>"), { provider: "'Sysm\u00f6n'", channel: "Other" }),
  ev(3, data("<Data Name='Image'>x</Data>"), { system: "<Security UserID='S-1'/><Extra>1</Extra>" }),
  `${ev(3, data("<Data Name='a'>1</Data>"))}${ev(5, data("<Data Name='b'>2</Data>"))}`,
  `${ev(3, data("<Data Name='a'>1</Data>"))} trailing`,
  ev(3, data("<Data Name='a'>x\u0000y</Data>")),
];

/** What the reader gives for `input` cut into chunks of `chunk` bytes, with or without the byte skip. */
async function read(input: Buffer, filter: EventFilter, chunk: number, skip: boolean) {
  const diagnostics: Diagnostic[] = [];
  const sink = new EventSink({ file: "t.xml.log", report: (d) => diagnostics.push(d), filter });
  async function* chunks() {
    for (let i = 0; i < input.length; i += chunk) yield input.subarray(i, i + chunk);
  }
  const lines = decodeLines(chunks(), "utf8", {
    ...(skip
      ? { skipLine: (latin: string, s: number, e: number) => skipsEventLine(latin, s, e, filter) }
      : {}),
  });
  const events: WinEvent[] = [];
  for await (const b of readTextEvents(lines, sink, "t.xml.log")) events.push(...b);
  return { events, diagnostics, counts: { events: sink.events, malformed: sink.malformed } };
}

/**
 * How many of `lines` (the input's lines, in order, each followed by LF) decodeLines can take with chunks of
 * `chunk` bytes: those the byte check accepts that start after the start of their chunk (the text up to a
 * chunk's first LF is decoded, as it may continue a line) and end, LF included, in that chunk.
 */
function takeable(lines: string[], chunk: number): number {
  let n = 0;
  let at = 0;
  for (const l of lines) {
    const end = at + l.length; // the LF
    if (at % chunk !== 0 && Math.floor(at / chunk) === Math.floor(end / chunk)) {
      if (skipsEventLine(l, 0, l.length, processes)) n++;
    }
    at = end + 1;
  }
  return n;
}

/** How many lines decodeLines takes on their bytes (`SKIPPED_LINE`), with chunks of `chunk` bytes. */
async function takenLines(input: Buffer, filter: EventFilter, chunk: number): Promise<number> {
  async function* chunks() {
    for (let i = 0; i < input.length; i += chunk) yield input.subarray(i, i + chunk);
  }
  const skipLine = (latin: string, s: number, e: number) => skipsEventLine(latin, s, e, filter);
  let taken = 0;
  for await (const b of decodeLines(chunks(), "utf8", { skipLine }))
    for (const l of b.lines) if (l === SKIPPED_LINE) taken++;
  return taken;
}

async function sameBothWays(input: Buffer, filters = [processes, plain], chunks = [1 << 20, 4096, 97, 7]) {
  for (const filter of filters) {
    const want = await read(input, filter, 1 << 20, false);
    for (const chunk of chunks)
      assert.deepEqual(await read(input, filter, chunk, true), want, `chunks of ${chunk}`);
  }
}

describe("XML skip on raw bytes", () => {
  it("takes exactly the lines of events the filter rejects and the scanner accepts", () => {
    const cases: [string, EventFilter, boolean][] = [
      ...SKIPPED.flatMap((l): [string, EventFilter, boolean][] => [
        [l, processes, true],
        [l, plain, true],
      ]),
      ...NOT_SKIPPED.flatMap((l): [string, EventFilter, boolean][] => [
        [l, processes, false],
        [l, plain, false],
      ]),
      [SKIPPED_BY_ID, processes, true],
      [SKIPPED_BY_ID, plain, false],
    ];
    for (const [line, filter, want] of cases) {
      const latin = Buffer.from(line, "utf8").toString("latin1");
      assert.equal(skipsEventLine(latin, 0, latin.length, filter), want, line);
      // What the byte check says yes to, the scanner (on the decoded line) says FILTERED to.
      if (want) assert.equal(scanEventXml(line, filter), FILTERED, line);
    }
  });

  it("gives what the decoded lines give, in every order, however the input is cut", async () => {
    const all = [...SKIPPED, ...NOT_SKIPPED, SKIPPED_BY_ID];
    // Every line after every other, so each skipped line also follows each damaged or kept one.
    const pairs = all.flatMap((a) => all.map((b) => `${a}\n${b}`));
    await sameBothWays(Buffer.from(`${pairs.join("\r\n")}\n`, "utf8"), [processes], [1 << 20, 333]);
    await sameBothWays(Buffer.from(`${all.join("\n")}\n${all.join("\r\n")}`, "utf8"));
  });

  it("a skipped line ends what is open before it, as its decoded line would", async () => {
    const skipped = SKIPPED[0];
    const cases = [
      // an event that never ends: truncated by the next event's start
      `<Event><System><Provider Name='${SYSMON}'/><EventID>1</EventID>\n${skipped}\n`,
      // a classic event, then an XML line
      `01/02/2024 03:04:05 PM\nLogName=Security\nEventCode=4688\nMessage=A new process\n${skipped}\n`,
      // a classic timestamp line not followed by a classic event
      `01/02/2024 03:04:05 PM\n${skipped}\n`,
      // a pretty-printed event, then a skipped line, then junk
      `${ev(3, data("<Data Name='a'>1</Data>")).replace(/></g, ">\n<")}\n${skipped}\n\u0001\u0002junk\n`,
    ];
    for (const c of cases) await sameBothWays(Buffer.from(c, "utf8"));
    // And the counts are those of the decoded lines: the unfinished event is reported, the skipped one counted.
    const r = await read(Buffer.from(cases[0], "utf8"), processes, 1 << 20, true);
    assert.deepEqual(
      r.diagnostics.map((d) => [d.code, d.line, d.message]),
      [["xml-malformed", 1, "XML event is truncated (a new <Event> starts)"]],
    );
    assert.deepEqual(r.counts, { events: 1, malformed: 1 });
  });

  it("invalid UTF-8, a shared XML log and a real log of mixed events read the same both ways", async () => {
    const bad = Buffer.concat([
      Buffer.from(ev(3, data("<Data Name='a'>x")), "utf8"),
      Buffer.from([0xc3, 0x28, 0xff, 0xe2, 0x82]),
      Buffer.from(`</Data></EventData></Event>\n${SKIPPED[1]}\n`, "utf8"),
    ]);
    await sameBothWays(bad);
    const real = readFileSync(
      join(SHARED, "data/derived-positives/derived_winrs_xmlwineventlog_attackrange.xml.log"),
    );
    await sameBothWays(real, [processes, plain, mappingFilter(SOURCE_MAPPINGS)]);
    // A real log of mixed events as XmlWinEventLog lines: the Win10 Sysmon EVTX rendered by Winnow's renderer.
    // MANIFEST: 1,402 records, 681 of them Sysmon 1 — the only ones a Processes detection reads, so the only
    // lines decoded; the other 721 are taken on their bytes.
    const sysmon = await collect([join(SHARED, WIN10_SYSMON)]);
    const rendered = Buffer.from(`${sysmon.events.map(renderEventXml).join("\n")}\n`, "utf8");
    await sameBothWays(rendered, [processes, plain]);
    const r = await read(rendered, processes, 1 << 20, true);
    assert.deepEqual(r.counts, { events: 1402, malformed: 0 });
    assert.equal(r.events.length, 681);
    const lines = rendered.toString("latin1").split("\n").slice(0, -1);
    const taken = lines.filter((l) => skipsEventLine(l, 0, l.length, processes)).length;
    assert.equal(taken, 1402 - 681);
    // And decodeLines takes every one of them, whatever the chunk size: a chunk of many lines is read as Latin-1
    // in windows of whole lines (up to 64 KiB each), a chunk smaller than a line takes none (it is decoded).
    assert.ok(rendered.length > 8 * 64 * 1024);
    for (const chunk of [4 << 20, 1 << 20, 256 * 1024, 65536 + 13])
      assert.equal(
        await takenLines(rendered, processes, chunk),
        takeable(lines, chunk),
        `chunks of ${chunk}`,
      );
  });
});

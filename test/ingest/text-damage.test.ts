/**
 * XML and classic text: layouts (one-line, <Events> wrapper, pretty-printed, several events on one line,
 * CDATA, UserData, classic 4688/Sysmon) and damage (BOMs, UTF-16, CRLF, NUL bytes, invalid UTF-8, truncated
 * and broken events, lines over 1 MB and over the 16 MB cap). Each test states which records are read and
 * which are reported, with line numbers.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { collect } from "./collect-events.js";
import { type TempDir, tempFiles } from "./temp-inputs.js";

const ev = (id: number, host: string, cmd = "c.exe") =>
  `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Sysmon' Guid='{5770385F-C22A-43E0-BF4C-06F5698FFBD9}'/><EventID>${id}</EventID><Version>5</Version><TimeCreated SystemTime='2024-03-05T08:01:12.0000000Z'/><EventRecordID>${id}00</EventRecordID><Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>${host}</Computer><Security UserID='S-1-5-18'/></System><EventData><Data Name='CommandLine'>${cmd}</Data><Data Name='Empty'></Data><Data Name='SelfClosed'/></EventData></Event>`;

const temps: TempDir[] = [];
async function read(name: string, body: string | Buffer) {
  const t = tempFiles({ [name]: body });
  temps.push(t);
  const r = await collect([t.path(name)]);
  const problems = r.diagnostics.filter((d) => d.severity !== "info").map((d) => [d.code, d.line]);
  return { ...r, report: r.reports[0], problems };
}
after(() => {
  for (const t of temps) t.cleanup();
});

describe("XML event text", () => {
  it("one event per line: System fields and Data, empty and self-closed Data as ''", async () => {
    const { events, report, problems } = await read("a.log", `${ev(1, "h1")}\n${ev(1, "h2")}\n`);
    assert.equal(report.format, "xml");
    assert.equal(report.events, 2);
    assert.deepEqual(problems, []);
    const e = events[0];
    assert.equal(e.provider, "Microsoft-Windows-Sysmon");
    assert.equal(e.channel, "Microsoft-Windows-Sysmon/Operational");
    assert.equal(e.eventId, 1);
    assert.equal(e.version, 5);
    assert.equal(e.recordId, 100);
    assert.equal(e.timeCreated, "2024-03-05T08:01:12.0000000Z");
    assert.deepEqual(e.data, { CommandLine: "c.exe", Empty: "", SelfClosed: "" });
    assert.deepEqual(e.origin, { file: report.file, line: 1 });
  });

  it("<?xml?> + <Events> wrapper with several events on one line, and double-quoted attributes", async () => {
    const dq = ev(4688, "h3").replace(/'/g, '"');
    const body = `<?xml version="1.0" encoding="utf-8"?>\n<Events>${ev(1, "h1")}${ev(3, "h2")}\n${dq}</Events>\n`;
    const { events, problems } = await read("export.xml", body);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      events.map((e) => [e.eventId, e.computer, e.origin.line]),
      [
        [1, "h1", 2],
        [3, "h2", 2],
        [4688, "h3", 3],
      ],
    );
    assert.equal(events[2].provider, "Microsoft-Windows-Sysmon");
  });

  it("pretty-printed (Event Viewer) events with a multi-line value, CDATA and UserData", async () => {
    const body = `<Events>
  <Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">
    <System>
      <Provider Name="Microsoft-Windows-PowerShell" Guid="{A0C1853B-5C40-4B15-8766-3CF1C58F985A}" />
      <EventID>4104</EventID>
      <TimeCreated SystemTime="2024-01-01T00:00:00.0000000Z" />
      <Channel>Microsoft-Windows-PowerShell/Operational</Channel>
      <Computer>ps1</Computer>
    </System>
    <EventData>
      <Data Name="ScriptBlockText">line one
line two &amp; three</Data>
      <Data Name="Raw"><![CDATA[a <b> & c]]></Data>
    </EventData>
  </Event>
  <Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">
    <System>
      <Provider Name="Microsoft-Windows-Eventlog" />
      <EventID Qualifiers="">1102</EventID>
      <Channel>Security</Channel>
      <Computer>dc</Computer>
    </System>
    <UserData>
      <LogFileCleared xmlns="http://manifests.microsoft.com/win/2004/08/windows/eventlog">
        <SubjectUserName>admin</SubjectUserName>
        <SubjectDomainName>CORP</SubjectDomainName>
      </LogFileCleared>
    </UserData>
  </Event>
</Events>
`;
    const { events, problems } = await read("pretty.xml", body);
    assert.deepEqual(problems, []);
    assert.equal(events.length, 2);
    assert.equal(events[0].eventId, 4104);
    assert.equal(events[0].origin.line, 2);
    assert.deepEqual(events[0].data, { ScriptBlockText: "line one\nline two & three", Raw: "a <b> & c" });
    assert.equal(events[1].eventId, 1102);
    assert.equal(events[1].origin.line, 16);
    assert.deepEqual(events[1].data, { SubjectUserName: "admin", SubjectDomainName: "CORP" });
  });

  it("entities and character references are decoded exactly once", async () => {
    const body = `${ev(1, "h", "a &amp;quot; &lt;b&gt; &#1040;&#x41; &apos;q&apos; &#38;amp;")}\n`;
    const { events } = await read("ent.log", body);
    assert.equal(events[0].data.CommandLine, "a &quot; <b> АA 'q' &amp;");
  });

  it("a reference named like an Object.prototype member is kept as written, not replaced by the member", async () => {
    // `&toString;` used to decode to "function toString() { [native code] }": the names were looked up in a plain
    // object. Only the five predefined entities are decoded; any other name stays as it is, in every position.
    const refs = "&toString; &valueOf; &constructor; &hasOwnProperty; &__proto__; &isPrototypeOf;";
    const body = `${ev(1, "h", `x ${refs} &quot;y&quot; &amp;toString;`)}\n`;
    const { events } = await read("proto.log", body);
    assert.equal(events[0].data.CommandLine, `x ${refs} "y" &toString;`);
    // The same text in the System header (an attribute, the Computer name) and in an unusual item the scanner's
    // general path reads (`<Data Name="…">`, double quotes).
    const odd = ev(1, "h&valueOf;", "v").replace(
      "<Data Name='CommandLine'>v</Data>",
      `<Data Name="CommandLine">&toString;&#65;</Data>`,
    );
    const r = await read("proto2.log", `${odd}\n`);
    assert.equal(r.events[0].computer, "h&valueOf;");
    assert.equal(r.events[0].data.CommandLine, "&toString;A");
  });

  it("unnamed Data items are named Data, Data1, …; Binary is kept", async () => {
    const body = ev(7036, "h").replace(
      /<EventData>.*<\/EventData>/,
      "<EventData><Data>Windows Update</Data><Data>running</Data><Binary>0A0B</Binary></EventData>",
    );
    const { events } = await read("unnamed.log", body);
    assert.deepEqual(events[0].data, { Data: "Windows Update", Data1: "running", Binary: "0A0B" });
  });
});

describe("damaged XML text", () => {
  it("UTF-8 BOM and CRLF line ends: values carry no CR", async () => {
    const body = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(`${ev(1, "h1")}\r\n${ev(1, "h2")}\r\n`),
    ]);
    const { events, problems } = await read("bom.log", body);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      events.map((e) => e.computer),
      ["h1", "h2"],
    );
    assert.equal(events[1].data.CommandLine, "c.exe");
  });

  it("UTF-16 LE and BE with a BOM, and UTF-16 LE without one", async () => {
    const text = `${ev(1, "hé")}\r\n${ev(1, "h2")}\r\n`;
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    const be = Buffer.from(le);
    be.swap16();
    for (const [name, body] of [
      ["le.xml", le],
      ["be.xml", be],
      ["le-nobom.xml", Buffer.from(text, "utf16le")],
    ] as const) {
      const { events, problems } = await read(name, body);
      assert.deepEqual(problems, [], name);
      assert.deepEqual(
        events.map((e) => e.computer),
        ["hé", "h2"],
        name,
      );
    }
  });

  it("NUL padding after the last event and NULs inside a line do not hide events", async () => {
    const body = Buffer.concat([
      Buffer.from(`${ev(1, "h1")}\n`),
      Buffer.from(ev(1, "h2")),
      Buffer.alloc(3),
      Buffer.from("\n"),
      Buffer.alloc(4096),
    ]);
    const { events, problems } = await read("nul.log", body);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      events.map((e) => e.computer),
      ["h1", "h2"],
    );
  });

  it("invalid UTF-8 inside a value becomes U+FFFD and the event is kept", async () => {
    const [a, b] = ev(1, "h", "X-CUT-X").split("X-CUT-X");
    const body = Buffer.concat([Buffer.from(a), Buffer.from([0x61, 0xff, 0x62]), Buffer.from(`${b}\n`)]);
    const { events, problems } = await read("bad-utf8.log", body);
    assert.deepEqual(problems, []);
    assert.equal(events[0].data.CommandLine, "a\uFFFDb");
  });

  it("truncated lines, a broken tag, junk and blank lines: one diagnostic each with its line; good lines read", async () => {
    const good = (h: string) => ev(1, h);
    const lines = [
      good("h1"), // 1
      good("h2").slice(0, 300), // 2: cut inside <System>
      good("h3").slice(0, good("h3").indexOf("<Data Name='Empty'>") + 5), // 3: cut inside <EventData>
      good("h4").replace("</Data>", "</Dta>"), // 4: not well-formed
      "", // 5 blank
      "   ", // 6 blank
      "some stray text", // 7: not part of an event
      good("h8"), // 8
      good("h9").replace("<EventID>1</EventID>", ""), // 9: no EventID
      good("h10"), // 10
    ];
    const { events, report, problems } = await read(
      "damaged.log",
      `${lines.join("\n")}\n${good("h11").slice(0, 500)}`,
    );
    assert.deepEqual(
      events.map((e) => [e.computer, e.origin.line]),
      [
        ["h1", 1],
        ["h8", 8],
        ["h10", 10],
      ],
    );
    assert.deepEqual(problems, [
      ["xml-malformed", 2],
      ["xml-malformed", 3],
      ["xml-malformed", 4],
      ["xml-malformed", 7],
      ["xml-malformed", 9],
      ["xml-malformed", 11],
    ]);
    assert.equal(report.malformed, 6);
    assert.equal(report.events, 3);
    assert.deepEqual(report.problems, { "xml-malformed": 6 });
  });

  it("a line over 1 MB is read whole; a line over the 16 MB cap is reported and skipped", async () => {
    const big = "A".repeat(2 * 1024 * 1024);
    const huge = `<Event><System>${"B".repeat(17 * 1024 * 1024)}`;
    const body = `${ev(1, "h1", big)}\n${huge}\n${ev(1, "h3")}\n`;
    const { events, problems } = await read("long.log", body);
    assert.deepEqual(
      events.map((e) => [e.computer, e.origin.line]),
      [
        ["h1", 1],
        ["h3", 3],
      ],
    );
    assert.equal(events[0].data.CommandLine.length, big.length);
    assert.deepEqual(problems, [["xml-malformed", 2]]);
  });

  it("binary junk before the first event does not hide the log (XML and JSON)", async () => {
    const junk = Buffer.from([0x7b, 0x01, 0xff, 0xfe, 0x3c, 0x00, 0x41, 0x0a]); // "{", control, invalid UTF-8, "<", NUL
    const xml = await read("junk-first.log", Buffer.concat([junk, Buffer.from(`${ev(1, "h2")}\n`)]));
    assert.equal(xml.report.format, "xml");
    assert.deepEqual(
      xml.events.map((e) => [e.computer, e.origin.line]),
      [["h2", 2]],
    );
    assert.deepEqual(xml.problems, [["xml-malformed", 1]]);
    const line = JSON.stringify({ winlog: { event_id: 1, channel: "Microsoft-Windows-Sysmon/Operational" } });
    const json = await read("junk-first.json", Buffer.concat([junk, Buffer.from(`${line}\n${line}\n`)]));
    assert.equal(json.report.format, "json");
    assert.equal(json.events.length, 2);
    assert.deepEqual(json.problems, [["json-malformed", 1]]);
  });

  it("a file of only blank lines and wrappers is skipped as not a log", async () => {
    const { report, problems } = await read(
      "empty-export.xml",
      "<?xml version='1.0'?>\n<Events>\n\n</Events>\n",
    );
    assert.match(report.skipped ?? "", /without Windows events/);
    assert.deepEqual(problems, []);
  });
});

describe("classic WinEventLog text", () => {
  const classic4688 = [
    "03/05/2024 01:05:09 AM",
    "LogName=Security",
    "SourceName=Microsoft Windows security auditing.",
    "EventCode=4688",
    "EventType=0",
    "Type=Information",
    "ComputerName=WS-1.corp",
    "TaskCategory=Process Creation",
    "RecordNumber=4242",
    "Keywords=Audit Success",
    "Message=A new process has been created.",
    "",
    "Creator Subject:",
    "\tSecurity ID:\t\tS-1-5-21-1",
    "\tAccount Name:\t\talice",
    "\tAccount Domain:\t\tCORP",
    "\tLogon ID:\t\t0x3E7",
    "",
    "Target Subject:",
    "\tSecurity ID:\t\tS-1-0-0",
    "\tAccount Name:\t\t-",
    "\tAccount Domain:\t\t-",
    "\tLogon ID:\t\t0x0",
    "",
    "Process Information:",
    "\tNew Process ID:\t\t0x1b28",
    "\tNew Process Name:\tC:\\Windows\\System32\\winrs.exe",
    "\tToken Elevation Type:\t%%1936",
    "\tMandatory Label:\t\tMandatory Label\\High Mandatory Level",
    "\tCreator Process ID:\t0x1acc",
    "\tCreator Process Name:\tC:\\Windows\\System32\\cmd.exe",
    "\tProcess Command Line:\twinrs -r:dc1 hostname",
    "",
    "Token Elevation Type indicates the type of token that was assigned to the new process.",
  ];
  const classicSysmon = [
    "03/05/2024 12:10:00 PM",
    "LogName=Microsoft-Windows-Sysmon/Operational",
    "SourceName=Microsoft-Windows-Sysmon",
    "EventCode=1",
    "ComputerName=WS-2.corp",
    "Message=Process Create:",
    "RuleName: -",
    "UtcTime: 2024-03-05 12:10:00.123",
    "ProcessId: 5512",
    "Image: C:\\Windows\\System32\\winrs.exe",
    "CommandLine: winrs -r:srv hostname",
    "User: CORP\\bob",
    "ParentProcessId: 4000",
  ];

  it("4688 and Sysmon 1 Messages are mapped back to EventData names; mixed with XML lines", async () => {
    const body = [...classic4688, ev(1, "xml-host"), ...classicSysmon].join("\r\n");
    const { events, report, problems, diagnostics } = await read("mixed.raw", body);
    assert.equal(report.format, "classic");
    assert.deepEqual(problems, []);
    assert.equal(events.length, 3);
    const [c4688, xml, sysmon] = events;
    assert.equal(c4688.eventId, 4688);
    assert.equal(c4688.channel, "Security");
    assert.equal(c4688.provider, "Microsoft Windows security auditing.");
    assert.equal(c4688.computer, "WS-1.corp");
    assert.equal(c4688.recordId, 4242);
    assert.equal(c4688.timeCreated, "2024-03-05T01:05:09Z");
    assert.equal(c4688.timeSource, "local-as-utc");
    assert.deepEqual(c4688.data, {
      SubjectUserSid: "S-1-5-21-1",
      SubjectUserName: "alice",
      SubjectDomainName: "CORP",
      SubjectLogonId: "0x3E7",
      TargetUserSid: "S-1-0-0",
      TargetUserName: "-",
      TargetDomainName: "-",
      TargetLogonId: "0x0",
      NewProcessId: "0x1b28",
      NewProcessName: "C:\\Windows\\System32\\winrs.exe",
      TokenElevationType: "%%1936",
      MandatoryLabel: "Mandatory Label\\High Mandatory Level",
      ProcessId: "0x1acc",
      ParentProcessName: "C:\\Windows\\System32\\cmd.exe",
      CommandLine: "winrs -r:dc1 hostname",
    });
    assert.equal(xml.computer, "xml-host");
    assert.equal(xml.origin.line, classic4688.length + 1);
    assert.equal(sysmon.eventId, 1);
    assert.equal(sysmon.timeCreated, "2024-03-05T12:10:00Z");
    assert.equal(sysmon.origin.line, classic4688.length + 2);
    assert.deepEqual(sysmon.data, {
      RuleName: "-",
      UtcTime: "2024-03-05 12:10:00.123",
      ProcessId: "5512",
      Image: "C:\\Windows\\System32\\winrs.exe",
      CommandLine: "winrs -r:srv hostname",
      User: "CORP\\bob",
      ParentProcessId: "4000",
    });
    assert.equal(diagnostics.filter((d) => d.code === "time-local-as-utc").length, 1);
  });

  it("a classic event without EventCode is one classic-malformed at its first line", async () => {
    const broken = classicSysmon.filter((l) => !l.startsWith("EventCode="));
    const body = [...broken, ...classicSysmon].join("\n");
    const { events, problems } = await read("bad.raw", body);
    assert.equal(events.length, 1);
    assert.equal(events[0].origin.line, broken.length + 1);
    assert.deepEqual(problems, [["classic-malformed", 1]]);
  });

  it("a damaged timestamp or LogName= line costs that event only, reported once (never absorbed into a message)", async () => {
    const host = (h: string) => classicSysmon.map((l) => l.replace("WS-2", h));
    const badTs = host("B").map((l, i) => (i === 0 ? "03/05/20@4 12:10:00 PM" : l));
    const badLogName = host("C").map((l, i) =>
      i === 1 ? "LogNXme=Microsoft-Windows-Sysmon/Operational" : l,
    );
    const all = [...host("A"), ...badTs, ...host("D"), ...badLogName, ...host("E")];
    const { events, problems } = await read("damaged-starts.raw", all.join("\n"));
    assert.deepEqual(
      events.map((e) => [e.computer, e.origin.line]),
      [
        ["A.corp", 1],
        ["D.corp", 27],
        ["E.corp", 53],
      ],
    );
    assert.deepEqual(events[0].data, events[1].data); // A's message did not swallow B's lines
    // B: its bad timestamp line ends A's message; B is reported at its LogName= line (line 15).
    // C: its LogName= line is damaged; the timestamp line (line 40) is followed by no classic header, so the
    // event is reported where its header lines show up inside D's message (SourceName=, line 42).
    assert.deepEqual(problems, [
      ["classic-malformed", 15],
      ["classic-malformed", 42],
    ]);
  });

  it("two classic events back to back with no blank line between them", async () => {
    const body = [...classicSysmon, ...classicSysmon.map((l) => l.replace("WS-2", "WS-3"))].join("\n");
    const { events } = await read("b2b.raw", body);
    assert.deepEqual(
      events.map((e) => e.computer),
      ["WS-2.corp", "WS-3.corp"],
    );
  });
});

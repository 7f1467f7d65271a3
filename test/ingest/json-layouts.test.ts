/**
 * Each JSON layout of SEMANTICS.md §3 with a small inline fixture: Splunk export (_raw as XML and as classic),
 * Winlogbeat raw, Winlogbeat ECS (Sysmon 1 and Security 4688 tables, winlog.event_data preferred, no re-join
 * of process.args), NXLog/OTRF flat (logger keys excluded, EventTime as local-as-utc), nested Event
 * rendering (text/#text/@Name variants, UserData), pretty-printed documents, arrays, and non-event JSON.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { collect } from "./collect-events.js";
import { type TempDir, tempFiles } from "./temp-inputs.js";

const XML_EVENT =
  "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Sysmon'/>" +
  "<EventID>1</EventID><Version>5</Version><TimeCreated SystemTime='2024-01-02T03:04:05.1234567Z'/><EventRecordID>77</EventRecordID>" +
  "<Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>host-a</Computer></System><EventData>" +
  "<Data Name='CommandLine'>cmd /c &quot;a &amp;amp; b&quot;</Data><Data Name='User'>DOM\\u1</Data></EventData></Event>";

const temps: TempDir[] = [];
async function read(name: string, body: string) {
  const t = tempFiles({ [name]: body });
  temps.push(t);
  const r = await collect([t.path(name)]);
  return { ...r, report: r.reports[0] };
}
after(() => {
  for (const t of temps) t.cleanup();
});

describe("JSON layouts", () => {
  it("Splunk export: result._raw and _raw holding XML; _raw holding classic text", async () => {
    const classic =
      "01/02/2024 01:02:03 PM\nLogName=Security\nSourceName=Microsoft Windows security auditing.\nEventCode=4688\nComputerName=host-c\nMessage=A new process has been created.";
    const body = [
      JSON.stringify({
        preview: false,
        result: { _raw: XML_EVENT, host: "splunk-host", sourcetype: "XmlWinEventLog" },
      }),
      JSON.stringify({ _raw: XML_EVENT.replace("host-a", "host-b") }),
      JSON.stringify({ result: { _raw: classic } }),
      JSON.stringify({ preview: false, lastrow: true, messages: [{ type: "INFO", text: "done" }] }),
    ].join("\n");
    const { events, report, diagnostics } = await read("export.json", body);
    assert.deepEqual(
      diagnostics.filter((d) => d.severity !== "info"),
      [],
    );
    assert.equal(report.events, 3);
    assert.equal(report.format, "json");
    assert.equal(events[0].computer, "host-a");
    assert.equal(events[0].data.CommandLine, 'cmd /c "a &amp; b"');
    assert.equal(events[0].timeCreated, "2024-01-02T03:04:05.1234567Z");
    assert.equal(events[0].recordId, 77);
    assert.equal(events[0].data.host, undefined);
    assert.equal(events[1].computer, "host-b");
    assert.equal(events[2].eventId, 4688);
    assert.equal(events[2].channel, "Security");
    assert.equal(events[2].timeCreated, "2024-01-02T13:02:03Z");
    assert.deepEqual(
      events.map((e) => e.origin.line),
      [1, 2, 3],
    );
  });

  it("Splunk export: a _raw that is no event is one malformed record", async () => {
    const body = `${JSON.stringify({ _raw: XML_EVENT })}\n${JSON.stringify({ result: { _raw: "<Event><System>" } })}\n`;
    const { report, diagnostics } = await read("export-bad.json", body);
    assert.equal(report.events, 1);
    assert.equal(report.malformed, 1);
    assert.equal(diagnostics[0].code, "xml-malformed");
    assert.equal(diagnostics[0].line, 2);
  });

  it("Winlogbeat raw: winlog.* fields, event_data, user_data leaves, time_created", async () => {
    const o = {
      "@timestamp": "2024-05-05T05:05:05.000Z",
      winlog: {
        event_id: "4688",
        channel: "Security",
        provider_name: "Microsoft-Windows-Security-Auditing",
        computer_name: "dc1.corp",
        record_id: "991",
        version: 2,
        time_created: "2024-05-05T05:05:04.9876543Z",
        event_data: { NewProcessId: "0x1f4c", CommandLine: "whoami /all", ProcessId: "0x4" },
        user_data: { EventXML: { Param1: "p1", Nested: { Leaf: "v" } } },
        user: { name: "SYSTEM" },
        process: { pid: 4 },
      },
    };
    const { events } = await read("wlb.json", JSON.stringify(o));
    const e = events[0];
    assert.equal(e.eventId, 4688);
    assert.equal(e.provider, "Microsoft-Windows-Security-Auditing");
    assert.equal(e.computer, "dc1.corp");
    assert.equal(e.recordId, 991);
    assert.equal(e.version, 2);
    assert.equal(e.timeCreated, "2024-05-05T05:05:04.9876543Z");
    assert.equal(e.timeSource, "system");
    assert.deepEqual(e.data, {
      NewProcessId: "0x1f4c",
      CommandLine: "whoami /all",
      ProcessId: "0x4",
      Param1: "p1",
      Leaf: "v",
    });
  });

  it("ECS 4688: pids rendered as Windows hex, user to Subject*, no command line rebuilt from process.args", async () => {
    const o = {
      "@timestamp": "2024-06-01T10:00:00.500Z",
      event: { code: "4688", provider: "Microsoft-Windows-Security-Auditing" },
      host: { name: "ws9.corp" },
      process: {
        pid: 6500,
        executable: "C:\\Windows\\System32\\winrs.exe",
        args: ["winrs", "-r:x", "cmd"],
        parent: { pid: 4 },
      },
      user: { name: "bob", domain: "CORP" },
    };
    const { events } = await read("ecs4688.json", JSON.stringify(o));
    const e = events[0];
    assert.equal(e.eventId, 4688);
    assert.equal(e.computer, "ws9.corp");
    assert.equal(e.timeCreated, "2024-06-01T10:00:00.500Z");
    assert.equal(e.timeSource, "timestamp");
    assert.deepEqual(e.data, {
      NewProcessName: "C:\\Windows\\System32\\winrs.exe",
      NewProcessId: "0x1964",
      ProcessId: "0x4",
      SubjectUserName: "bob",
      SubjectDomainName: "CORP",
    });
  });

  it("ECS with winlog.event_data: event_data wins where both exist", async () => {
    const o = {
      winlog: {
        event_id: 1,
        channel: "Microsoft-Windows-Sysmon/Operational",
        event_data: { CommandLine: "from event_data", ProcessId: "10" },
      },
      process: {
        command_line: "from ecs",
        pid: 99,
        executable: "C:\\x.exe",
        parent: { pid: 5, command_line: "p" },
      },
      user: { name: "eve" },
    };
    const { events } = await read("both.json", JSON.stringify(o));
    assert.deepEqual(events[0].data, {
      CommandLine: "from event_data",
      ProcessId: "10",
      Image: "C:\\x.exe",
      ParentProcessId: "5",
      ParentCommandLine: "p",
      User: "eve",
    });
  });

  it("NXLog flat: logger keys are not EventData; EventTime read as UTC with one info diagnostic per file", async () => {
    const line = (n: number) =>
      JSON.stringify({
        EventTime: `2020-08-01 07:53:2${n}`,
        Hostname: "win-dc.local",
        EventID: 4688,
        SourceName: "Microsoft-Windows-Security-Auditing",
        Channel: "Security",
        RecordNumber: 100 + n,
        ProcessID: 4,
        ThreadID: 8,
        Domain: "NT AUTHORITY",
        AccountName: "SYSTEM",
        Message: "A new process has been created.",
        NewProcessId: "0x10",
        ProcessId: "0x20",
        Keywords: -1,
      });
    const { events, diagnostics, report } = await read("nx.json", `${line(1)}\n${line(2)}\n`);
    assert.equal(report.events, 2);
    assert.deepEqual(events[0].data, { NewProcessId: "0x10", ProcessId: "0x20" });
    assert.equal(events[0].timeCreated, "2020-08-01T07:53:21Z");
    assert.equal(events[0].timeSource, "local-as-utc");
    assert.equal(events[0].recordId, 101);
    assert.equal(events[0].computer, "win-dc.local");
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.severity]),
      [["time-local-as-utc", "info"]],
    );
  });

  it("nested Event rendering, pretty-printed, with #text/@Name variants, a single Data object and UserData", async () => {
    const doc = {
      Event: {
        System: {
          Provider: { "@Name": "Microsoft-Windows-Sysmon" },
          EventID: { "#text": "1", "@Qualifiers": "" },
          TimeCreated: { "@SystemTime": "2021-01-01T00:00:00.0000000Z" },
          Channel: "Microsoft-Windows-Sysmon/Operational",
          Computer: "pc1",
        },
        EventData: { Data: { "@Name": "CommandLine", "#text": "a.exe -x" } },
      },
    };
    const doc2 = {
      Event: {
        System: { Provider: { Name: "Prov" }, EventID: 7, Computer: "pc2" },
        EventData: { Data: ["first", { text: "second" }, { Name: "K", text: null }] },
        UserData: { Wrapper: { xmlns: "urn:x", A: "1", B: { "#text": "2" } } },
      },
    };
    const body = `${JSON.stringify(doc, null, 4)}\n${JSON.stringify(doc2, null, 2)}\n`;
    const { events, report } = await read("nested.json", body);
    assert.equal(report.events, 2);
    assert.equal(events[0].eventId, 1);
    assert.equal(events[0].provider, "Microsoft-Windows-Sysmon");
    assert.equal(events[0].timeCreated, "2021-01-01T00:00:00.0000000Z");
    assert.deepEqual(events[0].data, { CommandLine: "a.exe -x" });
    assert.equal(events[0].origin.line, 1);
    assert.deepEqual(events[1].data, { Data: "first", Data1: "second", K: "", A: "1", B: "2" });
    assert.equal(events[1].origin.line, JSON.stringify(doc, null, 4).split("\n").length + 1);
  });

  it("evtx_dump's JSON (#attributes, EventData as a name → value map, typed numbers) and an Elasticsearch hit", async () => {
    const dump = {
      Event: {
        "#attributes": { xmlns: "http://schemas.microsoft.com/win/2004/08/events/event" },
        System: {
          Provider: {
            "#attributes": { Name: "Microsoft-Windows-Sysmon", Guid: "5770385F-C22A-43E0-BF4C-06F5698FFBD9" },
          },
          EventID: 1,
          Version: 5,
          TimeCreated: { "#attributes": { SystemTime: "2019-03-19T23:34:47.604212Z" } },
          EventRecordID: 12,
          Correlation: null,
          Execution: { "#attributes": { ProcessID: 1980, ThreadID: 2960 } },
          Channel: "Microsoft-Windows-Sysmon/Operational",
          Computer: "MSEDGEWIN10",
          Security: { "#attributes": { UserID: "S-1-5-18" } },
        },
        EventData: {
          RuleName: "",
          ProcessId: 4300,
          Image: "C:\\Windows\\System32\\winrs.exe",
          CommandLine: "winrs -r:x cmd",
        },
      },
    };
    const unnamed = {
      Event: {
        System: {
          Provider: { "#attributes": { Name: "Service Control Manager" } },
          EventID: { "#attributes": { Qualifiers: 16384 }, "#text": 7036 },
          Channel: "System",
          Computer: "pc",
        },
        EventData: { Data: { "#text": ["Windows Update", "running"] }, Binary: "0A0B" },
      },
    };
    const hit = {
      _index: "winlogbeat-8",
      _id: "abc",
      _source: { winlog: { event_id: 4688, channel: "Security" } },
    };
    const body = [dump, unnamed, hit].map((o) => JSON.stringify(o)).join("\n");
    const { events, report } = await read("evtx-dump.jsonl", body);
    assert.equal(report.events, 3);
    const [e, u, h] = events;
    assert.equal(e.provider, "Microsoft-Windows-Sysmon");
    assert.equal(e.eventId, 1);
    assert.equal(e.version, 5);
    assert.equal(e.recordId, 12);
    assert.equal(e.timeCreated, "2019-03-19T23:34:47.604212Z");
    assert.equal(e.computer, "MSEDGEWIN10");
    assert.deepEqual(e.data, {
      RuleName: "",
      ProcessId: "4300",
      Image: "C:\\Windows\\System32\\winrs.exe",
      CommandLine: "winrs -r:x cmd",
    });
    assert.equal(u.eventId, 7036);
    assert.equal(u.provider, "Service Control Manager");
    assert.deepEqual(u.data, { Data: "Windows Update", Data1: "running", Binary: "0A0B" });
    assert.equal(h.eventId, 4688);
    assert.equal(h.channel, "Security");
  });

  it("a pretty-printed top-level array of events; a broken value is one malformed record at its first line", async () => {
    const ev = (id: number) => ({ winlog: { event_id: id, channel: "Security" } });
    const body = `[\n  ${JSON.stringify(ev(1))},\n  {"winlog": {"event_id": 2,,}},\n  ${JSON.stringify(ev(3))}\n]\n`;
    const { events, report, diagnostics } = await read("array.json", body);
    assert.deepEqual(
      events.map((e) => e.eventId),
      [1, 3],
    );
    assert.equal(report.malformed, 1);
    assert.equal(diagnostics[0].code, "json-malformed");
    assert.equal(diagnostics[0].line, 3);
  });

  it("pretty-printed documents: a value cut off anywhere costs only itself", async () => {
    const ev = (id: number) => ({
      winlog: {
        event_id: id,
        channel: "Security",
        event_data: { CommandLine: `cmd /c "echo ${id}"`, X: [1, 2] },
      },
    });
    const one = JSON.stringify(ev(1), null, 2);
    const two = JSON.stringify(ev(2), null, 2);
    const three = JSON.stringify(ev(3), null, 2);
    const twoStart = one.split("\n").length + 1;
    // Cut the second value inside a string, after a comma, and inside a nested array.
    for (const cut of [two.indexOf("echo") + 2, two.indexOf('"channel"') - 1, two.indexOf("1,") + 2]) {
      for (const arr of [false, true]) {
        const parts = [one, two.slice(0, cut), three];
        const body = arr
          ? `[\n${parts.map((p) => p.replace(/^/gm, "  ")).join(",\n")}\n]\n`
          : `${parts.join("\n")}\n`;
        const { events, report, diagnostics } = await read(`cut-${cut}-${arr}.json`, body);
        assert.deepEqual(
          events.map((e) => e.eventId),
          [1, 3],
          `cut at ${cut}, array ${arr}`,
        );
        assert.equal(report.malformed, 1, `cut at ${cut}, array ${arr}`);
        assert.equal(diagnostics[0].line, twoStart + (arr ? 1 : 0), `cut at ${cut}, array ${arr}`);
      }
    }
  });

  it("a one-line document longer than the 16 MiB line cap is read (REST results object, and a bare array)", async () => {
    const n = 8000; // × ~2.2 KB per event ≈ 17.6 MB on one line
    const padded = XML_EVENT.replace(
      "<Data Name='User'>",
      `<Data Name='Pad'>${"x".repeat(1800)}</Data><Data Name='User'>`,
    );
    const results = Array.from({ length: n }, (_, i) => ({ _raw: padded.replace("host-a", `h${i}`) }));
    const rest = JSON.stringify({
      preview: false,
      init_offset: 0,
      messages: [],
      fields: [{ name: "_raw" }],
      results,
    });
    assert.ok(rest.length > 16 * 1024 * 1024);
    const a = await read("rest.json", rest);
    assert.equal(a.report.events, n);
    assert.equal(a.report.malformed, 0);
    assert.equal(a.events[n - 1].computer, `h${n - 1}`);
    const arr = JSON.stringify(results.map((r) => ({ result: r })));
    const b = await read("array.json", `${arr}\n${JSON.stringify({ _raw: XML_EVENT })}\n`);
    assert.equal(b.report.events, n + 1);
    assert.equal(b.events[n].origin.line, 2);
    // In a JSON-lines file, an overlong line is still one reported, skipped line.
    const line = JSON.stringify({ _raw: XML_EVENT });
    const c = await read("lines.json", `${line}\n${arr}\n${line}\n`);
    assert.equal(c.report.events, 2);
    assert.deepEqual(
      c.diagnostics.map((d) => [d.code, d.line]),
      [["json-malformed", 2]],
    );
  });

  it("JSON lines: an invalid line is reported with its number and the next line is read", async () => {
    const good = JSON.stringify({ winlog: { event_id: 1, channel: "Microsoft-Windows-Sysmon/Operational" } });
    const body = `${good}\n{"winlog": {"event_id": 1, "chan\n\n${good}\nnot json at all\n${good}\n`;
    const { events, report, diagnostics } = await read("lines.json", body);
    assert.equal(events.length, 3);
    assert.equal(report.malformed, 2);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.line]),
      [
        ["json-malformed", 2],
        ["json-malformed", 5],
      ],
    );
  });

  it("JSON lines whose first line is damaged are still read line by line", async () => {
    const good = JSON.stringify({ winlog: { event_id: 4688, channel: "Security" } });
    const body = `{"winlog": {"event_id": 4688, "chan"}\n${good}\n${good}\n`;
    const { events, report } = await read("first-bad.json", body);
    assert.equal(events.length, 2);
    assert.equal(report.malformed, 1);
  });

  it("JSON with no event layout at all is skipped, not an error; unknown objects among events are malformed", async () => {
    const summary = await read("x.expected.json", JSON.stringify({ events_total: 3, rows: [] }, null, 2));
    assert.equal(summary.report.events, 0);
    assert.match(summary.report.skipped ?? "", /without Windows events/);
    assert.equal(summary.report.format, undefined);
    assert.deepEqual(summary.diagnostics, []);

    const good = JSON.stringify({ winlog: { event_id: 4688, channel: "Security" } });
    const mixed = await read("mixed.json", `{"hello": 1}\n${good}\n{"bye": 2}\n`);
    assert.equal(mixed.report.events, 1);
    assert.equal(mixed.report.malformed, 2);
    assert.deepEqual(
      mixed.diagnostics.map((d) => d.line),
      [1, 3],
    );
  });
});

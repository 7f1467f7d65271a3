/**
 * EventData names as the readers keep them: a name is a field whatever it is — `__proto__` included, which an
 * assignment `data[name] = value` loses (it sets the prototype, or nothing) — in XML (the fast scanner and the
 * strict parser), JSON (Winlogbeat, NXLog, Winnow's export) and classic text (where labels are looked up in a
 * table: `constructor` is not one of its entries). And the fast scanner's objects (data-object.ts: one literal
 * per list of names) keep each event's own names, order and values, however events of one kind vary.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, describe, it } from "node:test";
import { dataObject } from "../../src/ingest/data-object.js";
import { REPO } from "../support/shared.js";
import { collect } from "./collect-events.js";
import { type TempDir, tempFiles } from "./temp-inputs.js";

const temps: TempDir[] = [];
after(() => {
  for (const t of temps) t.cleanup();
});

async function dataOf(name: string, body: string): Promise<Record<string, string>[]> {
  const t = tempFiles({ [name]: body });
  temps.push(t);
  const r = await collect([t.path(name)]);
  assert.deepEqual(
    r.diagnostics.filter((d) => d.severity !== "info").map((d) => d.message),
    [],
  );
  return r.events.map((e) => e.data);
}

/** Own fields in order, and the prototype untouched. */
function fields(data: Record<string, string>): [string, string][] {
  assert.equal(Object.getPrototypeOf(data), Object.prototype);
  return Object.keys(data).map((k) => [k, data[k]]);
}

const xml = (eventData: string) =>
  `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Sysmon'/><EventID>1</EventID><Version>5</Version><EventRecordID>7</EventRecordID><Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>h1</Computer></System>${eventData}</Event>`;

describe("XML: EventData names", () => {
  it("`__proto__` is a field, in the fast scanner and in the strict parser (a CDATA value)", async () => {
    const fast = xml(
      "<EventData><Data Name='Image'>C:\\w.exe</Data><Data Name='__proto__'>x</Data><Data Name='User'>u</Data></EventData>",
    );
    const strict = xml(
      "<EventData><Data Name='Image'><![CDATA[C:\\w.exe]]></Data><Data Name='__proto__'>x</Data><Data Name='User'>u</Data></EventData>",
    );
    const userData = `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='P'/><EventID>9</EventID><Channel>C</Channel><Computer>h</Computer></System><UserData><Op><__proto__>y</__proto__></Op></UserData></Event>`;
    const [a, b, c] = await dataOf("a.xml.log", `${fast}\n${strict}\n${userData}\n`);
    const want: [string, string][] = [
      ["Image", "C:\\w.exe"],
      ["__proto__", "x"],
      ["User", "u"],
    ];
    assert.deepEqual(fields(a), want);
    assert.deepEqual(fields(b), want);
    assert.deepEqual(fields(c), [["__proto__", "y"]]);
  });

  it("a repeated name keeps its last value, in its first place, on both paths", async () => {
    const items = "<Data Name='A'>1</Data><Data Name='B'>2</Data><Data Name='A'>3</Data>";
    const [fast, strict] = await dataOf(
      "r.xml.log",
      `${xml(`<EventData>${items}</EventData>`)}\n${xml(`<EventData>${items}<Data Name='C'><![CDATA[c]]></Data></EventData>`)}\n`,
    );
    assert.deepEqual(fields(fast), [
      ["A", "3"],
      ["B", "2"],
    ]);
    assert.deepEqual(fields(strict), [
      ["A", "3"],
      ["B", "2"],
      ["C", "c"],
    ]);
  });

  it("events of one kind with the names in another order, or fewer, or unnamed, keep their own", async () => {
    const lines = [
      "<Data Name='A'>a1</Data><Data Name='B'>b1</Data><Data Name='C'>c1</Data>",
      "<Data Name='C'>c2</Data><Data Name='B'>b2</Data><Data Name='A'>a2</Data>",
      "<Data Name='A'>a3</Data><Data Name='B'>b3</Data><Data Name='C'>c3</Data>",
      "<Data Name='A'>a4</Data><Data Name='B'>b4</Data>",
      "<Data>u0</Data><Data Name='A'/><Data>u1</Data>",
      "<Data Name='A'>a5 &amp; more</Data><Data Name='B'>b5</Data><Data Name='C'>c5</Data>",
    ].map((items) => xml(`<EventData>${items}</EventData>`));
    const data = await dataOf("o.xml.log", `${lines.join("\n")}\n`);
    assert.deepEqual(data.map(fields), [
      [
        ["A", "a1"],
        ["B", "b1"],
        ["C", "c1"],
      ],
      [
        ["C", "c2"],
        ["B", "b2"],
        ["A", "a2"],
      ],
      [
        ["A", "a3"],
        ["B", "b3"],
        ["C", "c3"],
      ],
      [
        ["A", "a4"],
        ["B", "b4"],
      ],
      [
        ["Data", "u0"],
        ["A", ""],
        ["Data1", "u1"],
      ],
      [
        ["A", "a5 & more"],
        ["B", "b5"],
        ["C", "c5"],
      ],
    ]);
  });
});

describe("dataObject", () => {
  it("builds from the values of each call, never from an earlier call's", () => {
    const names = ["X", "Y"];
    const values = ["1", "2"];
    const first = dataObject(names, values);
    values[0] = "3";
    const second = dataObject(names, values);
    assert.deepEqual(
      [first, second],
      [
        { X: "1", Y: "2" },
        { X: "3", Y: "2" },
      ],
    );
    assert.notEqual(first, second);
    // Names that are not identifiers, quotes and line separators included, are the names as given.
    const odd = ["a b", "it's", 'q"', "\u2028", "toString", "0"];
    assert.deepEqual(Object.entries(dataObject(odd, ["1", "2", "3", "4", "5", "6"])), [
      ["0", "6"],
      ["a b", "1"],
      ["it's", "2"],
      ['q"', "3"],
      ["\u2028", "4"],
      ["toString", "5"],
    ]);
  });
});

describe("JSON: EventData names", () => {
  it("`__proto__` is a field in Winlogbeat, NXLog and Winnow's export", async () => {
    const beat = readFileSync(`${REPO}examples/security-4688.winlogbeat.jsonl`, "utf8")
      .split("\n")[0]
      .replace('"event_data": {', '"event_data": {"__proto__": "x", ');
    const nxlog = JSON.stringify({
      EventID: 1,
      Channel: "Microsoft-Windows-Sysmon/Operational",
      SourceName: "Microsoft-Windows-Sysmon",
      Hostname: "h",
      Image: "C:\\w.exe",
    }).replace("{", '{"__proto__": "y", ');
    const exported = JSON.stringify({
      provider: "P",
      channel: "C",
      event_id: 1,
      computer: "h",
      time_created: null,
      record_id: null,
      data: { A: "a" },
    }).replace('"data":{', '"data":{"__proto__":"z",');
    const [b, n, e] = await dataOf("j.jsonl", `${beat}\n${nxlog}\n${exported}\n`);
    assert.equal(Object.getOwnPropertyDescriptor(b, "__proto__")?.value, "x");
    assert.equal(b.CommandLine, 'winrs -remote:SRV-DB-03 "sc query"');
    assert.equal(Object.getPrototypeOf(b), Object.prototype);
    assert.equal(Object.getOwnPropertyDescriptor(n, "__proto__")?.value, "y");
    assert.equal(n.Image, "C:\\w.exe");
    assert.deepEqual(fields(e), [
      ["__proto__", "z"],
      ["A", "a"],
    ]);
  });
});

describe("classic text: Message labels", () => {
  it("a section or label named like an Object.prototype member is not one of the 4688 table's", async () => {
    const body = [
      "03/05/2024 01:05:09 AM",
      "LogName=Security",
      "SourceName=Microsoft Windows security auditing.",
      "EventCode=4688",
      "ComputerName=WS-1.corp",
      "Message=A new process has been created.",
      "",
      "Creator Subject:",
      "\tAccount Name:\t\talice",
      "\tconstructor:\t\tc",
      "\ttoString:\t\tt",
      "",
      "constructor:",
      "\tname:\t\tn",
      "toString:",
      "\tlength:\t\tl",
      "",
      "Process Information:",
      "\tProcess Command Line:\twinrs -r:dc1 hostname",
    ].join("\r\n");
    const [d] = await dataOf("c.raw", body);
    assert.deepEqual(fields(d), [
      ["SubjectUserName", "alice"],
      ["CommandLine", "winrs -r:dc1 hostname"],
    ]);
  });
});

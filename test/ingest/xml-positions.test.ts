/**
 * Where an unreadable XML event is reported: the line and column in the file, not saxes' position inside
 * the event text (tester's bug: `pretty.xml:81: … unreadable XML event: 42:15: unexpected close tag` when the
 * bad tag is on line 122 of the file). The expected positions are found in the fixture text itself.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { formatDiagnostic } from "../../src/diag/diagnostic.js";
import { collect } from "./collect-events.js";
import { type TempDir, tempFiles } from "./temp-inputs.js";

const NS = "http://schemas.microsoft.com/win/2004/08/events/event";

/** One event pretty-printed as Event Viewer saves it (every element on its own line). */
function pretty(id: number, closeSystem = "</System>"): string {
  const data = Array.from({ length: 30 }, (_, i) => `      <Data Name='Field${i}'>value ${id}.${i}</Data>`);
  return [
    `  <Event xmlns='${NS}'>`,
    "    <System>",
    "      <Provider Name='Microsoft-Windows-Sysmon' Guid='{5770385f-c22a-43e0-bf4c-06f5698ffbd9}'/>",
    "      <EventID>1</EventID>",
    "      <Version>5</Version>",
    `      <TimeCreated SystemTime='2024-01-02T03:04:0${id}.000Z'/>`,
    `      <EventRecordID>${id}</EventRecordID>`,
    "      <Channel>Microsoft-Windows-Sysmon/Operational</Channel>",
    "      <Computer>host-a</Computer>",
    // A comment makes the fast scanner decline, so the strict parser reads every event.
    "      <!-- rendered by a test -->",
    `    ${closeSystem}`,
    "    <EventData>",
    ...data,
    "    </EventData>",
    "  </Event>",
  ].join("\n");
}

/** 1-based line and the 1-based column of the character after `needle` (where saxes stops). */
function positionOf(text: string, needle: string): { line: number; column: number } {
  const lines = text.split("\n");
  const i = lines.findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, needle);
  return { line: i + 1, column: lines[i].indexOf(needle) + needle.length };
}

describe("unreadable XML events are reported at their position in the file", () => {
  const prettyText = [
    "<?xml version='1.0' encoding='utf-8'?>",
    "<Events>",
    pretty(1),
    pretty(2),
    pretty(3, "</Sys>"),
    pretty(4),
    "</Events>",
    "",
  ].join("\n");
  const bad = "<EventID>1</EventID></Sys>";
  const oneLine = (id: number, body: string) =>
    `<Event xmlns='${NS}'><System><Provider Name='Microsoft-Windows-Sysmon'/><!-- c -->${body}` +
    `<EventRecordID>${id}</EventRecordID><Channel>Microsoft-Windows-Sysmon/Operational</Channel>` +
    "<Computer>host-b</Computer></System></Event>";
  const lineText = [
    oneLine(10, "<EventID>1</EventID>"),
    // Two events on one line: the second one is broken, so its column counts from the start of the line.
    `${oneLine(11, "<EventID>1</EventID>")}  ${oneLine(12, bad).replace("</System></Event>", "</Event>")}`,
    oneLine(13, "<EventID>1</EventID>"),
    "",
  ].join("\n");
  const t: TempDir = tempFiles({ "pretty.xml": prettyText, "lines.xml.log": lineText });
  after(() => t.cleanup());

  it("a pretty-printed <Events> export: the bad close tag's own line and column", async () => {
    const c = await collect([t.path("pretty.xml")]);
    assert.deepEqual(
      c.events.map((e) => e.recordId),
      [1, 2, 4],
    );
    const where = positionOf(prettyText, "</Sys>");
    const lines = prettyText.split("\n");
    let eventStart = where.line;
    while (!lines[eventStart - 1].startsWith("  <Event ")) eventStart--;
    // The fixture puts the damage deep inside the third event, far from where the event starts.
    assert.equal(where.line, 3 + 2 * 44 + 10);
    assert.equal(where.column, 10);
    assert.equal(eventStart, 3 + 2 * 44);
    assert.deepEqual(
      c.diagnostics.map((d) => [d.code, d.line, d.column, d.message]),
      [
        [
          "xml-malformed",
          where.line,
          where.column,
          `unreadable XML event (the event starts at line ${eventStart}): unexpected close tag.`,
        ],
      ],
    );
    assert.equal(
      formatDiagnostic(c.diagnostics[0]),
      `${t.path("pretty.xml")}:101:10: warning [xml-malformed] unreadable XML event (the event starts at line 91): unexpected close tag.`,
    );
    assert.deepEqual(
      c.reports.map((r) => [r.events, r.malformed]),
      [[3, 1]],
    );
  });

  it("an event that starts mid-line: the column counts from the start of the file's line", async () => {
    const c = await collect([t.path("lines.xml.log")]);
    assert.deepEqual(
      c.events.map((e) => e.recordId),
      [10, 11, 13],
    );
    const line2 = lineText.split("\n")[1];
    const column = line2.indexOf(bad) + bad.length;
    assert.ok(column > line2.length / 2);
    assert.deepEqual(
      c.diagnostics.map((d) => [d.line, d.column, d.message]),
      [[2, column, "unreadable XML event: unexpected close tag."]],
    );
  });
});

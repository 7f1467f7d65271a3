/**
 * The store tests' event: the attack-range log's winrs positive (../shared, `winrs -r:win-srv-02`), which the
 * flagship and the WinRM pack's any-switch detection both report, each with its risk events and notable.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import type { ParsedEvent } from "../../../src/ingest/parsed-event.js";
import { parseEventXml } from "../../../src/ingest/xml/parse-event-xml.js";
import { sharedPath } from "../../support/shared.js";

/** Its XmlWinEventLog line. */
export function winrsPositiveLine(): string {
  const line = readFileSync(
    sharedPath("data/derived-positives/derived_winrs_xmlwineventlog_attackrange.xml.log"),
    "utf8",
  )
    .split(/\r?\n/)
    .find((l) => l.includes("-r:win-srv-02"));
  assert.ok(line !== undefined);
  return line;
}

/** The event as the XML reader gives it, from the line as it is or as `edit` makes it. */
export function winrsPositive(edit: (line: string) => string = (l) => l): ParsedEvent {
  const r = parseEventXml(edit(winrsPositiveLine()));
  assert.ok("event" in r);
  return r.event;
}

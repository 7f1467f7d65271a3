/**
 * HEC building blocks: the concatenated-envelope splitter, envelope → event outcomes, channel acks, token
 * checks; and the risk roll-up (ES's 24-hour, threshold-100 rule).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RiskEvent } from "../../../src/engine/risk.js";
import { ChannelAcks, isChannelId } from "../../../src/service/hec/channel-acks.js";
import { eventFromEnvelope } from "../../../src/service/hec/envelope-event.js";
import { peekSystem } from "../../../src/service/hec/peek-system.js";
import { splitEnvelopes } from "../../../src/service/hec/split-envelopes.js";
import { tokenChecker } from "../../../src/service/hec/token-check.js";
import { rollUpRisk } from "../../../src/service/risk-rollup.js";

describe("HEC parts", () => {
  it("splits concatenated envelopes, respecting strings, escapes and nesting", () => {
    const body = [String.raw`{"a":"x\"}{"}{"b":"\\"}  {"c":[1,{"d":"}"}]}`, String.raw`{"e":"\\\"}"}`].join(
      "\n",
    );
    assert.deepEqual(
      [...splitEnvelopes(body)].map((p) => ("text" in p ? JSON.parse(p.text) : p)),
      [{ a: 'x"}{' }, { b: "\\" }, { c: [1, { d: "}" }] }, { e: '\\"}' }],
    );
    assert.deepEqual(
      [...splitEnvelopes('{"a":1} x')],
      [{ text: '{"a":1}' }, { error: "expected '{' at offset 8" }],
    );
    assert.deepEqual(
      [...splitEnvelopes('{"a":"open}')],
      [{ error: "unterminated JSON object starting at offset 0" }],
    );
  });

  it("reads an XML event string, reports missing/blank events and bad JSON with their HEC codes", () => {
    const xml =
      "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Sysmon'/><EventID>1</EventID><Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>h1</Computer></System><EventData><Data Name='Image'>C:\\x.exe</Data></EventData></Event>";
    const r = eventFromEnvelope(JSON.stringify({ host: "hh", event: xml }));
    assert.equal(r.kind, "event");
    if (r.kind === "event") {
      assert.equal(r.event.eventId, 1);
      assert.equal(r.event.computer, "h1");
      assert.equal(r.event.data.Image, "C:\\x.exe");
      assert.equal(r.host, "hh");
    }
    assert.deepEqual(eventFromEnvelope('{"time":1}'), { kind: "error", code: 12, reason: "no event field" });
    assert.deepEqual(eventFromEnvelope('{"event":"  "}'), {
      kind: "error",
      code: 13,
      reason: "event is blank",
    });
    assert.equal(eventFromEnvelope("{nope}").kind, "error");
    assert.equal(eventFromEnvelope('{"event":"hello world"}').kind, "unreadable");
  });

  it("peeks at the System header to skip events no detection uses; anything unusual is parsed in full", () => {
    const sys = (inner: string) =>
      `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>${inner}</System><EventData/></Event>`;
    const x = sys(
      "<Provider Name='Microsoft-Windows-Sysmon' Guid='{5770385f}'/><EventID>3</EventID><Channel>Microsoft-Windows-Sysmon/Operational</Channel>",
    );
    assert.deepEqual(peekSystem(x), {
      provider: "Microsoft-Windows-Sysmon",
      channel: "Microsoft-Windows-Sysmon/Operational",
      eventId: 3,
    });
    assert.deepEqual(peekSystem(sys('<Provider Name="Security"/><EventID Qualifiers="0">4688</EventID>')), {
      provider: "Security",
      channel: "",
      eventId: 4688,
    });
    assert.equal(peekSystem(sys("<Provider Name='A&amp;B'/><EventID>1</EventID>")), undefined);
    assert.equal(peekSystem("<Event><System><EventID>1</EventID>"), undefined);
    const onlyProcessCreation = (_p: string, _c: string, id: number) => id === 1 || id === 4688;
    assert.deepEqual(eventFromEnvelope(JSON.stringify({ event: x }), onlyProcessCreation), {
      kind: "filtered",
    });
    const one = x.replace("<EventID>3</EventID>", "<EventID>1</EventID>");
    assert.equal(eventFromEnvelope(JSON.stringify({ event: one }), onlyProcessCreation).kind, "event");
  });

  it("acks per channel, true only after completion, each reported once", () => {
    const acks = new ChannelAcks();
    const ch = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    assert.equal(isChannelId(ch), true);
    assert.equal(isChannelId("abc"), false);
    assert.equal(acks.open(ch), 0);
    assert.equal(acks.open(ch), 1);
    assert.deepEqual(acks.query(ch, [0, 1, 7]), { "0": false, "1": false, "7": false });
    acks.complete(ch, 1);
    assert.deepEqual(acks.query(ch, [0, 1]), { "0": false, "1": true });
    assert.deepEqual(acks.query(ch, [1]), { "1": false });
    acks.fail(ch, 0);
    assert.deepEqual(acks.query(ch, [0]), { "0": false });
  });

  it("checks tokens: missing 2, malformed 3, wrong 4, right passes", () => {
    const check = tokenChecker("s3cret");
    assert.equal(check(undefined)?.body.code, 2);
    assert.equal(check("Basic abc")?.body.code, 3);
    assert.equal(check("Splunk wrong")?.body.code, 4);
    assert.equal(check("Splunk s3cre")?.body.code, 4);
    assert.equal(check("Splunk s3cret"), undefined);
    assert.equal(check("splunk s3cret"), undefined);
  });

  it("rolls up risk per entity over 24 hours with a notable over the threshold", () => {
    const ev = (object: string, score: number, time: string, search: string, mitre: string[]): RiskEvent => ({
      _time: time,
      search_name: search,
      risk_object: object,
      risk_object_type: "system",
      risk_score: score,
      risk_message: "m",
      annotations: { mitre_attack: mitre },
      analyticstories: [],
      detection_id: "d",
    });
    const events = [
      ev("h1", 56, "2026-01-02T10:00:00.000Z", "A", ["T1021.006"]),
      ev("h1", 50, "2026-01-02T11:00:00.000Z", "B", ["T1021", "T1021.006"]),
      ev("h1", 90, "2026-01-01T09:00:00.000Z", "C", ["T1059"]), // more than 24 h before `at`
      ev("h2", 100, "2026-01-02T11:30:00.000Z", "A", []),
    ];
    const out = rollUpRisk(events, { at: Date.parse("2026-01-02T12:00:00.000Z") });
    assert.deepEqual(out, [
      {
        risk_object: "h1",
        risk_object_type: "system",
        risk_score: 106,
        risk_event_count: 2,
        detections: ["A", "B"],
        techniques: ["T1021", "T1021.006"],
        first_time: "2026-01-02T10:00:00.000Z",
        last_time: "2026-01-02T11:00:00.000Z",
        notable: true,
      },
      {
        risk_object: "h2",
        risk_object_type: "system",
        risk_score: 100,
        risk_event_count: 1,
        detections: ["A"],
        techniques: [],
        first_time: "2026-01-02T11:30:00.000Z",
        last_time: "2026-01-02T11:30:00.000Z",
        notable: false, // ES: "over" the threshold, 100 is not
      },
    ]);
  });
});

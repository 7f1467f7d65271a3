/**
 * Requests and volumes that gave HTTP 500 (found by a fresh session probing the service): `/services/collector/ack`
 * with the JSON body `null` (HEC's 400, code 6), a request target that is no URL path (`//[`: 404, and the
 * server goes on), and the risk roll-up of an entity with more risk events than a function call takes
 * arguments (`Math.min(...times)` overflowed the stack at ~125,000).
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { connect } from "node:net";
import { it } from "node:test";
import type { RiskEvent } from "../../../src/engine/risk.js";
import { createHecServer } from "../../../src/service/http/hec-server.js";
import type { Intake } from "../../../src/service/intake.js";
import { rollUpRisk } from "../../../src/service/risk-rollup.js";

/** One raw HTTP request (the target as given), the status line of the reply. */
function rawStatus(port: number, target: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(port, "127.0.0.1", () =>
      s.write(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`),
    );
    let got = "";
    s.on("data", (b) => {
      got += b.toString();
    });
    s.on("end", () => resolve(got.split("\r\n")[0]));
    s.on("error", reject);
  });
}

it("/ack with a null body is HEC's invalid data format; a target that is no path is 404", async () => {
  const intake: Intake = { accept: async () => {}, close: async () => {} };
  const server = createHecServer({ token: "t", intake });
  const { port } = await server.listen("127.0.0.1", 0);
  try {
    const r = await fetch(`http://127.0.0.1:${port}/services/collector/ack`, {
      method: "POST",
      headers: { authorization: "Splunk t", "x-splunk-request-channel": randomUUID() },
      body: "null",
    });
    assert.equal(r.status, 400);
    assert.deepEqual(await r.json(), { text: "Invalid data format", code: 6, "invalid-event-number": 0 });
    for (const target of ["//[", "http://[/x", "http://x:99999/services/collector/health"])
      assert.equal(await rawStatus(port, target), "HTTP/1.1 404 Not Found", target);
    const health = await fetch(`http://127.0.0.1:${port}/services/collector/health`);
    assert.equal(health.status, 200);
  } finally {
    await server.close();
  }
});

it("rolls up an entity with 200,000 risk events", () => {
  const base = Date.parse("2026-11-30T00:00:00Z");
  const events = Array.from(
    { length: 200_000 },
    (_, i) =>
      ({
        _time: new Date(base + i * 100).toISOString(),
        risk_object: "wks-1",
        risk_object_type: "system",
        risk_score: 1,
        search_name: "ESCU - X - Rule",
        annotations: { mitre_attack: ["T1021.006"] },
      }) as unknown as RiskEvent,
  );
  const [r] = rollUpRisk(events);
  assert.equal(r.risk_event_count, 200_000);
  assert.equal(r.risk_score, 200_000);
  assert.equal(r.first_time, "2026-11-30T00:00:00.000Z");
  assert.equal(r.last_time, new Date(base + 199_999 * 100).toISOString());
});

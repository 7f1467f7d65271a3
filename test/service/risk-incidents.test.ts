/**
 * Single-node serve raises ES's risk incident: an entity whose risk scores over the 24 hours up to its newest
 * risk event sum past the threshold goes to the alert sinks as a "Risk - 24 Hour Risk Threshold Exceeded -
 * Rule" notable, is stored (risk_incidents, listed by /api/notables after the detections' notables), is raised
 * again when its sum changes, never twice for the same window start and sum, and not again after a restart.
 * The expected sums are worked out here from hunt's own risk events (expected-incidents.ts).
 *
 * Data: examples/ (the README's logs, with the WinRM pack's one lateral-movement edge, whose risk events count
 * too) and the derived positives of ../shared.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { loadContent } from "../../src/content/index.js";
import { hunt } from "../../src/engine/hunt.js";
import { StreamSession } from "../../src/engine/stream-session.js";
import { LocalIntake } from "../../src/service/local-intake.js";
import type { RiskIncident } from "../../src/service/risk-rollup.js";
import { SqliteStore } from "../../src/service/store/sqlite-store.js";
import { eventsOf } from "../ingest/collect-events.js";
import { REPO, sharedPath } from "../support/shared.js";
import { expectedIncidentSums, incidentLines, isIncident, lastIncidentSums } from "./expected-incidents.js";
import { startCli, stopCli } from "./services.js";

const EXAMPLES = [
  `${REPO}examples/sysmon-operational.xml.log`,
  `${REPO}examples/security-4688.winlogbeat.jsonl`,
];
const XML_LOG = sharedPath("data/derived-positives/derived_winrs_xmlwineventlog_attackrange.xml.log");
const content = loadContent([]);

describe("risk incidents, single node", () => {
  it("sends each entity's incident when its 24-hour risk passes 100, stores it once, not again on restart", async () => {
    const h = await hunt({ paths: EXAMPLES, content });
    assert.equal(h.results[h.results.length - 1].rows.length, 1); // the edge, whose risk events count too
    const expected = expectedIncidentSums(h.results.flatMap((r) => r.risk));
    // The edge's 76 is in both its ends' sums: WKS-FIN-07 (seven winrs risk events of 54, + 76) and DC-02
    // (WinrsHost 48 + 25, + 76); dc-02.contoso.example and 10.20.0.12 (one event of 54 each) stay under.
    assert.deepEqual(
      expected.map((x) => [x.object, x.sum]),
      [
        ["DC-02", 108],
        ["DC-02.contoso.example", 149],
        ["SRV-APP-11.contoso.example", 162],
        ["SRV-DB-03", 108],
        ["WKS-FIN-07.contoso.example", 454],
      ],
    );

    const dir = mkdtempSync(join(tmpdir(), "winnow-risk-"));
    const store = new SqliteStore(join(dir, "s.sqlite"));
    await store.migrate();
    const sent: string[] = [];
    const sink = { send: async (lines: readonly string[]) => void sent.push(...lines) };
    const intake = await LocalIntake.open({ session: new StreamSession(content), store, sinks: [sink] });
    const events = await eventsOf(EXAMPLES);
    for (let i = 0; i < events.length; i += 3) {
      await intake.accept({ id: `b${i}`, events: events.slice(i, i + 3) });
      await intake.settled();
    }
    const incidents = sent.map((l) => JSON.parse(l) as RiskIncident).filter(isIncident);
    // The last incident of each entity carries its whole sum; every incident is over the threshold.
    assert.deepEqual(lastIncidentSums(incidents), expected);
    assert.ok(incidents.every((x) => x.risk_score > 100 && x.notable === true && x.risk_threshold === 100));
    // Raised again only when the roll-up changed: no two incidents with the same window start and sum.
    const keys = incidents.map((x) => `${x.risk_object}:${x.first_time}:${x.risk_score}`);
    assert.equal(new Set(keys).size, keys.length);
    // Stored as sent, and listed after the detections' notables.
    assert.deepEqual(await store.riskIncidents(), incidents);
    const notables = await store.notables();
    assert.deepEqual(notables.slice(-incidents.length), incidents);
    assert.equal(notables.length - incidents.length, h.results.flatMap((r) => r.notables).length);
    // Shaped as ES's risk notables.
    const last = incidents[incidents.length - 1];
    assert.deepEqual(Object.keys(last).sort(), [
      "_time",
      "annotations",
      "detections",
      "first_time",
      "last_time",
      "notable",
      "risk_event_count",
      "risk_object",
      "risk_object_type",
      "risk_score",
      "risk_threshold",
      "rule_name",
      "rule_title",
      "search_name",
      "security_domain",
      "severity",
      "source_count",
      "techniques",
    ]);
    assert.equal(last.severity, "critical");
    assert.equal(last.source_count, last.detections.length);
    assert.deepEqual(last.annotations.mitre_attack, last.techniques);
    await intake.close();

    const again: string[] = [];
    const restarted = await LocalIntake.open({
      session: new StreamSession(content),
      store,
      sinks: [{ send: async (lines: readonly string[]) => void again.push(...lines) }],
    });
    await restarted.accept({ id: "b0", events: events.slice(0, 3) }); // a redelivered batch
    await restarted.settled();
    assert.deepEqual(again, []);
    assert.deepEqual(await store.riskIncidents(), incidents);
    await restarted.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("winnow serve --risk-threshold 300 prints and lists only the entities over 300", async () => {
    const dir = mkdtempSync(join(tmpdir(), "winnow-risk-cli-"));
    let out = "";
    const serve = startCli(
      [
        "serve",
        "--token",
        "t",
        "--listen",
        "127.0.0.1:0",
        "--store",
        join(dir, "s.sqlite"),
        "--risk-threshold",
        "300",
      ],
      /listening on (http:\/\/[^ ]+)/,
      (s) => {
        out += s;
      },
    );
    try {
      const base = (await serve.ready)[1];
      const lines = readFileSync(XML_LOG, "utf8")
        .split(/\r?\n/)
        .filter((l) => l.trim() !== "");
      for (let i = 0; i < lines.length; i += 4) {
        const r = await fetch(`${base}/services/collector/event`, {
          method: "POST",
          headers: { authorization: "Splunk t" },
          body: lines
            .slice(i, i + 4)
            .map((event) => JSON.stringify({ event }))
            .join(""),
        });
        assert.equal(r.status, 200);
      }
      const h = await hunt({ paths: [XML_LOG], content });
      const expected = expectedIncidentSums(
        h.results.flatMap((r) => r.risk),
        300,
      );
      assert.deepEqual(
        expected.map((x) => [x.object, x.sum]),
        [["win-dc-791937.attackrange.local", 884]],
      );
      const deadline = Date.now() + 20_000;
      let listed: RiskIncident[] = [];
      while (Date.now() < deadline) {
        const r = await fetch(`${base}/api/notables`, { headers: { authorization: "Splunk t" } });
        listed = ((await r.json()) as RiskIncident[]).filter(isIncident);
        if (lastIncidentSums(listed).some((x) => x.sum === 884)) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.deepEqual(lastIncidentSums(listed), expected);
      assert.ok(listed.every((x) => x.risk_threshold === 300 && x.risk_score > 300));
      await new Promise((r) => setTimeout(r, 200));
      const printed = incidentLines(out).map((l) => JSON.parse(l) as RiskIncident);
      assert.deepEqual(printed, listed);
    } finally {
      await stopCli(serve.child);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

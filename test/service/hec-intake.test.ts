/**
 * HEC end to end, single node (SQLite store): ../shared data sent in several batches, gzip and not, through
 * the event and raw endpoints, gives exactly the findings and risk events `hunt` gives on the same files; and
 * the HEC error replies (auth, size, format, channel, ack).
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import { loadContent } from "../../src/content/index.js";
import { hunt } from "../../src/engine/hunt.js";
import { StreamSession } from "../../src/engine/stream-session.js";
import { renderEventXml } from "../../src/output/event-xml.js";
import { jsonlLines } from "../../src/output/jsonl.js";
import { createHecServer, type HecServer } from "../../src/service/http/hec-server.js";
import { LocalIntake } from "../../src/service/local-intake.js";
import type { RiskIncident } from "../../src/service/risk-rollup.js";
import { SqliteStore } from "../../src/service/store/sqlite-store.js";
import { eventsOf } from "../ingest/collect-events.js";
import { REPO, sharedPath } from "../support/shared.js";
import { expectedIncidentSums, isIncident, lastIncidentSums } from "./expected-incidents.js";

const TOKEN = "4f2a7c1e-0000-4000-8000-00000000beef";
const DP = sharedPath("data/derived-positives/");
const XML_LOG = `${DP}derived_winrs_xmlwineventlog_attackrange.xml.log`;
const OTRF_JSON = `${DP}derived_winrs_otrf_workstation6.json`;
const EVTX = [`${DP}derived_winrs_4688_fs03vuln.evtx`, `${DP}derived_winrs_sysmon_Win10_APTSimulatorVM.evtx`];
const MIXED_RAW = sharedPath("data/splunk-attack-data/certutil_exe_certificate_extraction.raw");
const EXAMPLES = [
  `${REPO}examples/sysmon-operational.xml.log`,
  `${REPO}examples/security-4688.winlogbeat.jsonl`,
];

const content = loadContent([]);
let dir: string;
let server: HecServer;
let intake: LocalIntake;
let store: SqliteStore;
let base: string;

async function post(
  path: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const r = await fetch(base + path, {
    method: "POST",
    headers: { authorization: `Splunk ${TOKEN}`, ...headers },
    body: typeof body === "string" ? body : new Uint8Array(body),
  });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
}

async function get(path: string): Promise<unknown> {
  const r = await fetch(base + path, { headers: { authorization: `Splunk ${TOKEN}` } });
  assert.equal(r.status, 200);
  return r.json();
}

const sorted = (xs: Iterable<string>) => [...xs].sort();

describe("HEC intake, single node", () => {
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "winnow-hec-"));
    store = new SqliteStore(join(dir, "results.sqlite"));
    await store.migrate();
    const session = new StreamSession(content);
    intake = await LocalIntake.open({ session, store });
    server = createHecServer({
      filter: session.filter,
      token: TOKEN,
      intake,
      store,
      maxBodyBytes: 1024 * 1024,
      maxEventBytes: 64 * 1024,
    });
    const a = await server.listen("127.0.0.1", 0);
    base = `http://127.0.0.1:${a.port}`;
  });
  after(async () => {
    await server.close();
    await intake.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers health without a token", async () => {
    const r = await fetch(`${base}/services/collector/health`);
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { text: "HEC is healthy", code: 17 });
  });

  it("rejects missing, malformed and wrong tokens with HEC codes 2, 3 and 4", async () => {
    const body = JSON.stringify({ event: "x" });
    let r = await fetch(`${base}/services/collector/event`, { method: "POST", body });
    assert.equal(r.status, 401);
    assert.deepEqual(await r.json(), { text: "Token is required", code: 2 });
    r = await fetch(`${base}/services/collector/event`, {
      method: "POST",
      body,
      headers: { authorization: "Bearer x" },
    });
    assert.equal(r.status, 401);
    assert.deepEqual(await r.json(), { text: "Invalid authorization", code: 3 });
    r = await fetch(`${base}/services/collector/event`, {
      method: "POST",
      body,
      headers: { authorization: `Splunk ${TOKEN}x` },
    });
    assert.equal(r.status, 403);
    assert.deepEqual(await r.json(), { text: "Invalid token", code: 4 });
    r = await fetch(`${base}/api/findings`, { headers: { authorization: "Splunk nope" } });
    assert.equal(r.status, 403);
    // HTTP Basic with the token as the password (curl -u x:TOKEN), as Splunk's HEC accepts; a wrong one is 4.
    const basic = (user: string, pass: string) =>
      `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;
    r = await fetch(`${base}/api/findings`, { headers: { authorization: basic("x", TOKEN) } });
    assert.equal(r.status, 200);
    r = await fetch(`${base}/api/findings`, { headers: { authorization: basic("x", `${TOKEN}x`) } });
    assert.equal(r.status, 403);
    assert.deepEqual(await r.json(), { text: "Invalid token", code: 4 });
    // A token in the query string is refused as Splunk refuses it when not enabled: 400, code 16.
    r = await fetch(`${base}/services/collector/event?token=${TOKEN}`, { method: "POST", body });
    assert.equal(r.status, 400);
    assert.deepEqual(await r.json(), { text: "Query string authorization is not enabled", code: 16 });
    // The risk roll-up's parameters are checked, not silently ignored.
    const auth = { authorization: `Splunk ${TOKEN}` };
    r = await fetch(`${base}/api/risk/rollup?threshold=abc`, { headers: auth });
    assert.equal(r.status, 400);
    assert.deepEqual(await r.json(), { text: "threshold=abc is not a number (0 or more)", code: 400 });
    r = await fetch(`${base}/api/risk/rollup?at=garbage`, { headers: auth });
    assert.equal(r.status, 400);
    assert.deepEqual(await r.json(), {
      text: "at=garbage is not a date (ISO 8601, e.g. 2021-01-15T10:00:00Z)",
      code: 400,
    });
  });

  it("/raw counts what it cannot read: a body of no event layout, a line over the event limit", async () => {
    const stats = async () => {
      const r = await fetch(`${base}/api/stats`, { headers: { authorization: `Splunk ${TOKEN}` } });
      return ((await r.json()) as { intake: { malformed: number; events: number } }).intake;
    };
    const before = await stats();
    assert.equal((await post("/services/collector/raw", "garbage that is no event at all")).status, 200);
    const huge = `<Event><System><EventID>1</EventID><Data>${"x".repeat(70 * 1024)}</Data></System></Event>`;
    assert.equal((await post("/services/collector/raw?sourcetype=XmlWinEventLog", huge)).status, 200);
    const after = await stats();
    // One record each: the garbage body, and the line over the 64 KiB event limit of this server.
    assert.equal(after.malformed - before.malformed, 2);
    assert.equal(after.events, before.events);
  });

  it("rejects empty, malformed, oversized and bad-channel requests with HEC's codes", async () => {
    assert.deepEqual(await post("/services/collector/event", ""), {
      status: 400,
      json: { text: "No data", code: 5 },
    });
    // The third envelope is broken: invalid-event-number 2 (0-based), as Splunk reports it.
    const bad = '{"event":"a"} {"event":"b"}{"event": nope}';
    assert.deepEqual(await post("/services/collector/event", bad), {
      status: 400,
      json: { text: "Invalid data format", code: 6, "invalid-event-number": 2 },
    });
    assert.deepEqual(await post("/services/collector/event", '{"event":"a"}{"time":1}'), {
      status: 400,
      json: { text: "Event field is required", code: 12, "invalid-event-number": 1 },
    });
    assert.deepEqual(await post("/services/collector/event", '{"event":""}'), {
      status: 400,
      json: { text: "Event field cannot be blank", code: 13, "invalid-event-number": 0 },
    });
    assert.deepEqual(await post("/services/collector/event", "not json"), {
      status: 400,
      json: { text: "Invalid data format", code: 6, "invalid-event-number": 0 },
    });
    // One event over the 64 KiB event limit, inside a body under the 1 MiB body limit.
    const big = `{"event":"a"}${JSON.stringify({ event: "x".repeat(70 * 1024) })}`;
    assert.deepEqual(await post("/services/collector/event", big), {
      status: 400,
      json: { text: "Invalid data format", code: 6, "invalid-event-number": 1 },
    });
    const huge = await post("/services/collector/event", "x".repeat(1024 * 1024 + 1));
    assert.equal(huge.status, 413);
    // A small gzip body that inflates past the limit is refused too.
    const bomb = await post("/services/collector/raw", gzipSync(Buffer.alloc(2 * 1024 * 1024, 32)), {
      "content-encoding": "gzip",
    });
    assert.equal(bomb.status, 413);
    const badGzip = await post("/services/collector/raw", Buffer.from("not gzip"), {
      "content-encoding": "gzip",
    });
    assert.deepEqual(badGzip, {
      status: 400,
      json: { text: "Invalid data format", code: 6, "invalid-event-number": 0 },
    });
    assert.deepEqual(
      await post("/services/collector/event", '{"event":"a"}', { "x-splunk-request-channel": "zz" }),
      {
        status: 400,
        json: { text: "Invalid data channel", code: 11 },
      },
    );
    assert.deepEqual(await post("/services/collector/ack", '{"acks":[0]}'), {
      status: 400,
      json: { text: "Data channel is missing", code: 10 },
    });
  });

  it("gives exactly hunt's findings and risk events for data sent in batches (event + raw, gzip + plain)", async () => {
    const channel = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    const ackIds: number[] = [];
    // 1. XmlWinEventLog lines as `event` strings, 4 per request, every other request gzip, with a channel.
    const lines = readFileSync(XML_LOG, "utf8")
      .split(/\r?\n/)
      .filter((l) => l.trim() !== "");
    for (let i = 0; i < lines.length; i += 4) {
      const body = lines
        .slice(i, i + 4)
        .map((l) => JSON.stringify({ time: 1, host: "h", sourcetype: "XmlWinEventLog", event: l }))
        .join("\n");
      const gz = (i / 4) % 2 === 1;
      const r = await post("/services/collector/event", gz ? gzipSync(body) : body, {
        "x-splunk-request-channel": channel,
        ...(gz ? { "content-encoding": "gzip" } : {}),
      });
      assert.equal(r.status, 200);
      assert.equal(r.json.code, 0);
      assert.equal(typeof r.json.ackId, "number");
      ackIds.push(r.json.ackId as number);
    }
    assert.deepEqual(ackIds, [0, 1, 2, 3]);
    // 2. NXLog/OTRF JSON objects as `event` objects, concatenated without separators, in one request.
    const objs = readFileSync(OTRF_JSON, "utf8")
      .split(/\r?\n/)
      .filter((l) => l.trim() !== "");
    const r2 = await post("/services/collector", objs.map((o) => `{"event":${o}}`).join(""));
    assert.deepEqual(r2, { status: 200, json: { text: "Success", code: 0 } });
    // 3. Mixed XML + classic text through /raw, gzip, content detection (no sourcetype).
    const r3 = await post("/services/collector/raw", gzipSync(readFileSync(MIXED_RAW)), {
      "content-encoding": "gzip",
    });
    assert.deepEqual(r3, { status: 200, json: { text: "Success", code: 0 } });
    // 4. EVTX records rendered as XmlWinEventLog lines, through /raw with a sourcetype, 300 lines per request.
    const xml = (await eventsOf(EVTX)).map(renderEventXml);
    for (let i = 0; i < xml.length; i += 300) {
      const r = await post(
        "/services/collector/raw?sourcetype=XmlWinEventLog&source=WinEventLog:Security&host=x",
        xml.slice(i, i + 300).join("\n"),
      );
      assert.deepEqual(r, { status: 200, json: { text: "Success", code: 0 } });
    }
    // 5. The README's examples/ through /raw, content detection: XmlWinEventLog and Winlogbeat JSON lines. They
    // hold a winrs hop with its target side, so the WinRM pack's lateral-movement edge is computed too.
    for (const f of EXAMPLES) {
      const r = await post("/services/collector/raw", readFileSync(f));
      assert.deepEqual(r, { status: 200, json: { text: "Success", code: 0 } });
    }
    await intake.settled();
    const acked = await post("/services/collector/ack", JSON.stringify({ acks: [0, 1, 2, 3, 4] }), {
      "x-splunk-request-channel": channel,
    });
    assert.deepEqual(acked.json, { acks: { "0": true, "1": true, "2": true, "3": true, "4": false } });

    const h = await hunt({ paths: [XML_LOG, OTRF_JSON, MIXED_RAW, ...EVTX, ...EXAMPLES], content });
    const findings = (await get("/api/findings")) as unknown[];
    // 7 + 4 + 3 + 4 rows of the winrs detection from the derived positives' expected.json files, and the 4 of
    // examples/ (its README).
    const winrs = findings.filter(
      (f) => (f as { detection_id: string }).detection_id === "0dd296a2-4338-11ec-ba02-3e22fbd008af",
    );
    assert.equal(winrs.length, 22);
    // The edge hunt correlates: WKS-FIN-07 → DC-02.
    const edges = findings.filter(
      (f) => (f as { detection: string }).detection === "WinRM Pack - Lateral Movement Edge",
    ) as { src: string; dest: string; risk_score: number }[];
    assert.deepEqual(
      edges.map((e) => [e.src, e.dest, e.risk_score]),
      [["WKS-FIN-07.contoso.example", "DC-02.contoso.example", 76]],
    );
    assert.deepEqual(sorted(findings.map((f) => JSON.stringify(f))), sorted(jsonlLines(h.results)));
    const risk = (await get("/api/risk")) as unknown[];
    const huntRisk = h.results.flatMap((r) => r.risk);
    assert.equal(risk.length, huntRisk.length);
    assert.deepEqual(
      sorted(risk.map((x) => JSON.stringify(x))),
      sorted(huntRisk.map((x) => JSON.stringify(x))),
    );
    const object = huntRisk[0].risk_object;
    const one = (await get(`/api/risk?object=${encodeURIComponent(object)}`)) as { risk_object: string }[];
    assert.equal(one.length, huntRisk.filter((x) => x.risk_object === object).length);
    assert.ok(one.every((x) => x.risk_object === object));
    // /api/notables: the detections' notables, exactly hunt's, then the risk incidents raised on the way (each
    // entity's last one carries its whole 24-hour sum).
    const notables = (await get("/api/notables")) as { search_name: string }[];
    const huntNotables = h.results.flatMap((r) => r.notables);
    assert.deepEqual(
      notables
        .slice(0, huntNotables.length)
        .map((x) => JSON.stringify(x))
        .sort(),
      huntNotables.map((x) => JSON.stringify(x)).sort(),
    );
    const incidents = notables.slice(huntNotables.length) as unknown as RiskIncident[];
    assert.ok(incidents.every(isIncident));
    const expected = expectedIncidentSums(huntRisk);
    assert.equal(expected.length, 14); // 9 entities of ../shared, 5 of examples/
    assert.deepEqual(
      expected.find((x) => x.object === "win-dc-791937.attackrange.local"),
      { type: "system", object: "win-dc-791937.attackrange.local", sum: 884, count: 17 },
    );
    assert.deepEqual(lastIncidentSums(incidents), expected);
    assert.deepEqual(incidents, await store.riskIncidents());
  });

  it("stores a finding within a second of its first event, and updates its count as more arrive", async () => {
    const line = readFileSync(XML_LOG, "utf8")
      .split(/\r?\n/)
      .find((l) => l.includes("-r:win-srv-02"));
    assert.ok(line !== undefined);
    const marked = line.replace("hostname", "hostname live-marker-1");
    assert.notEqual(marked, line);
    const row = async () =>
      (
        (await get("/api/findings?detection=0dd296a2-4338-11ec-ba02-3e22fbd008af")) as {
          process: string;
          count: number;
        }[]
      ).find((r) => r.process.includes("live-marker-1"));
    const t0 = performance.now();
    await post("/services/collector/event", JSON.stringify({ event: marked }));
    let found = await row();
    while (found === undefined && performance.now() - t0 < 1000) found = await row();
    assert.ok(found !== undefined, "finding stored within 1 s");
    assert.equal(found.count, 1);
    await post("/services/collector/event", JSON.stringify({ event: marked }));
    await intake.settled();
    assert.equal((await row())?.count, 2);
  });

  it("keeps everything acknowledged across a restart (the session is rebuilt from the store)", async () => {
    const before = await store.findingLines();
    const again = await LocalIntake.open({ session: new StreamSession(content), store });
    assert.deepEqual(await store.findingLines(), before);
    await again.close();
  });
});

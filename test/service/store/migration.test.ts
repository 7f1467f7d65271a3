/**
 * Migration 3 on a store written by the previous schema (version 2): risk events get their `search_name` and
 * `techniques` columns filled from the stored event JSON (the per-entity roll-up reads them), existing
 * findings keep their ordinals, and the new tables exist; in both backends. The version-2 tables are built
 * here with the DDL as it shipped.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "node:test";
import Database from "better-sqlite3";
import pg from "pg";
import { PostgresStore } from "../../../src/service/store/postgres-store.js";
import { SqliteStore } from "../../../src/service/store/sqlite-store.js";
import { PG, runNames, skipWithout } from "../services.js";

const V2 = `CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
  INSERT INTO schema_migrations VALUES (1, '2026-12-01T00:00:00Z'), (2, '2026-12-02T00:00:00Z');
  CREATE TABLE batches (batch_id TEXT PRIMARY KEY, events INTEGER NOT NULL, stored_at REAL NOT NULL);
  CREATE TABLE records (seq SERIAL_OR_AUTO, detection_id TEXT NOT NULL, uid TEXT NOT NULL,
    dataset TEXT NOT NULL, record TEXT NOT NULL, UNIQUE (detection_id, uid));
  CREATE TABLE findings (detection_id TEXT NOT NULL, ordinal INTEGER NOT NULL, line TEXT NOT NULL,
    PRIMARY KEY (detection_id, ordinal));
  CREATE TABLE risk_events (detection_id TEXT NOT NULL, ordinal INTEGER NOT NULL, risk_object TEXT NOT NULL,
    risk_object_type TEXT NOT NULL, risk_score REAL NOT NULL, time_ms REAL NOT NULL, event TEXT NOT NULL,
    PRIMARY KEY (detection_id, ordinal));
  CREATE INDEX risk_events_object ON risk_events (risk_object);
  CREATE TABLE notables (detection_id TEXT NOT NULL, ordinal INTEGER NOT NULL, notable TEXT NOT NULL,
    PRIMARY KEY (detection_id, ordinal));
  CREATE TABLE scheduled_runs (detection_id TEXT NOT NULL, run_at TEXT NOT NULL, earliest TEXT NOT NULL,
    latest TEXT NOT NULL, result TEXT NOT NULL, PRIMARY KEY (detection_id, run_at));
  INSERT INTO findings VALUES ('d', 0, '{"a":1}'), ('d', 1, '{"a":2}');
  INSERT INTO risk_events VALUES ('d', 0, 'WKS-1', 'system', 54, 1764511331480,
    '{"_time":"2025-11-30T14:02:11.480Z","search_name":"ESCU - X - Rule","risk_object":"WKS-1","risk_object_type":"system","risk_score":54,"risk_message":"m","annotations":{"mitre_attack":["T1021","T1021.006"]},"analyticstories":[],"detection_id":"d"}');`;

const risk = { object: "WKS-1", search_name: "ESCU - X - Rule", techniques: ["T1021", "T1021.006"] };

it("SQLite: a version-2 store migrates to 3 with its risk events' search names and techniques filled", async () => {
  const dir = mkdtempSync(join(tmpdir(), "winnow-migrate-"));
  const file = join(dir, "v2.sqlite");
  const db = new Database(file);
  db.exec(V2.replace("seq SERIAL_OR_AUTO", "seq INTEGER PRIMARY KEY AUTOINCREMENT"));
  db.close();
  const store = new SqliteStore(file);
  try {
    assert.equal(await store.migrate(), 3);
    assert.deepEqual(await store.findingLines("d"), ['{"a":1}', '{"a":2}']);
    assert.deepEqual(await store.riskIncidents(), []);
    const raw = new Database(file, { readonly: true });
    const row = raw.prepare("SELECT risk_object, search_name, techniques FROM risk_events").get() as Record<
      string,
      string
    >;
    raw.close();
    assert.deepEqual(
      { object: row.risk_object, search_name: row.search_name, techniques: JSON.parse(row.techniques) },
      risk,
    );
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

const skipPg = await skipWithout("migration on PostgreSQL", ["postgres"]);

it("PostgreSQL: the same, ordinals widened to BIGINT", { skip: skipPg }, async () => {
  const { schema, storeUrl } = runNames("migrate");
  const c = new pg.Client({ connectionString: PG });
  await c.connect();
  await c.query(`CREATE SCHEMA ${schema}`);
  await c.query(`SET search_path = ${schema}`);
  await c.query(V2.replace("seq SERIAL_OR_AUTO", "seq BIGSERIAL PRIMARY KEY"));
  const store = new PostgresStore(storeUrl);
  try {
    assert.equal(await store.migrate(), 3);
    assert.deepEqual(await store.findingLines("d"), ['{"a":1}', '{"a":2}']);
    const r = await c.query(
      "SELECT risk_object, search_name, techniques, pg_typeof(ordinal)::text AS t FROM risk_events",
    );
    const row = r.rows[0] as Record<string, string>;
    assert.deepEqual(
      { object: row.risk_object, search_name: row.search_name, techniques: JSON.parse(row.techniques) },
      risk,
    );
    assert.equal(row.t, "bigint");
  } finally {
    await store.dropSchema();
    await store.close();
    await c.end();
  }
});

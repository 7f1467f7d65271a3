/**
 * PostgreSQL results store (pg 8.23.1), shared by `winnow serve --store postgres://…` and any number of
 * `winnow worker`s.
 *
 * Design notes:
 * - A `?schema=NAME` parameter on the URL selects (and creates) a schema: every connection of the pool gets
 *   `search_path=NAME`, so tests and tenants can share one database.
 * - Batches and records are written with `ON CONFLICT DO NOTHING` in one transaction: a redelivered or
 *   duplicated message adds nothing. Record rows are sent as arrays through `unnest` (one round trip).
 * - `recompute` takes a transaction-scoped advisory lock per detection before reading its records, so
 *   concurrent workers recompute one detection one after another, and the last one saw every committed record.
 * - Migrations run under an advisory lock too, so several processes may start at once.
 */
import pg from "pg";
import type { DetectionResult } from "../../engine/hunt.js";
import type { Notable } from "../../engine/notable.js";
import type { RiskEvent } from "../../engine/risk.js";
import type { RelevantRecord } from "../../engine/stream-session.js";
import {
  type BatchInfo,
  parseJsonAs,
  parseRecord,
  type Recompute,
  type ResultsStore,
  resultRows,
  type ScheduledRun,
  type ScheduledRunInfo,
  type StoreCounts,
  scheduledJson,
} from "./results-store.js";

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE batches (batch_id TEXT PRIMARY KEY, events INTEGER NOT NULL, stored_at DOUBLE PRECISION NOT NULL);
   CREATE TABLE records (seq BIGSERIAL PRIMARY KEY, detection_id TEXT NOT NULL, uid TEXT NOT NULL,
     dataset TEXT NOT NULL, record TEXT NOT NULL, UNIQUE (detection_id, uid));
   CREATE TABLE findings (detection_id TEXT NOT NULL, ordinal INTEGER NOT NULL, line TEXT NOT NULL,
     PRIMARY KEY (detection_id, ordinal));
   CREATE TABLE risk_events (detection_id TEXT NOT NULL, ordinal INTEGER NOT NULL, risk_object TEXT NOT NULL,
     risk_object_type TEXT NOT NULL, risk_score DOUBLE PRECISION NOT NULL, time_ms DOUBLE PRECISION NOT NULL,
     event TEXT NOT NULL, PRIMARY KEY (detection_id, ordinal));
   CREATE INDEX risk_events_object ON risk_events (risk_object);
   CREATE TABLE notables (detection_id TEXT NOT NULL, ordinal INTEGER NOT NULL, notable TEXT NOT NULL,
     PRIMARY KEY (detection_id, ordinal));`,
  `CREATE TABLE scheduled_runs (detection_id TEXT NOT NULL, run_at TEXT NOT NULL, earliest TEXT NOT NULL,
     latest TEXT NOT NULL, result TEXT NOT NULL, PRIMARY KEY (detection_id, run_at));`,
];

const MIGRATION_LOCK = 727_001;

/** Splits `?schema=` off a postgres URL. */
export function parsePostgresUrl(url: string): { connectionString: string; schema: string | undefined } {
  const u = new URL(url);
  const schema = u.searchParams.get("schema") ?? undefined;
  u.searchParams.delete("schema");
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/i.test(schema))
    throw new Error(`invalid schema name ${schema}`);
  return { connectionString: u.toString(), schema };
}

export class PostgresStore implements ResultsStore {
  readonly kind = "postgres";
  private readonly pool: pg.Pool;
  private readonly schema: string | undefined;

  constructor(url: string, poolSize = 4) {
    const { connectionString, schema } = parsePostgresUrl(url);
    this.schema = schema;
    this.pool = new pg.Pool({
      connectionString,
      max: poolSize,
      ...(schema !== undefined ? { options: `-c search_path=${schema}` } : {}),
    });
  }

  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    try {
      await c.query("BEGIN");
      const out = await fn(c);
      await c.query("COMMIT");
      return out;
    } catch (e) {
      await c.query("ROLLBACK").catch(() => {});
      throw e;
    } finally {
      c.release();
    }
  }

  async migrate(): Promise<number> {
    return this.tx(async (c) => {
      await c.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
      if (this.schema !== undefined) await c.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
      await c.query(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
      );
      const r = await c.query<{ v: number | null }>("SELECT MAX(version) AS v FROM schema_migrations");
      let version = r.rows[0]?.v ?? 0;
      for (let v = version + 1; v <= MIGRATIONS.length; v++) {
        await c.query(MIGRATIONS[v - 1]);
        await c.query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)", [
          v,
          new Date().toISOString(),
        ]);
        version = v;
      }
      return version;
    });
  }

  async commitBatch(batch: BatchInfo, records: readonly RelevantRecord[]): Promise<{ duplicate: boolean }> {
    return this.tx((c) => this.commitWith(c, batch, records));
  }

  async commitBatches(
    batches: readonly { batch: BatchInfo; records: readonly RelevantRecord[] }[],
  ): Promise<void> {
    await this.tx(async (c) => {
      for (const b of batches) await this.commitWith(c, b.batch, b.records);
    });
  }

  private async commitWith(
    c: pg.PoolClient,
    batch: BatchInfo,
    records: readonly RelevantRecord[],
  ): Promise<{ duplicate: boolean }> {
    {
      const b = await c.query(
        "INSERT INTO batches (batch_id, events, stored_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING batch_id",
        [batch.id, batch.events, Date.now() / 1000],
      );
      if (records.length > 0) {
        await c.query(
          `INSERT INTO records (detection_id, uid, dataset, record)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) ON CONFLICT DO NOTHING`,
          [
            records.map((r) => r.detectionId),
            records.map((r) => r.uid),
            records.map((r) => r.dataset),
            records.map((r) => JSON.stringify(r.record)),
          ],
        );
      }
      return { duplicate: b.rowCount === 0 };
    }
  }

  private async recordsWith(c: pg.Pool | pg.PoolClient, detectionId?: string): Promise<RelevantRecord[]> {
    const r =
      detectionId === undefined
        ? await c.query("SELECT detection_id, uid, dataset, record FROM records ORDER BY seq")
        : await c.query(
            "SELECT detection_id, uid, dataset, record FROM records WHERE detection_id = $1 ORDER BY seq",
            [detectionId],
          );
    return (r.rows as { detection_id: string; uid: string; dataset: string; record: string }[]).map((x) => ({
      detectionId: x.detection_id,
      uid: x.uid,
      dataset: x.dataset,
      record: parseRecord(x.record),
    }));
  }

  async records(detectionId?: string): Promise<RelevantRecord[]> {
    return this.recordsWith(this.pool, detectionId);
  }

  private async replaceWith(c: pg.PoolClient, r: DetectionResult): Promise<void> {
    const id = r.detection.id;
    for (const t of ["findings", "risk_events", "notables"])
      await c.query(`DELETE FROM ${t} WHERE detection_id = $1`, [id]);
    const rows = resultRows(r);
    const ord = (n: number) => Array.from({ length: n }, (_, i) => i);
    if (rows.findings.length > 0) {
      await c.query(
        "INSERT INTO findings (detection_id, ordinal, line) SELECT $1, * FROM unnest($2::int[], $3::text[])",
        [id, ord(rows.findings.length), rows.findings],
      );
    }
    if (rows.risk.length > 0) {
      await c.query(
        `INSERT INTO risk_events (detection_id, ordinal, risk_object, risk_object_type, risk_score, time_ms, event)
         SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::text[])`,
        [
          id,
          ord(rows.risk.length),
          rows.risk.map((e) => e.object),
          rows.risk.map((e) => e.type),
          rows.risk.map((e) => e.score),
          rows.risk.map((e) => e.timeMs),
          rows.risk.map((e) => e.json),
        ],
      );
    }
    if (rows.notables.length > 0) {
      await c.query(
        "INSERT INTO notables (detection_id, ordinal, notable) SELECT $1, * FROM unnest($2::int[], $3::text[])",
        [id, ord(rows.notables.length), rows.notables],
      );
    }
  }

  async replaceResults(results: readonly DetectionResult[]): Promise<void> {
    await this.tx(async (c) => {
      for (const r of results) await this.replaceWith(c, r);
    });
  }

  async recompute(detectionIds: readonly string[], compute: Recompute): Promise<DetectionResult[]> {
    const out: DetectionResult[] = [];
    for (const id of [...detectionIds].sort()) {
      out.push(
        await this.tx(async (c) => {
          await c.query("SELECT pg_advisory_xact_lock(hashtext($1))", [id]);
          const r = compute(id, await this.recordsWith(c, id));
          await this.replaceWith(c, r);
          return r;
        }),
      );
    }
    return out;
  }

  async findingLines(detectionId?: string): Promise<string[]> {
    const r =
      detectionId === undefined
        ? await this.pool.query("SELECT line FROM findings ORDER BY detection_id, ordinal")
        : await this.pool.query("SELECT line FROM findings WHERE detection_id = $1 ORDER BY ordinal", [
            detectionId,
          ]);
    return (r.rows as { line: string }[]).map((x) => x.line);
  }

  async riskEvents(object?: string): Promise<RiskEvent[]> {
    const r =
      object === undefined
        ? await this.pool.query("SELECT event FROM risk_events ORDER BY detection_id, ordinal")
        : await this.pool.query(
            "SELECT event FROM risk_events WHERE risk_object = $1 ORDER BY detection_id, ordinal",
            [object],
          );
    return (r.rows as { event: string }[]).map((x) => parseJsonAs<RiskEvent>(x.event));
  }

  async notables(): Promise<Notable[]> {
    const r = await this.pool.query("SELECT notable FROM notables ORDER BY detection_id, ordinal");
    return (r.rows as { notable: string }[]).map((x) => parseJsonAs<Notable>(x.notable));
  }

  async counts(): Promise<StoreCounts> {
    const r = await this.pool.query(
      `SELECT (SELECT COUNT(*) FROM batches) AS batches, (SELECT COALESCE(SUM(events), 0) FROM batches) AS events,
              (SELECT COUNT(*) FROM records) AS records, (SELECT COUNT(*) FROM findings) AS findings`,
    );
    const x = r.rows[0] as Record<string, string>;
    return {
      batches: Number(x.batches),
      events: Number(x.events),
      records: Number(x.records),
      findings: Number(x.findings),
    };
  }

  async storeScheduledRun(run: ScheduledRunInfo, result: DetectionResult): Promise<void> {
    await this.pool.query(
      "INSERT INTO scheduled_runs (detection_id, run_at, earliest, latest, result) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
      [run.detectionId, run.runAt, run.earliest, run.latest, scheduledJson(result)],
    );
  }

  async scheduledRuns(detectionId?: string): Promise<ScheduledRun[]> {
    const sql = "SELECT detection_id, run_at, earliest, latest, result FROM scheduled_runs";
    const r =
      detectionId === undefined
        ? await this.pool.query(`${sql} ORDER BY run_at, detection_id`)
        : await this.pool.query(`${sql} WHERE detection_id = $1 ORDER BY run_at`, [detectionId]);
    return (
      r.rows as { detection_id: string; run_at: string; earliest: string; latest: string; result: string }[]
    ).map(({ result, ...run }) => ({
      ...run,
      ...parseJsonAs<Pick<ScheduledRun, "rows" | "risk" | "notables">>(result),
    }));
  }

  /** Drops the schema (tests clean up after themselves). */
  async dropSchema(): Promise<void> {
    if (this.schema !== undefined) await this.pool.query(`DROP SCHEMA IF EXISTS ${this.schema} CASCADE`);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

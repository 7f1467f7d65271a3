/**
 * PostgreSQL results store (pg 8.23.1), shared by `winnow serve --store postgres://…` and any number of
 * `winnow worker`s.
 *
 * Design notes:
 * - A `?schema=NAME` parameter on the URL selects (and creates) a schema: every connection of the pool gets
 *   `search_path=NAME`, so tests and tenants can share one database.
 * - Batches and records are written with `ON CONFLICT DO NOTHING` in one transaction: a redelivered or
 *   duplicated message adds nothing. Record rows are sent as arrays through `unnest` (one round trip).
 * - `recompute` takes a transaction-scoped advisory lock per group of detections (a detection, or the WinRM
 *   pack with its edges) before reading its records, so concurrent workers recompute one group one after
 *   another. A worker keeps the records it has read in memory and reads only those with a higher `seq`; that is
 *   exact because every transaction that commits records takes the groups' locks *shared* before inserting
 *   (so it gets its seq values, and commits, either before the recompute takes the lock exclusively or after
 *   it let go, with higher seqs).
 * - Results are written by difference (results-store.ts `planSlots`). Rows are compared by md5 of their line,
 *   the hash PostgreSQL's md5() also gives, so another worker's writes are re-read as hashes only:
 *   `result_versions` counts each detection's writes, and a worker whose remembered version is not the
 *   stored one re-reads (ordinal, md5) before diffing.
 * - Risk incidents are decided here, inside the transaction that wrote the risk events: under a lock per
 *   entity (taken in key order), the entity's 24-hour sum is read from the table and the incident inserted
 *   ON CONFLICT DO NOTHING; only the transaction whose insert won sends it. The last writer of an entity's
 *   risk sees every other writer's committed rows, so no sum is missed and none is sent twice.
 * - Migrations run under an advisory lock too, so several processes may start at once.
 */
import { createHash } from "node:crypto";
import pg from "pg";
import type { DetectionResult } from "../../engine/hunt.js";
import type { Notable } from "../../engine/notable.js";
import type { RiskEvent } from "../../engine/risk.js";
import type { RelevantRecord } from "../../engine/stream-session.js";
import {
  DAY_MS,
  DEFAULT_RISK_THRESHOLD,
  entityRollup,
  type RiskIncident,
  riskIncident,
} from "../risk-rollup.js";
import {
  type BatchInfo,
  entityKey,
  md5,
  parseJsonAs,
  parseRecord,
  planSlots,
  type RecomputeGroup,
  type RecomputeStep,
  type ResultsStore,
  resultRows,
  type ScheduledRun,
  type ScheduledRunInfo,
  type StoreCounts,
  type StoredRecord,
  type StoredSlots,
  type StoreOutcome,
  scheduledJson,
  splitEntity,
  type WindowRow,
  type WriteOptions,
  windowAggregate,
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
  // 3: rows written by difference (ordinals spread over BIGINT, a write version per detection), risk incidents,
  // and what the per-entity roll-up needs in columns (search name, techniques, an index).
  `ALTER TABLE findings ALTER COLUMN ordinal TYPE BIGINT;
   ALTER TABLE risk_events ALTER COLUMN ordinal TYPE BIGINT;
   ALTER TABLE notables ALTER COLUMN ordinal TYPE BIGINT;
   ALTER TABLE risk_events ADD COLUMN search_name TEXT NOT NULL DEFAULT '',
     ADD COLUMN techniques TEXT NOT NULL DEFAULT '[]';
   UPDATE risk_events SET search_name = COALESCE(event::json->>'search_name', ''),
     techniques = COALESCE((event::json->'annotations'->'mitre_attack')::text, '[]');
   CREATE INDEX risk_events_entity ON risk_events (risk_object, risk_object_type, time_ms)
     INCLUDE (risk_score, search_name, techniques);
   CREATE TABLE result_versions (detection_id TEXT PRIMARY KEY, version BIGINT NOT NULL);
   CREATE TABLE risk_incidents (seq BIGSERIAL PRIMARY KEY, risk_object TEXT NOT NULL, risk_object_type TEXT NOT NULL,
     first_time_ms DOUBLE PRECISION NOT NULL, risk_score DOUBLE PRECISION NOT NULL,
     raised_at DOUBLE PRECISION NOT NULL, incident TEXT NOT NULL,
     UNIQUE (risk_object_type, risk_object, first_time_ms, risk_score));`,
];

const MIGRATION_LOCK = 727_001;
/** Advisory lock namespaces (two-int keys: they never meet the single-key migration lock). */
const GROUP_LOCK = 727_002;
const ENTITY_LOCK = 727_003;

type Slots = StoredSlots & { version: number };

/** Splits `?schema=` off a postgres URL. */
export function parsePostgresUrl(url: string): { connectionString: string; schema: string | undefined } {
  const u = new URL(url);
  const schema = u.searchParams.get("schema") ?? undefined;
  u.searchParams.delete("schema");
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/i.test(schema))
    throw new Error(`invalid schema name ${schema}`);
  return { connectionString: u.toString(), schema };
}

/**
 * A query parameter as PostgreSQL can take it: its text types cannot hold U+0000 (the query fails: "invalid byte
 * sequence for encoding UTF8: 0x00"), and a value from the events can have one (JSON input's `\u0000`, damaged
 * EVTX strings). A batch holding such an event failed to store on every delivery, so its events were never stored
 * and the bus redelivered it forever. A NUL in a plain text column (a risk object, a lock key) becomes U+FFFD, as
 * invalid characters do in Winnow's text outputs; JSON columns are unaffected (JSON escapes it as `\u0000`).
 */
export function pgParam(v: unknown): unknown {
  if (typeof v === "string") return v.includes("\0") ? v.replaceAll("\0", "\uFFFD") : v;
  return Array.isArray(v) ? v.map(pgParam) : v;
}

/** Longest risk object (UTF-8 bytes) stored as it is in the indexed risk_object columns. */
export const MAX_RISK_KEY_BYTES = 1024;

/**
 * The risk object as the indexed `risk_object` columns hold it: itself, or when longer than MAX_RISK_KEY_BYTES its
 * first 128 characters, "…" and a SHA-1 of the whole. A B-tree entry cannot pass 2,704 bytes, so a longer object
 * (a winrs target of random text) failed every write of its detection's results, and every later one: the
 * pack's detections stopped storing and a restart could not rebuild. The JSON columns keep the whole object;
 * a key is its own key (at most 555 bytes), so a key read back finds the same rows.
 */
export function riskKey(object: string): string {
  if (object.length <= MAX_RISK_KEY_BYTES / 4 || Buffer.byteLength(object) <= MAX_RISK_KEY_BYTES)
    return object;
  return `${object.slice(0, 128)}…${createHash("sha1").update(object).digest("hex")}`;
}

export class PostgresStore implements ResultsStore {
  readonly kind = "postgres";
  private readonly pool: pg.Pool;
  private readonly schema: string | undefined;
  /** Each detection's stored rows (md5 keys) as this process last wrote or read them, with their version. */
  private readonly slots = new Map<string, Slots>();
  /** md5 of each detection's current lines (so a recompute hashes only new lines). */
  private readonly hashes = new Map<string, Map<string, string>>();
  written = 0;

  constructor(url: string, poolSize = 4) {
    const { connectionString, schema } = parsePostgresUrl(url);
    this.schema = schema;
    this.pool = new pg.Pool({
      connectionString,
      max: poolSize,
      ...(schema !== undefined ? { options: `-c search_path=${schema}` } : {}),
    });
    // Every query's parameters pass through pgParam (the pool's queries run on these clients too).
    this.pool.on("connect", (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as { query: unknown }).query = (text: unknown, values?: unknown, ...rest: unknown[]) =>
        query(text, Array.isArray(values) ? values.map(pgParam) : values, ...rest);
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
    locks: readonly string[] = [],
  ): Promise<void> {
    await this.tx(async (c) => {
      for (const lock of [...new Set(locks)].sort())
        await c.query("SELECT pg_advisory_xact_lock_shared($1::int, hashtext($2))", [GROUP_LOCK, lock]);
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

  private async recordsWith(
    c: pg.Pool | pg.PoolClient,
    detectionId?: string,
    since = 0,
  ): Promise<StoredRecord[]> {
    const sql = "SELECT seq, detection_id, uid, dataset, record FROM records";
    const r =
      detectionId === undefined
        ? await c.query(`${sql} ORDER BY seq`)
        : await c.query(`${sql} WHERE detection_id = $1 AND seq > $2 ORDER BY seq`, [detectionId, since]);
    return (
      r.rows as { seq: string; detection_id: string; uid: string; dataset: string; record: string }[]
    ).map((x) => ({
      seq: Number(x.seq),
      detectionId: x.detection_id,
      uid: x.uid,
      dataset: x.dataset,
      record: parseRecord(x.record),
    }));
  }

  async records(detectionId?: string): Promise<RelevantRecord[]> {
    return this.recordsWith(this.pool, detectionId);
  }

  /** The stored rows of a detection, as hashes: from memory when no one wrote it since, else read. */
  private async slotsWith(c: pg.PoolClient, id: string): Promise<Slots> {
    const v = await c.query<{ version: string }>(
      "SELECT version FROM result_versions WHERE detection_id = $1",
      [id],
    );
    const version = Number(v.rows[0]?.version ?? 0);
    const known = this.slots.get(id);
    if (known !== undefined && known.version === version) return known;
    const q = async (sql: string) =>
      (await c.query(sql, [id])).rows as { ordinal: string; h: string; o?: string; t?: string }[];
    return {
      version,
      findings: (
        await q("SELECT ordinal, md5(line) AS h FROM findings WHERE detection_id = $1 ORDER BY ordinal")
      ).map((r) => ({ ord: Number(r.ordinal), key: r.h })),
      risk: (
        await q(
          "SELECT ordinal, md5(event) AS h, risk_object AS o, risk_object_type AS t FROM risk_events WHERE detection_id = $1 ORDER BY ordinal",
        )
      ).map((r) => ({ ord: Number(r.ordinal), key: r.h, entity: entityKey(r.t ?? "", r.o ?? "") })),
      notables: (
        await q("SELECT ordinal, md5(notable) AS h FROM notables WHERE detection_id = $1 ORDER BY ordinal")
      ).map((r) => ({ ord: Number(r.ordinal), key: r.h })),
    };
  }

  /**
   * md5 of each line, computing only lines not hashed before for this key. The memo is rebuilt from the
   * current lines only when it has grown to twice their number (lines that are gone), so a recompute costs a
   * lookup per line, not a new map.
   */
  private hashesOf(id: string, lines: readonly string[]): string[] {
    let memo = this.hashes.get(id);
    if (memo === undefined) this.hashes.set(id, (memo = new Map()));
    const m = memo;
    const out = lines.map((l) => {
      let h = m.get(l);
      if (h === undefined) {
        h = md5(l);
        m.set(l, h);
      }
      return h;
    });
    if (m.size > 2 * lines.length + 1024) {
      this.hashes.set(id, new Map(lines.map((l, i) => [l, out[i]])));
    }
    return out;
  }

  /**
   * Writes what changed of one result (the detection's lock or a single writer is held). The slots it leaves
   * are returned, to be remembered once the transaction commits.
   */
  private async writeWith(
    c: pg.PoolClient,
    r: DetectionResult,
    out: { findings: string[]; entities: Set<string> },
  ): Promise<Slots> {
    const id = r.detection.id;
    const st = await this.slotsWith(c, id);
    const rows = resultRows(r);
    const fh = this.hashesOf(id, rows.findings);
    const rh = this.hashesOf(
      `${id}\u0000risk`,
      rows.risk.map((x) => x.json),
    );
    const nh = this.hashesOf(`${id}\u0000notables`, rows.notables);
    const f = planSlots(st.findings, fh);
    const k = planSlots(st.risk, rh, (i) => entityKey(rows.risk[i].type, rows.risk[i].object));
    const n = planSlots(st.notables, nh);
    const changes = [f, k, n].reduce((x, p) => x + p.deletes.length + p.writes.length, 0);
    for (const i of f.fresh) out.findings.push(rows.findings[i]);
    for (const i of k.fresh) out.entities.add(k.slots[i].entity as string);
    for (const g of k.gone) out.entities.add(g.entity as string);
    if (changes === 0) return { version: st.version, findings: f.slots, risk: k.slots, notables: n.slots };
    for (const [table, p] of [
      ["findings", f],
      ["risk_events", k],
      ["notables", n],
    ] as const) {
      if (p.deletes.length > 0)
        await c.query(`DELETE FROM ${table} WHERE detection_id = $1 AND ordinal = ANY($2::bigint[])`, [
          id,
          p.deletes,
        ]);
    }
    if (f.writes.length > 0) {
      await c.query(
        `INSERT INTO findings (detection_id, ordinal, line) SELECT $1, * FROM unnest($2::bigint[], $3::text[])
         ON CONFLICT (detection_id, ordinal) DO UPDATE SET line = excluded.line`,
        [id, f.writes.map((w) => w.ord), f.writes.map((w) => rows.findings[w.index])],
      );
    }
    if (k.writes.length > 0) {
      const x = k.writes.map((w) => rows.risk[w.index]);
      await c.query(
        `INSERT INTO risk_events (detection_id, ordinal, risk_object, risk_object_type, risk_score, time_ms, event,
           search_name, techniques)
         SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::text[],
           $8::text[], $9::text[])
         ON CONFLICT (detection_id, ordinal) DO UPDATE SET risk_object = excluded.risk_object,
           risk_object_type = excluded.risk_object_type, risk_score = excluded.risk_score,
           time_ms = excluded.time_ms, event = excluded.event, search_name = excluded.search_name,
           techniques = excluded.techniques`,
        [
          id,
          k.writes.map((w) => w.ord),
          x.map((e) => riskKey(e.object)),
          x.map((e) => e.type),
          x.map((e) => e.score),
          x.map((e) => e.timeMs),
          x.map((e) => e.json),
          x.map((e) => e.searchName),
          x.map((e) => e.techniques),
        ],
      );
    }
    if (n.writes.length > 0) {
      await c.query(
        `INSERT INTO notables (detection_id, ordinal, notable) SELECT $1, * FROM unnest($2::bigint[], $3::text[])
         ON CONFLICT (detection_id, ordinal) DO UPDATE SET notable = excluded.notable`,
        [id, n.writes.map((w) => w.ord), n.writes.map((w) => rows.notables[w.index])],
      );
    }
    const v = await c.query<{ version: string }>(
      `INSERT INTO result_versions (detection_id, version) VALUES ($1, 1)
       ON CONFLICT (detection_id) DO UPDATE SET version = result_versions.version + 1 RETURNING version`,
      [id],
    );
    this.written += changes;
    return { version: Number(v.rows[0].version), findings: f.slots, risk: k.slots, notables: n.slots };
  }

  /** Risk incidents due for these entities (see the design note), each under its entity's lock. */
  private async incidentsWith(
    c: pg.PoolClient,
    entities: Iterable<string>,
    threshold: number,
  ): Promise<RiskIncident[]> {
    const out: RiskIncident[] = [];
    for (const key of [...entities].sort()) {
      const [type, object] = splitEntity(key);
      await c.query("SELECT pg_advisory_xact_lock($1::int, hashtext($2))", [ENTITY_LOCK, key]);
      const newest = await c.query<{ at: number | null }>(
        "SELECT MAX(time_ms) AS at FROM risk_events WHERE risk_object = $1 AND risk_object_type = $2",
        [riskKey(object), type],
      );
      const at = newest.rows[0]?.at ?? null;
      if (at === null) continue;
      // One pass over the entity's window, on the covering index (risk_events_entity), grouped by detection
      // (a hash aggregate: DISTINCT aggregates would sort the whole window).
      const a = windowAggregate(
        (
          await c.query<WindowRow>(
            `SELECT search_name, techniques, SUM(risk_score) AS score, COUNT(*) AS count, MIN(time_ms) AS first,
               MAX(time_ms) AS last
             FROM risk_events WHERE risk_object = $1 AND risk_object_type = $2 AND time_ms > $3 AND time_ms <= $4
             GROUP BY search_name, techniques`,
            [riskKey(object), type, at - DAY_MS, at],
          )
        ).rows,
      );
      if (!(a.score > threshold)) continue;
      const incident = riskIncident(
        entityRollup({ object, type }, a, a.names, a.techs, threshold),
        threshold,
      );
      const won = await c.query(
        `INSERT INTO risk_incidents (risk_object, risk_object_type, first_time_ms, risk_score, raised_at, incident)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING seq`,
        [riskKey(object), type, a.firstMs, a.score, Date.now() / 1000, JSON.stringify(incident)],
      );
      if ((won.rowCount ?? 0) > 0) out.push(incident);
    }
    return out;
  }

  /** Writes results and raises incidents in one transaction; remembers the written slots once it committed. */
  private async store(
    compute: (c: pg.PoolClient) => Promise<DetectionResult[]>,
    opts: WriteOptions,
  ): Promise<{ results: DetectionResult[]; outcome: StoreOutcome }> {
    const pending = new Map<string, Slots>();
    const written = this.written;
    let out: { results: DetectionResult[]; outcome: StoreOutcome };
    try {
      out = await this.tx(async (c) => {
        const results = await compute(c);
        const w = { findings: [] as string[], entities: new Set<string>() };
        for (const r of results) pending.set(r.detection.id, await this.writeWith(c, r, w));
        const threshold = opts.riskThreshold ?? DEFAULT_RISK_THRESHOLD;
        return {
          results,
          outcome: { findings: w.findings, incidents: await this.incidentsWith(c, w.entities, threshold) },
        };
      });
    } catch (e) {
      this.written = written;
      throw e;
    }
    for (const [id, st] of pending) this.slots.set(id, st);
    return out;
  }

  async replaceResults(results: readonly DetectionResult[], opts: WriteOptions = {}): Promise<StoreOutcome> {
    const ids = [...new Set(results.map((r) => r.detection.id))].sort();
    const out = await this.store(async (c) => {
      // A single writer (serve without --bus); the locks keep a stray second one from interleaving.
      for (const id of ids)
        await c.query("SELECT pg_advisory_xact_lock($1::int, hashtext($2))", [GROUP_LOCK, id]);
      return [...results];
    }, opts);
    return out.outcome;
  }

  async recompute(
    groups: readonly RecomputeGroup[],
    step: RecomputeStep,
    opts: WriteOptions = {},
  ): Promise<{ results: DetectionResult[]; outcome: StoreOutcome }> {
    const results: DetectionResult[] = [];
    const outcome: StoreOutcome = { findings: [], incidents: [] };
    for (const g of [...groups].sort((a, b) => (a.lock < b.lock ? -1 : a.lock > b.lock ? 1 : 0))) {
      const one = await this.store(async (c) => {
        await c.query("SELECT pg_advisory_xact_lock($1::int, hashtext($2))", [GROUP_LOCK, g.lock]);
        for (const id of g.detectionIds) step.add(id, await this.recordsWith(c, id, step.since(id)));
        return step.results(g.detectionIds);
      }, opts);
      results.push(...one.results);
      outcome.findings.push(...one.outcome.findings);
      outcome.incidents.push(...one.outcome.incidents);
    }
    return { results, outcome };
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
            [riskKey(object)],
          );
    return (r.rows as { event: string }[]).map((x) => parseJsonAs<RiskEvent>(x.event));
  }

  async notables(): Promise<(Notable | RiskIncident)[]> {
    const r = await this.pool.query("SELECT notable FROM notables ORDER BY detection_id, ordinal");
    return [
      ...(r.rows as { notable: string }[]).map((x) => parseJsonAs<Notable>(x.notable)),
      ...(await this.riskIncidents()),
    ];
  }

  async riskIncidents(): Promise<RiskIncident[]> {
    const r = await this.pool.query("SELECT incident FROM risk_incidents ORDER BY seq");
    return (r.rows as { incident: string }[]).map((x) => parseJsonAs<RiskIncident>(x.incident));
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

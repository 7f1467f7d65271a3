/**
 * SQLite results store (better-sqlite3 12.11.1; v13 needs Node 22). WAL journal with `synchronous=FULL`: a
 * committed batch survives a crash or power loss, which is what an HEC ack promises.
 * better-sqlite3 is synchronous; the async methods keep the ResultsStore contract shared with PostgreSQL.
 *
 * One process writes a SQLite store (single-node `serve`), so what it last wrote of each detection is kept in
 * memory (`slots`, the lines themselves as keys) and a recompute writes only the rows that changed.
 */
import Database from "better-sqlite3";
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
  `CREATE TABLE batches (batch_id TEXT PRIMARY KEY, events INTEGER NOT NULL, stored_at REAL NOT NULL);
   CREATE TABLE records (seq INTEGER PRIMARY KEY AUTOINCREMENT, detection_id TEXT NOT NULL, uid TEXT NOT NULL,
     dataset TEXT NOT NULL, record TEXT NOT NULL, UNIQUE (detection_id, uid));
   CREATE TABLE findings (detection_id TEXT NOT NULL, ordinal INTEGER NOT NULL, line TEXT NOT NULL,
     PRIMARY KEY (detection_id, ordinal));
   CREATE TABLE risk_events (detection_id TEXT NOT NULL, ordinal INTEGER NOT NULL, risk_object TEXT NOT NULL,
     risk_object_type TEXT NOT NULL, risk_score REAL NOT NULL, time_ms REAL NOT NULL, event TEXT NOT NULL,
     PRIMARY KEY (detection_id, ordinal));
   CREATE INDEX risk_events_object ON risk_events (risk_object);
   CREATE TABLE notables (detection_id TEXT NOT NULL, ordinal INTEGER NOT NULL, notable TEXT NOT NULL,
     PRIMARY KEY (detection_id, ordinal));`,
  `CREATE TABLE scheduled_runs (detection_id TEXT NOT NULL, run_at TEXT NOT NULL, earliest TEXT NOT NULL,
     latest TEXT NOT NULL, result TEXT NOT NULL, PRIMARY KEY (detection_id, run_at));`,
  // 3: risk incidents, and what the per-entity roll-up needs in columns (search name, techniques, an index).
  `ALTER TABLE risk_events ADD COLUMN search_name TEXT NOT NULL DEFAULT '';
   ALTER TABLE risk_events ADD COLUMN techniques TEXT NOT NULL DEFAULT '[]';
   UPDATE risk_events SET search_name = COALESCE(json_extract(event, '$.search_name'), ''),
     techniques = COALESCE(json_extract(event, '$.annotations.mitre_attack'), '[]');
   CREATE INDEX risk_events_entity ON risk_events (risk_object, risk_object_type, time_ms, risk_score, search_name,
     techniques);
   CREATE TABLE risk_incidents (seq INTEGER PRIMARY KEY AUTOINCREMENT, risk_object TEXT NOT NULL,
     risk_object_type TEXT NOT NULL, first_time_ms REAL NOT NULL, risk_score REAL NOT NULL, raised_at REAL NOT NULL,
     incident TEXT NOT NULL, UNIQUE (risk_object_type, risk_object, first_time_ms, risk_score));`,
];

interface RecordRow {
  seq: number;
  detection_id: string;
  uid: string;
  dataset: string;
  record: string;
}

export class SqliteStore implements ResultsStore {
  readonly kind = "sqlite";
  private readonly db: Database.Database;
  /** Each detection's stored rows as this process last wrote or read them. */
  private readonly slots = new Map<string, StoredSlots>();
  written = 0;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = FULL");
    this.db.pragma("busy_timeout = 5000");
  }

  async migrate(): Promise<number> {
    const db = this.db;
    db.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
    );
    const row = db.prepare("SELECT MAX(version) AS v FROM schema_migrations").get() as { v: number | null };
    let version = row.v ?? 0;
    for (let v = version + 1; v <= MIGRATIONS.length; v++) {
      db.transaction(() => {
        db.exec(MIGRATIONS[v - 1]);
        db.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)").run(
          v,
          new Date().toISOString(),
        );
      })();
      version = v;
    }
    return version;
  }

  async commitBatch(batch: BatchInfo, records: readonly RelevantRecord[]): Promise<{ duplicate: boolean }> {
    return this.db.transaction(() => this.commitSync(batch, records))();
  }

  async commitBatches(
    batches: readonly { batch: BatchInfo; records: readonly RelevantRecord[] }[],
    _locks?: readonly string[],
  ): Promise<void> {
    this.db.transaction(() => {
      for (const b of batches) this.commitSync(b.batch, b.records);
    })();
  }

  private commitSync(batch: BatchInfo, records: readonly RelevantRecord[]): { duplicate: boolean } {
    const insBatch = this.db.prepare(
      "INSERT INTO batches (batch_id, events, stored_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
    );
    const insRecord = this.db.prepare(
      "INSERT INTO records (detection_id, uid, dataset, record) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
    );
    const fresh = insBatch.run(batch.id, batch.events, Date.now() / 1000).changes > 0;
    for (const r of records) insRecord.run(r.detectionId, r.uid, r.dataset, JSON.stringify(r.record));
    return { duplicate: !fresh };
  }

  private recordsSync(detectionId?: string, since = 0): StoredRecord[] {
    const sql = "SELECT seq, detection_id, uid, dataset, record FROM records";
    const rows = (
      detectionId === undefined
        ? this.db.prepare(`${sql} ORDER BY seq`).all()
        : this.db.prepare(`${sql} WHERE detection_id = ? AND seq > ? ORDER BY seq`).all(detectionId, since)
    ) as RecordRow[];
    return rows.map((r) => ({
      seq: r.seq,
      detectionId: r.detection_id,
      uid: r.uid,
      dataset: r.dataset,
      record: parseRecord(r.record),
    }));
  }

  async records(detectionId?: string): Promise<RelevantRecord[]> {
    return this.recordsSync(detectionId);
  }

  /** The stored rows of a detection: from memory, or read once. */
  private slotsOf(id: string): StoredSlots {
    let st = this.slots.get(id);
    if (st === undefined) {
      const q = (sql: string) => this.db.prepare(sql).all(id) as Record<string, string | number>[];
      st = {
        findings: q("SELECT ordinal, line FROM findings WHERE detection_id = ? ORDER BY ordinal").map(
          (r) => ({
            ord: Number(r.ordinal),
            key: String(r.line),
          }),
        ),
        risk: q(
          "SELECT ordinal, event, risk_object, risk_object_type FROM risk_events WHERE detection_id = ? ORDER BY ordinal",
        ).map((r) => ({
          ord: Number(r.ordinal),
          key: String(r.event),
          entity: entityKey(String(r.risk_object_type), String(r.risk_object)),
        })),
        notables: q("SELECT ordinal, notable FROM notables WHERE detection_id = ? ORDER BY ordinal").map(
          (r) => ({
            ord: Number(r.ordinal),
            key: String(r.notable),
          }),
        ),
      };
      this.slots.set(id, st);
    }
    return st;
  }

  /** Writes what changed of each result; returns the new finding lines and the entities whose risk changed. */
  private writeSync(results: readonly DetectionResult[]): { findings: string[]; entities: Set<string> } {
    const db = this.db;
    const delF = db.prepare("DELETE FROM findings WHERE detection_id = ? AND ordinal = ?");
    const delR = db.prepare("DELETE FROM risk_events WHERE detection_id = ? AND ordinal = ?");
    const delN = db.prepare("DELETE FROM notables WHERE detection_id = ? AND ordinal = ?");
    const insF = db.prepare(
      `INSERT INTO findings (detection_id, ordinal, line) VALUES (?, ?, ?)
       ON CONFLICT (detection_id, ordinal) DO UPDATE SET line = excluded.line`,
    );
    const insR = db.prepare(
      `INSERT INTO risk_events (detection_id, ordinal, risk_object, risk_object_type, risk_score, time_ms, event,
         search_name, techniques) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (detection_id, ordinal) DO UPDATE SET risk_object = excluded.risk_object,
         risk_object_type = excluded.risk_object_type, risk_score = excluded.risk_score, time_ms = excluded.time_ms,
         event = excluded.event, search_name = excluded.search_name, techniques = excluded.techniques`,
    );
    const insN = db.prepare(
      `INSERT INTO notables (detection_id, ordinal, notable) VALUES (?, ?, ?)
       ON CONFLICT (detection_id, ordinal) DO UPDATE SET notable = excluded.notable`,
    );
    const findings: string[] = [];
    const entities = new Set<string>();
    for (const r of results) {
      const id = r.detection.id;
      const st = this.slotsOf(id);
      const rows = resultRows(r);
      const f = planSlots(st.findings, rows.findings);
      const k = planSlots(
        st.risk,
        rows.risk.map((x) => x.json),
        (i) => entityKey(rows.risk[i].type, rows.risk[i].object),
      );
      const n = planSlots(st.notables, rows.notables);
      for (const o of f.deletes) delF.run(id, o);
      for (const o of k.deletes) delR.run(id, o);
      for (const o of n.deletes) delN.run(id, o);
      for (const w of f.writes) insF.run(id, w.ord, rows.findings[w.index]);
      for (const w of k.writes) {
        const x = rows.risk[w.index];
        insR.run(id, w.ord, x.object, x.type, x.score, x.timeMs, x.json, x.searchName, x.techniques);
      }
      for (const w of n.writes) insN.run(id, w.ord, rows.notables[w.index]);
      this.written += f.deletes.length + f.writes.length + k.deletes.length + k.writes.length;
      this.written += n.deletes.length + n.writes.length;
      for (const i of f.fresh) findings.push(rows.findings[i]);
      for (const i of k.fresh) entities.add(k.slots[i].entity as string);
      for (const g of k.gone) entities.add(g.entity as string);
      this.slots.set(id, { findings: f.slots, risk: k.slots, notables: n.slots });
    }
    return { findings, entities };
  }

  /**
   * Risk incidents due for these entities: each one's risk over the 24 hours up to its newest risk event,
   * when over the threshold and not raised before with that window start and sum.
   */
  private incidentsSync(entities: Iterable<string>, threshold: number): RiskIncident[] {
    const db = this.db;
    const newest = db.prepare(
      "SELECT MAX(time_ms) AS at FROM risk_events WHERE risk_object = ? AND risk_object_type = ?",
    );
    // One pass over the entity's window, on the covering index (risk_events_entity), grouped by detection.
    const window = db.prepare(
      `SELECT search_name, techniques, SUM(risk_score) AS score, COUNT(*) AS count, MIN(time_ms) AS first,
         MAX(time_ms) AS last
       FROM risk_events WHERE risk_object = ? AND risk_object_type = ? AND time_ms > ? AND time_ms <= ?
       GROUP BY search_name, techniques`,
    );
    const ins = db.prepare(
      `INSERT INTO risk_incidents (risk_object, risk_object_type, first_time_ms, risk_score, raised_at, incident)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    );
    const out: RiskIncident[] = [];
    for (const key of [...entities].sort()) {
      const [type, object] = splitEntity(key);
      const at = (newest.get(object, type) as { at: number | null }).at;
      if (at === null) continue;
      const a = windowAggregate(window.all(object, type, at - DAY_MS, at) as WindowRow[]);
      if (!(a.score > threshold)) continue;
      const incident = riskIncident(
        entityRollup({ object, type }, a, a.names, a.techs, threshold),
        threshold,
      );
      const raised = ins.run(object, type, a.firstMs, a.score, Date.now() / 1000, JSON.stringify(incident));
      if (raised.changes > 0) out.push(incident);
    }
    return out;
  }

  private storeSync(results: readonly DetectionResult[], opts: WriteOptions): StoreOutcome {
    const w = this.writeSync(results);
    return {
      findings: w.findings,
      incidents: this.incidentsSync(w.entities, opts.riskThreshold ?? DEFAULT_RISK_THRESHOLD),
    };
  }

  async replaceResults(results: readonly DetectionResult[], opts: WriteOptions = {}): Promise<StoreOutcome> {
    try {
      return this.db.transaction(() => this.storeSync(results, opts))();
    } catch (e) {
      this.slots.clear(); // rolled back: what memory says was written may not be
      throw e;
    }
  }

  async recompute(
    groups: readonly RecomputeGroup[],
    step: RecomputeStep,
    opts: WriteOptions = {},
  ): Promise<{ results: DetectionResult[]; outcome: StoreOutcome }> {
    try {
      return this.db.transaction(() => {
        const results: DetectionResult[] = [];
        for (const g of groups) {
          for (const id of g.detectionIds) step.add(id, this.recordsSync(id, step.since(id)));
          results.push(...step.results(g.detectionIds));
        }
        return { results, outcome: this.storeSync(results, opts) };
      })();
    } catch (e) {
      this.slots.clear();
      throw e;
    }
  }

  async findingLines(detectionId?: string): Promise<string[]> {
    const rows = (
      detectionId === undefined
        ? this.db.prepare("SELECT line FROM findings ORDER BY detection_id, ordinal").all()
        : this.db
            .prepare("SELECT line FROM findings WHERE detection_id = ? ORDER BY ordinal")
            .all(detectionId)
    ) as { line: string }[];
    return rows.map((r) => r.line);
  }

  async riskEvents(object?: string): Promise<RiskEvent[]> {
    const rows = (
      object === undefined
        ? this.db.prepare("SELECT event FROM risk_events ORDER BY detection_id, ordinal").all()
        : this.db
            .prepare("SELECT event FROM risk_events WHERE risk_object = ? ORDER BY detection_id, ordinal")
            .all(object)
    ) as { event: string }[];
    return rows.map((r) => parseJsonAs<RiskEvent>(r.event));
  }

  async notables(): Promise<(Notable | RiskIncident)[]> {
    const rows = this.db.prepare("SELECT notable FROM notables ORDER BY detection_id, ordinal").all() as {
      notable: string;
    }[];
    return [...rows.map((r) => parseJsonAs<Notable>(r.notable)), ...(await this.riskIncidents())];
  }

  async riskIncidents(): Promise<RiskIncident[]> {
    const rows = this.db
      .prepare("SELECT incident FROM risk_incidents ORDER BY seq")
      .pluck()
      .all() as string[];
    return rows.map((r) => parseJsonAs<RiskIncident>(r));
  }

  async counts(): Promise<StoreCounts> {
    const one = (sql: string) => Number((this.db.prepare(sql).get() as { n: number | null }).n ?? 0);
    return {
      batches: one("SELECT COUNT(*) AS n FROM batches"),
      events: one("SELECT SUM(events) AS n FROM batches"),
      records: one("SELECT COUNT(*) AS n FROM records"),
      findings: one("SELECT COUNT(*) AS n FROM findings"),
    };
  }

  async storeScheduledRun(run: ScheduledRunInfo, result: DetectionResult): Promise<void> {
    this.db
      .prepare(
        "INSERT INTO scheduled_runs (detection_id, run_at, earliest, latest, result) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
      )
      .run(run.detectionId, run.runAt, run.earliest, run.latest, scheduledJson(result));
  }

  async scheduledRuns(detectionId?: string): Promise<ScheduledRun[]> {
    const sql = "SELECT detection_id, run_at, earliest, latest, result FROM scheduled_runs";
    const rows = (
      detectionId === undefined
        ? this.db.prepare(`${sql} ORDER BY run_at, detection_id`).all()
        : this.db.prepare(`${sql} WHERE detection_id = ? ORDER BY run_at`).all(detectionId)
    ) as { detection_id: string; run_at: string; earliest: string; latest: string; result: string }[];
    return rows.map(({ result, ...run }) => ({
      ...run,
      ...parseJsonAs<Pick<ScheduledRun, "rows" | "risk" | "notables">>(result),
    }));
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

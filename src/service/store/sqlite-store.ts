/**
 * SQLite results store (better-sqlite3 12.11.1; v13 needs Node 22). WAL journal with `synchronous=FULL`: a
 * committed batch survives a crash or power loss, which is what an HEC ack promises.
 * better-sqlite3 is synchronous; the async methods keep the ResultsStore contract shared with PostgreSQL.
 */
import Database from "better-sqlite3";
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
];

interface RecordRow {
  detection_id: string;
  uid: string;
  dataset: string;
  record: string;
}

export class SqliteStore implements ResultsStore {
  readonly kind = "sqlite";
  private readonly db: Database.Database;

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

  private recordsSync(detectionId?: string): RelevantRecord[] {
    const rows = (
      detectionId === undefined
        ? this.db.prepare("SELECT detection_id, uid, dataset, record FROM records ORDER BY seq").all()
        : this.db
            .prepare(
              "SELECT detection_id, uid, dataset, record FROM records WHERE detection_id = ? ORDER BY seq",
            )
            .all(detectionId)
    ) as RecordRow[];
    return rows.map((r) => ({
      detectionId: r.detection_id,
      uid: r.uid,
      dataset: r.dataset,
      record: parseRecord(r.record),
    }));
  }

  async records(detectionId?: string): Promise<RelevantRecord[]> {
    return this.recordsSync(detectionId);
  }

  private replaceSync(results: readonly DetectionResult[]): void {
    const del = ["findings", "risk_events", "notables"].map((t) =>
      this.db.prepare(`DELETE FROM ${t} WHERE detection_id = ?`),
    );
    const insF = this.db.prepare("INSERT INTO findings (detection_id, ordinal, line) VALUES (?, ?, ?)");
    const insR = this.db.prepare(
      "INSERT INTO risk_events (detection_id, ordinal, risk_object, risk_object_type, risk_score, time_ms, event) VALUES (?, ?, ?, ?, ?, ?, ?)",
    );
    const insN = this.db.prepare("INSERT INTO notables (detection_id, ordinal, notable) VALUES (?, ?, ?)");
    for (const r of results) {
      const id = r.detection.id;
      for (const d of del) d.run(id);
      const rows = resultRows(r);
      for (const [i, line] of rows.findings.entries()) insF.run(id, i, line);
      for (const [i, e] of rows.risk.entries()) insR.run(id, i, e.object, e.type, e.score, e.timeMs, e.json);
      for (const [i, n] of rows.notables.entries()) insN.run(id, i, n);
    }
  }

  async replaceResults(results: readonly DetectionResult[]): Promise<void> {
    this.db.transaction(() => this.replaceSync(results))();
  }

  async recompute(detectionIds: readonly string[], compute: Recompute): Promise<DetectionResult[]> {
    return this.db.transaction(() => {
      const out = detectionIds.map((id) => compute(id, this.recordsSync(id)));
      this.replaceSync(out);
      return out;
    })();
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

  async notables(): Promise<Notable[]> {
    const rows = this.db.prepare("SELECT notable FROM notables ORDER BY detection_id, ordinal").all() as {
      notable: string;
    }[];
    return rows.map((r) => parseJsonAs<Notable>(r.notable));
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

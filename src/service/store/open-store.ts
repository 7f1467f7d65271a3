/** `--store URL|FILE`: `postgres://…`/`postgresql://…` opens PostgreSQL, anything else is a SQLite file path. */
import { PostgresStore } from "./postgres-store.js";
import type { ResultsStore } from "./results-store.js";
import { SqliteStore } from "./sqlite-store.js";

export const DEFAULT_STORE = "winnow-results.sqlite";

/** Whether a `--store` value names PostgreSQL (`postgres://…` or `postgresql://…`) rather than a SQLite file. */
export function isPostgresUrl(spec: string): boolean {
  return /^postgres(ql)?:\/\//i.test(spec);
}

export async function openStore(spec: string = DEFAULT_STORE): Promise<ResultsStore> {
  const store: ResultsStore = isPostgresUrl(spec) ? new PostgresStore(spec) : new SqliteStore(spec);
  await store.migrate();
  return store;
}

/** `--store URL|FILE`: `postgres://…`/`postgresql://…` opens PostgreSQL, anything else is a SQLite file path. */
import { PostgresStore } from "./postgres-store.js";
import type { ResultsStore } from "./results-store.js";
import { SqliteStore } from "./sqlite-store.js";

export const DEFAULT_STORE = "winnow-results.sqlite";

export async function openStore(spec: string = DEFAULT_STORE): Promise<ResultsStore> {
  const store: ResultsStore = /^postgres(ql)?:\/\//i.test(spec)
    ? new PostgresStore(spec)
    : new SqliteStore(spec);
  await store.migrate();
  return store;
}

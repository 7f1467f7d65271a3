/**
 * An event value holding U+0000 (JSON input's `\u0000`, damaged EVTX strings) is stored in PostgreSQL, whose text
 * types cannot hold it: such a batch failed on every delivery ("invalid byte sequence for encoding UTF8: 0x00"),
 * so a bus worker never stored it and it was redelivered forever. Now the store's plain text parameters carry
 * U+FFFD there (postgres-store.ts pgParam); the records and result lines, stored as JSON, keep the value as it
 * was. SQLite stores it unchanged.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { loadContent } from "../../../src/content/index.js";
import { StreamSession } from "../../../src/engine/stream-session.js";
import { LocalIntake } from "../../../src/service/local-intake.js";
import { PostgresStore, pgParam } from "../../../src/service/store/postgres-store.js";
import type { ResultsStore } from "../../../src/service/store/results-store.js";
import { SqliteStore } from "../../../src/service/store/sqlite-store.js";
import { PG, skipWithout } from "../services.js";
import { winrsPositive } from "./winrs-positive.js";

const skipPg = await skipWithout("NUL text on PostgreSQL", ["postgres"]);
/** The winrs positive with a NUL in its host name and its command line. */
function nulEvent() {
  const e = winrsPositive();
  return {
    ...e,
    computer: `${e.computer}\u0000x`,
    data: { ...e.data, CommandLine: `${e.data.CommandLine} \u0000nul` },
    origin: { file: "test", line: 1 },
  };
}

async function check(store: ResultsStore, host: string): Promise<void> {
  const intake = await LocalIntake.open({ session: new StreamSession(loadContent([])), store, sinks: [] });
  try {
    await intake.accept({ id: "nul", events: [nulEvent()] });
    await intake.settled();
    const lines = (await store.findingLines()).map((l) => JSON.parse(l) as { dest: string; process: string });
    assert.equal(lines.length, 2);
    for (const l of lines) {
      assert.equal(l.dest, "win-dc-791937.attackrange.local\u0000x");
      assert.ok(l.process.endsWith(" \u0000nul"));
    }
    const risk = await store.riskEvents(host);
    assert.equal(risk.length, 2);
    assert.deepEqual(
      risk.map((r) => r.risk_object),
      ["win-dc-791937.attackrange.local\u0000x", "win-dc-791937.attackrange.local\u0000x"],
    );
  } finally {
    await intake.close();
  }
}

describe("a NUL in an event value", () => {
  it("pgParam: U+FFFD for NUL in text, in arrays too; other values as given", () => {
    assert.equal(pgParam("a\u0000b\u0000"), "a\uFFFDb\uFFFD");
    assert.deepEqual(pgParam(["x\u0000", 1, null]), ["x\uFFFD", 1, null]);
    assert.equal(pgParam(3), 3);
  });

  it("SQLite: stored and found as it is", async () => {
    const dir = mkdtempSync(join(tmpdir(), "winnow-nul-"));
    const store = new SqliteStore(join(dir, "r.sqlite"));
    try {
      await store.migrate();
      await check(store, "win-dc-791937.attackrange.local\u0000x");
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("PostgreSQL: the batch is stored; the risk object's plain text column has U+FFFD", {
    skip: skipPg,
  }, async () => {
    const store = new PostgresStore(`${PG}?schema=winnow_nul_${randomBytes(4).toString("hex")}`);
    try {
      await store.migrate();
      await check(store, "win-dc-791937.attackrange.local\u0000x");
    } finally {
      await store.dropSchema();
      await store.close();
    }
  });
});

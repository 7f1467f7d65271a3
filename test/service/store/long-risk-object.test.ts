/**
 * A risk object longer than a PostgreSQL B-tree entry can hold (2,704 bytes; here a 3,000-character host name of
 * random text, which does not compress) is stored: its detection's results, its risk events (found again by
 * the whole object), and a restart that rebuilds from the stored records. Before, every write of that
 * detection's results failed ("index row size … exceeds btree version 4 maximum 2704"), and so did every later
 * one and the restart. The indexed columns hold riskKey(object); the JSON keeps the whole.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { loadContent } from "../../../src/content/index.js";
import { StreamSession } from "../../../src/engine/stream-session.js";
import { LocalIntake } from "../../../src/service/local-intake.js";
import { PostgresStore, riskKey } from "../../../src/service/store/postgres-store.js";
import { PG, skipWithout } from "../services.js";
import { winrsPositive } from "./winrs-positive.js";

const skipPg = await skipWithout("long risk objects on PostgreSQL", ["postgres"]);

describe("a risk object longer than an index entry", () => {
  it("riskKey: short objects as they are; long ones cut, with a hash of the whole; a key is its own key", () => {
    assert.equal(riskKey("wks-1"), "wks-1");
    const long = randomBytes(3000).toString("base64");
    const k = riskKey(long);
    assert.match(k, /^.{128}…[0-9a-f]{40}$/su);
    assert.equal(k.slice(0, 128), long.slice(0, 128));
    assert.equal(riskKey(k), k);
    assert.notEqual(riskKey(`${long}x`), k);
    assert.equal(riskKey("é".repeat(512)), "é".repeat(512)); // 1,024 bytes
    assert.notEqual(riskKey("é".repeat(513)), "é".repeat(513));
  });

  it("PostgreSQL: stored, found by the whole object, rebuilt after a restart", { skip: skipPg }, async () => {
    const host = randomBytes(2250).toString("base64"); // 3,000 characters
    const event = { ...winrsPositive(), computer: host, origin: { file: "test", line: 1 } };
    const store = new PostgresStore(`${PG}?schema=winnow_longrisk_${randomBytes(4).toString("hex")}`);
    try {
      await store.migrate();
      const open = () => LocalIntake.open({ session: new StreamSession(loadContent([])), store, sinks: [] });
      const intake = await open();
      await intake.accept({ id: "long", events: [event] });
      await intake.settled();
      await intake.close();
      const lines = (await store.findingLines()).map((l) => JSON.parse(l) as { dest: string });
      assert.deepEqual(
        lines.map((l) => l.dest),
        [host, host],
      );
      const risk = await store.riskEvents(host);
      assert.equal(risk.length, 2);
      assert.ok(risk.every((e) => e.risk_object === host));
      // A start rebuilds the results from the stored records (and writes them again): it must not fail.
      const again = await open();
      await again.close();
      assert.equal((await store.findingLines()).length, 2);
    } finally {
      await store.dropSchema();
      await store.close();
    }
  });
});

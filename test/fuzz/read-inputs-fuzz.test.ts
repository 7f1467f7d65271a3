/**
 * Bounded mutation test of the whole `readInputs` path (issue #5 "fuzzing in CI"): real inputs from
 * ../shared, damaged with a seeded PRNG, read through the walker, format detection, containers and
 * readers exactly as `hunt` reads them. For every damaged input: no throw, a per-input time bound, and
 * the records outside the damaged region are still read, identical to the undamaged read:
 * - EVTX (sysmon.evtx, 9 chunks): bytes flipped inside one chunk → every other chunk's events unchanged;
 *   cut at a random offset → every chunk that ends before the cut unchanged; junk after the last chunk →
 *   every event unchanged.
 * - gzip of XML lines cut at a random length → exactly the whole lines zlib can still inflate are read
 *   (found: a cut inside the first 64 KiB used to lose them all), and the cut is reported.
 * - stored zip of XML, JSON and EVTX members, bytes flipped in one member → the other members' events
 *   unchanged; a changed member is reported, whatever its format (the zip member CRC-32, checked by
 *   zip-entries.ts since the audit found a flip inside a text value passing silently; the finding's own
 *   tests are in test/ingest/damage-container-integrity.test.ts).
 * - tar.gz of the same members, bytes flipped anywhere → the events read equal the undamaged ones, or a
 *   diagnostic says why not (never silent).
 * The existing tests cover single-line text damage (test/ingest/text-fuzz.test.ts) and BinXML-level EVTX
 * damage (test/ingest/evtx/damage.test.ts); this one adds containers, multi-chunk EVTX and readInputs.
 * Seeds are fixed; `FUZZ_SEED=n FUZZ_ROUNDS=k` runs another or a longer search.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, describe, it } from "node:test";
import { constants, gunzipSync, gzipSync } from "node:zlib";
import type { ReadInputsOptions } from "../../src/ingest/read-inputs.js";
import type { WinEvent } from "../../src/model/event.js";
import { type Collected, collect, SHARED } from "../ingest/collect-events.js";
import { type TempDir, tarOf, tempFiles, zipOf } from "../ingest/temp-inputs.js";

const SEED = Number(process.env.FUZZ_SEED ?? 0);
const ROUNDS = Number(process.env.FUZZ_ROUNDS ?? 1);
/** Per-input time bound: far above a normal read (≈ 60 ms for the largest input here). */
const BOUND_MS = 5000;

const SYSMON = `${SHARED}data/evtx-rs-samples/sysmon.evtx`;
const XML_LINES = `${SHARED}data/derived-positives/derived_winrs_xmlwineventlog_attackrange.xml.log`;
const JSON_LINES = `${SHARED}data/derived-positives/derived_winrs_otrf_workstation6.json`;
const SMALL_EVTX = `${SHARED}data/evtx-attack-samples/LM_winrm_exec_sysmon_1_winrshost.evtx`;
const CHUNK = 65536;
const HEADER = 4096;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function int(rand: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rand() * (hi - lo));
}

/** What identifies an event's content (origin left out: the damaged copy has another name). */
function key(e: WinEvent): string {
  return JSON.stringify([e.provider, e.channel, e.eventId, e.recordId, e.timeCreated, e.computer, e.data]);
}

const temps: TempDir[] = [];
after(() => {
  for (const t of temps) t.cleanup();
});

/** Reads one damaged input through readInputs under the time bound; throws (fails) on a hang. */
async function readBounded(
  name: string,
  body: Buffer,
  opts: Partial<ReadInputsOptions> = {},
): Promise<Collected> {
  const t = tempFiles({ [name]: body });
  temps.push(t);
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name}: no result within ${BOUND_MS} ms`)), BOUND_MS);
  });
  try {
    return await Promise.race([collect([t.path(name)], { stallMs: BOUND_MS, ...opts }), hang]);
  } finally {
    clearTimeout(timer);
    const ms = performance.now() - started;
    assert.ok(ms < BOUND_MS, `${name}: ${ms} ms`);
    t.cleanup();
  }
}

function byChunk(events: readonly WinEvent[]): Map<number, string[]> {
  const m = new Map<number, string[]>();
  for (const e of events) {
    const c = e.origin.chunk ?? -1;
    let l = m.get(c);
    if (l === undefined) m.set(c, (l = []));
    l.push(key(e));
  }
  return m;
}

describe("fuzz: readInputs over damaged real inputs", { timeout: 120_000 }, () => {
  const sysmon = readFileSync(SYSMON);

  it("EVTX: bytes flipped inside one chunk leave every other chunk's events unchanged", async () => {
    const base = await collect([SYSMON]);
    const baseChunks = byChunk(base.events);
    assert.equal(base.events.length, 358); // MANIFEST: 358 records (python-evtx and libevtx)
    assert.equal(baseChunks.size, 9);
    for (let r = 0; r < 40 * ROUNDS; r++) {
      const rand = mulberry32(0xe7e0 + SEED * 1000 + r);
      const k = int(rand, 0, 9);
      const buf = Buffer.from(sysmon);
      const start = HEADER + k * CHUNK;
      const flips = int(rand, 1, 48);
      for (let i = 0; i < flips; i++) buf[start + int(rand, 0, CHUNK)] = int(rand, 0, 256);
      const got = await readBounded(`flip-${r}.evtx`, buf);
      const chunks = byChunk(got.events);
      for (const [c, keys] of baseChunks) {
        if (c === k) continue;
        assert.deepEqual(chunks.get(c), keys, `round ${r}: chunk ${c} changed (damage in chunk ${k})`);
      }
      const damaged = chunks.get(k) ?? [];
      const changed =
        damaged.length !== (baseChunks.get(k) ?? []).length ||
        damaged.some((x, i) => x !== baseChunks.get(k)?.[i]);
      if (changed)
        assert.ok(
          got.diagnostics.some((d) => d.chunk === k && d.severity !== "info"),
          `round ${r}: chunk ${k} changed silently`,
        );
    }
  });

  it("EVTX: cut at a random offset keeps every chunk that ends before the cut; junk after the last chunk changes nothing", async () => {
    const base = byChunk((await collect([SYSMON])).events);
    for (let r = 0; r < 15 * ROUNDS; r++) {
      const rand = mulberry32(0xc07 + SEED * 1000 + r);
      const cut = int(rand, HEADER, HEADER + 9 * CHUNK);
      const got = await readBounded(`cut-${r}.evtx`, sysmon.subarray(0, cut));
      const chunks = byChunk(got.events);
      const whole = Math.floor((cut - HEADER) / CHUNK);
      for (let c = 0; c < whole; c++) assert.deepEqual(chunks.get(c), base.get(c), `round ${r}: chunk ${c}`);
      assert.ok(got.diagnostics.some((d) => d.code === "evtx-truncated" || d.code === "evtx-chunk-damaged"));
    }
    // sysmon.evtx is 1118208 bytes: 9 chunks in use, then empty 64 KiB blocks. Replace the tail with junk.
    const rand = mulberry32(0x1a2b + SEED);
    const junk = Buffer.from(Array.from({ length: 3 * CHUNK + 123 }, () => int(rand, 0, 256)));
    const withJunk = Buffer.concat([sysmon.subarray(0, HEADER + 9 * CHUNK), junk]);
    const got = await readBounded("junk-after-last-chunk.evtx", withJunk);
    assert.deepEqual(byChunk(got.events), base);
  });

  it("gzip of XML lines cut at a random length: every whole line that inflates is read, and the cut is reported", async () => {
    const plain = readFileSync(XML_LINES);
    const base = (await collect([XML_LINES])).events.map(key);
    assert.equal(base.length, 14); // expected.json: events_total 14
    const gz = gzipSync(plain);
    for (let r = 0; r < 30 * ROUNDS; r++) {
      const rand = mulberry32(0x62 + SEED * 1000 + r);
      const cut = int(rand, 12, gz.length);
      const got = await readBounded(`cut-${r}.xml.log.gz`, gz.subarray(0, cut));
      const keys = got.events.map(key);
      // zlib's own partial inflate says how many whole lines the cut still holds.
      const partial = gunzipSync(gz.subarray(0, cut), { finishFlush: constants.Z_SYNC_FLUSH });
      const wholeLines = partial.toString("utf8").split("\n").length - 1;
      assert.deepEqual(keys, base.slice(0, wholeLines), `round ${r}: not the ${wholeLines} whole lines`);
      assert.ok(
        got.diagnostics.some((d) => d.severity === "error"),
        `round ${r}: a cut gzip (${cut} of ${gz.length} bytes) was not reported`,
      );
    }
  });

  it("stored zip: bytes flipped in one member leave the other members' events unchanged; a changed EVTX member is reported", async () => {
    const members: Array<[string, Buffer]> = [
      ["a.xml.log", readFileSync(XML_LINES)],
      ["b.json", readFileSync(JSON_LINES)],
      ["c.evtx", readFileSync(SMALL_EVTX)],
    ];
    const zip = zipOf(members);
    const base = await readBounded("base.zip", zip);
    const baseBy = (c: Collected, m: string) =>
      c.events.filter((e) => e.origin.file.endsWith(`!${m}`)).map(key);
    assert.deepEqual(
      members.map(([m]) => baseBy(base, m).length),
      [14, 7, 3], // expected.json events_total 14 and 7; MANIFEST: 3 records
    );
    // Member data starts after its 30-byte local header and name.
    const starts: number[] = [];
    let at = 0;
    for (const [name, body] of members) {
      starts.push(at + 30 + name.length);
      at += 30 + name.length + body.length;
    }
    for (let r = 0; r < 30 * ROUNDS; r++) {
      const rand = mulberry32(0x21b + SEED * 1000 + r);
      const k = int(rand, 0, members.length);
      const buf = Buffer.from(zip);
      const flips = int(rand, 1, 8);
      for (let i = 0; i < flips; i++)
        buf[starts[k] + int(rand, 0, members[k][1].length)] ^= 1 + int(rand, 0, 255);
      const got = await readBounded(`flip-${r}.zip`, buf);
      for (let j = 0; j < members.length; j++) {
        if (j === k) continue;
        assert.deepEqual(baseBy(got, members[j][0]), baseBy(base, members[j][0]), `round ${r}: member ${j}`);
      }
      // Text has no checksum of its own; the member's CRC-32 (zip-entries.ts) reports any flip, also one
      // inside a JSON/XML value, so every member is held to "changed → reported".
      assert.ok(
        got.diagnostics.some((d) => d.code === "archive-damaged" && d.file?.endsWith(`!${members[k][0]}`)),
        `round ${r}: no archive-damaged for ${members[k][0]}`,
      );
      const changed =
        JSON.stringify(baseBy(got, members[k][0])) !== JSON.stringify(baseBy(base, members[k][0]));
      if (changed)
        assert.ok(
          got.diagnostics.some((d) => d.file?.endsWith(`!${members[k][0]}`) && d.severity !== "info"),
          `round ${r}: ${members[k][0]} changed silently`,
        );
    }
  });

  it("tar.gz: bytes flipped anywhere: the same events, or a diagnostic that says why not", async () => {
    const tgz = gzipSync(
      tarOf([
        ["a.xml.log", readFileSync(XML_LINES)],
        ["b.json", readFileSync(JSON_LINES)],
        ["c.evtx", readFileSync(SMALL_EVTX)],
      ]),
    );
    const base = (await readBounded("base.tar.gz", tgz)).events.map(key);
    assert.equal(base.length, 14 + 7 + 3);
    for (let r = 0; r < 30 * ROUNDS; r++) {
      const rand = mulberry32(0x7a2 + SEED * 1000 + r);
      const buf = Buffer.from(tgz);
      const flips = int(rand, 1, 6);
      for (let i = 0; i < flips; i++) buf[int(rand, 10, buf.length)] ^= 1 + int(rand, 0, 255);
      const got = await readBounded(`flip-${r}.tar.gz`, buf);
      const same = JSON.stringify(got.events.map(key)) === JSON.stringify(base);
      assert.ok(same || got.diagnostics.some((d) => d.severity !== "info"), `round ${r}: changed silently`);
    }
  });
});

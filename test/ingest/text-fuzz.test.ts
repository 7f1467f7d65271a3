/**
 * Bounded mutation test over real XML and JSON lines (issue 5): one line of a real file is damaged
 * (truncated, bytes flipped, NULs inserted, a span deleted or doubled, replaced by binary junk) with a seeded
 * PRNG. For every mutation: the read completes; every event whose lines were not touched is still read
 * exactly as before (same first line, same fields); and the damaged event gives an event or a diagnostic
 * within its lines — never silence. Found and fixed with it: a damaged first line hid the whole file from format detection and
 * switched JSON lines into document mode.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import type { WinEvent } from "../../src/model/event.js";
import { collect, SHARED } from "./collect-events.js";
import { type TempDir, tempFiles } from "./temp-inputs.js";

/** Defaults keep the suite fast; `FUZZ_ITERATIONS=3000 FUZZ_SEED=n` runs a longer search. */
const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 150);
const SEED = Number(process.env.FUZZ_SEED ?? 0);

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

/** A random byte that is not a line end. */
function byte(rand: () => number): number {
  const b = Math.floor(rand() * 256);
  return b === 10 || b === 13 ? 0x41 : b;
}

function mutate(line: Buffer, rand: () => number): Buffer {
  const pos = Math.floor(rand() * line.length);
  switch (Math.floor(rand() * 6)) {
    case 0:
      return line.subarray(0, pos);
    case 1: {
      const out = Buffer.from(line);
      const n = 1 + Math.floor(rand() * 8);
      for (let i = 0; i < n; i++) out[Math.floor(rand() * out.length)] = byte(rand);
      return out;
    }
    case 2:
      return Buffer.concat([
        line.subarray(0, pos),
        Buffer.alloc(1 + Math.floor(rand() * 64)),
        line.subarray(pos),
      ]);
    case 3:
      return Buffer.concat([
        line.subarray(0, pos),
        line.subarray(Math.min(line.length, pos + 1 + Math.floor(rand() * 200))),
      ]);
    case 4: {
      const end = Math.min(line.length, pos + 1 + Math.floor(rand() * 300));
      return Buffer.concat([line.subarray(0, end), line.subarray(pos, end), line.subarray(end)]);
    }
    default:
      return Buffer.from(Array.from({ length: 1 + Math.floor(rand() * 200) }, () => byte(rand)));
  }
}

function sameEvent(a: WinEvent, b: WinEvent): boolean {
  return (
    a.provider === b.provider &&
    a.channel === b.channel &&
    a.eventId === b.eventId &&
    a.computer === b.computer &&
    a.timeCreated === b.timeCreated &&
    a.recordId === b.recordId &&
    JSON.stringify(a.data) === JSON.stringify(b.data)
  );
}

const temps: TempDir[] = [];
after(() => {
  for (const t of temps) t.cleanup();
});

/** The OTRF derived JSON lines, pretty-printed as concatenated documents or as one top-level array. */
function prettyOtrf(asArray: boolean): Buffer {
  const text = readFileSync(
    join(SHARED, "data/derived-positives/derived_winrs_otrf_workstation6.json"),
    "utf8",
  );
  const objects = text
    .split("\n")
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as unknown);
  if (asArray) return Buffer.from(`${JSON.stringify(objects, null, 2)}\n`);
  return Buffer.from(`${objects.map((o) => JSON.stringify(o, null, 4)).join("\n")}\n`);
}

const SOURCES: ReadonlyArray<readonly [string, string | (() => Buffer), number]> = [
  [
    "XML lines",
    join(SHARED, "data/derived-positives/derived_winrs_xmlwineventlog_attackrange.xml.log"),
    0x5eed1 + SEED,
  ],
  [
    "XML lines (case 02)",
    join(SHARED, "cases/02-renamed-binary-original-file-name/events.xml.log"),
    0x5eed2 + SEED,
  ],
  [
    "JSON lines (OTRF flat)",
    join(SHARED, "data/derived-positives/derived_winrs_otrf_workstation6.json"),
    0x5eed3 + SEED,
  ],
  [
    "JSON lines (mixed layouts)",
    join(SHARED, "cases/06-json-field-naming-variants/events.jsonl"),
    0x5eed4 + SEED,
  ],
  [
    "mixed XML + classic (multi-line events)",
    join(SHARED, "data/splunk-attack-data/certutil_exe_certificate_extraction.raw"),
    0x5eed5 + SEED,
  ],
  ["pretty-printed JSON documents", () => prettyOtrf(false), 0x5eed6 + SEED],
  ["pretty-printed JSON array", () => prettyOtrf(true), 0x5eed7 + SEED],
];

describe("mutation test over real text inputs", () => {
  for (const [label, path, seed] of SOURCES) {
    it(`${label}: ${ITERATIONS} single-line mutations`, async () => {
      const t = tempFiles({});
      temps.push(t);
      const original = typeof path === "string" ? readFileSync(path) : path();
      if (typeof path !== "string") writeFileSync(join(t.dir, "original.json"), original);
      const originalPath = typeof path === "string" ? path : join(t.dir, "original.json");
      const lines: Buffer[] = [];
      let start = 0;
      for (let i = 0; i <= original.length; i++) {
        if (i === original.length || original[i] === 10) {
          if (i < original.length || i > start) lines.push(original.subarray(start, i));
          start = i + 1;
        }
      }
      const base = await collect([originalPath]);
      assert.equal(base.reports[0].malformed, 0);
      // Each event owns the lines from its first line up to the next event's first line.
      const starts = base.events.map((e) => e.origin.line ?? -1);
      const spanEnd = (i: number) => (i + 1 < starts.length ? starts[i + 1] - 1 : lines.length);
      const rand = mulberry32(seed);
      const file = join(t.dir, "mutated.dat");
      for (let it = 0; it < ITERATIONS; it++) {
        const m = Math.floor(rand() * lines.length);
        const damaged = lines.map((l, i) => (i === m ? mutate(l, rand) : l));
        writeFileSync(file, Buffer.concat(damaged.flatMap((l) => [l, Buffer.from("\n")])));
        const got = await collect([file]);
        const at = (line: number) => got.events.filter((e) => e.origin.line === line);
        const hit = starts.findIndex((s, i) => s <= m + 1 && m + 1 <= spanEnd(i));
        base.events.forEach((e, i) => {
          if (i === hit) return;
          const found = at(starts[i]);
          assert.equal(
            found.length,
            1,
            `iteration ${it}: line ${starts[i]} lost after damaging line ${m + 1}`,
          );
          assert.ok(
            sameEvent(found[0], e),
            `iteration ${it}: line ${starts[i]} changed after damaging line ${m + 1}`,
          );
        });
        if (hit === -1) continue; // a line outside every event (`[` of an array): only the others matter
        const from = starts[hit];
        const to = spanEnd(hit);
        const produced = got.events.some((e) => (e.origin.line ?? 0) >= from && (e.origin.line ?? 0) <= to);
        const said = got.diagnostics.some(
          (d) => d.severity !== "info" && (d.line ?? 0) >= from && (d.line ?? 0) <= to,
        );
        const blank = damaged[m].toString("latin1").replace(/[\s\0]/g, "").length === 0;
        assert.ok(produced || said || blank, `iteration ${it}: damaged line ${m + 1} vanished silently`);
      }
    });
  }
});

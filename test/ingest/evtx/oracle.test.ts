/**
 * Every field of every record equals what python-evtx and libevtx agree on, after normalizing their
 * rendering to SEMANTICS.md §3. The oracle outputs are fixtures built by
 * `scripts/oracle/evtx-oracle.py` (Debian python3-evtx 0.6.1 and libevtx-utils 20181227); rebuild them
 * with `/usr/bin/python3 scripts/oracle/evtx-oracle.py ../shared/data test/fixtures/evtx/oracle`.
 * Records only libevtx prints (found by signature: `evtxexport -m all`) are checked against libevtx alone; Winnow
 * reads them with `carveSlack` (the slack ones) and must have marked every one of them recovered.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import type { WinEvent } from "../../../src/model/event.js";
import { sharedPath } from "../../support/shared.js";
import { readAll } from "./read-all.js";

const FIXTURES = fileURLToPath(new URL("../../fixtures/evtx/oracle/", import.meta.url));

interface OracleRecord {
  fields: Partial<
    Record<"provider" | "channel" | "eventId" | "version" | "computer" | "timeCreated" | "recordId", string>
  >;
  data: Record<string, string>;
  dataComplete: boolean;
  /** Set on records only libevtx prints (its recovered ones): checked against libevtx alone. */
  only?: "libevtx";
}

/**
 * Slack records Winnow carves that libevtx does not list (docs/evtx.md, "Chunk slack"): in Application_no_crc32
 * 20 records older than the live ones (ids 302-305, 390-393, 400-406, 415, 420, 421, 424, 425), in security.evtx
 * stale copies of the live records 2176, 2192 and 2199. Every other carved record is one libevtx lists.
 */
const CARVED_NOT_IN_LIBEVTX: Record<string, readonly number[]> = {
  "evtx-rs-samples/Application_no_crc32.evtx": [
    302, 303, 304, 305, 390, 391, 392, 393, 400, 401, 402, 403, 404, 405, 406, 415, 420, 421, 424, 425,
  ],
  "evtx-rs-samples/security.evtx": [2176, 2192, 2199],
};

interface OracleFile {
  file: string;
  records: OracleRecord[];
  pythonRecords: number;
  libevtxRecords: number;
}

function isOracleFile(v: unknown): v is OracleFile {
  if (typeof v !== "object" || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.file === "string" && Array.isArray(o.records);
}

function load(name: string): OracleFile {
  const parsed: unknown = JSON.parse(gunzipSync(readFileSync(join(FIXTURES, name))).toString("utf8"));
  if (!isOracleFile(parsed)) throw new Error(`${name}: not an oracle fixture`);
  return parsed;
}

/** Our rendering of the System values the oracles print, as text. */
function ours(e: WinEvent): Record<string, string> {
  return {
    provider: e.provider,
    channel: e.channel,
    eventId: String(e.eventId),
    version: e.version === undefined ? "" : String(e.version),
    computer: e.computer,
    timeCreated: e.timeCreated ?? "",
    recordId: e.recordId === undefined ? "" : String(e.recordId),
  };
}

const names = readdirSync(FIXTURES).filter((n) => n.endsWith(".oracle.json.gz"));

describe("EVTX values equal python-evtx and libevtx where they agree", () => {
  it("has the four required kinds of file", () => {
    const files = names.map((n) => load(n).file);
    for (const must of [
      "evtx-attack-samples/LM_sysmon_psexec_smb_meterpreter.evtx", // Sysmon
      "evtx-to-mitre-attack/ID4688_4697_5140-5145_PSexec_remote_execution_+_admin_share.evtx", // Security
      "evtx-rs-samples/sysmon.evtx", // stale header
      "evtx-rs-samples/sample_with_a_bad_chunk_magic.evtx", // damaged
    ]) {
      assert.ok(files.includes(must), must);
    }
  });

  for (const name of names) {
    it(name.replace(".oracle.json.gz", ""), async () => {
      const oracle = load(name);
      const { events } = await readAll(sharedPath(`data/${oracle.file}`), oracle.file, undefined, {
        carveSlack: true,
      });
      // Live records by id; recovered ones apart (a stale copy in slack may repeat a live record's id).
      const byId = new Map<string, WinEvent>();
      const recoveredById = new Map<string, WinEvent>();
      for (const e of events) {
        const m = e.recovered === true ? recoveredById : byId;
        if (!m.has(String(e.recordId))) m.set(String(e.recordId), e);
      }
      assert.ok(oracle.records.length > 0);
      let fieldsChecked = 0;
      const libevtxOnly = new Set<string>();
      for (const rec of oracle.records) {
        const id = rec.fields.recordId ?? "?";
        // What only libevtx prints is what it recovered; Winnow must have recovered it too.
        if (rec.only === "libevtx") libevtxOnly.add(id);
        const e = rec.only === "libevtx" ? recoveredById.get(id) : byId.get(id);
        assert.ok(e !== undefined, `record ${id} missing`);
        const mine = ours(e);
        for (const [k, v] of Object.entries(rec.fields)) {
          assert.equal(mine[k], v, `record ${id} ${k}`);
          fieldsChecked++;
        }
        if (rec.dataComplete) {
          assert.deepEqual(e.data, rec.data, `record ${id} data`);
          assert.deepEqual(Object.keys(e.data), Object.keys(rec.data), `record ${id} data order`);
          fieldsChecked += Object.keys(rec.data).length;
        } else {
          for (const [k, v] of Object.entries(rec.data)) {
            assert.equal(e.data[k], v, `record ${id} data.${k}`);
            fieldsChecked++;
          }
        }
      }
      const extra = [...recoveredById.keys()].filter((id) => !libevtxOnly.has(id)).map(Number);
      assert.deepEqual(
        extra.sort((a, b) => a - b),
        CARVED_NOT_IN_LIBEVTX[oracle.file] ?? [],
      );
      assert.ok(fieldsChecked >= oracle.records.length * 7);
    });
  }
});

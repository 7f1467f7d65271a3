/**
 * Records left in chunk slack (after the free-space offset): counted and reported by default, never read, so a
 * clean file's counts stay its live records'; with `carveSlack` decoded and marked recovered. The oracle is
 * libevtx: `evtxexport -m recovered ID4688-User_enumeration_via_command.evtx` lists exactly 14 records, 1101547-
 * 1101550, 1101553, 1101556, 1101559 and 1101562-1101568 (run by hand, Debian libevtx-utils 20181227); the file's
 * live records are the MANIFEST's 4 (1101625-1101628). The 45 records found in chunk 0's slack (ids 1101547-
 * 1101620, after its free-space offset 4472) were counted by a separate byte scan (Python: "**\0\0" with the size
 * field and the size copy at the record's end agreeing), not taken from Winnow's output. Field-by-field checks of carved records against libevtx are in
 * oracle.test.ts (the 50 slack records of sample_with_a_bad_chunk_magic.evtx).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sharedPath } from "../../support/shared.js";
import { readAll } from "./read-all.js";

const FILE = "evtx-to-mitre-attack/ID4688-User_enumeration_via_command.evtx";
const LIBEVTX_RECOVERED = [
  1101547, 1101548, 1101549, 1101550, 1101553, 1101556, 1101559, 1101562, 1101563, 1101564, 1101565, 1101566,
  1101567, 1101568,
];

describe("records in chunk slack", async () => {
  const plain = await readAll(sharedPath(`data/${FILE}`), FILE);
  const carved = await readAll(sharedPath(`data/${FILE}`), FILE, undefined, { carveSlack: true });

  it("are counted and reported by default, not read: the live records are the MANIFEST's", () => {
    assert.equal(plain.events.length, 4);
    assert.equal(plain.counts.events, 4);
    assert.equal(plain.counts.recovered, 0);
    assert.equal(plain.events.filter((e) => e.recovered === true).length, 0);
    const slack = plain.diagnostics.filter((d) => d.code.startsWith("evtx-slack"));
    assert.equal(slack.length, 1);
    assert.equal(slack[0]?.code, "evtx-slack-records");
    assert.equal(slack[0]?.severity, "info");
    assert.equal(slack[0]?.chunk, 0);
    assert.equal(slack[0]?.count, 45);
    assert.match(
      slack[0]?.message ?? "",
      /^45 records in the chunk's slack after its free-space offset \(record ids 1101547–1101620\): /,
    );
  });

  it("are carved with carveSlack: exactly libevtx's recovered records, marked recovered", () => {
    const rec = carved.events.filter((e) => e.recovered === true).map((e) => e.recordId);
    assert.deepEqual(rec, LIBEVTX_RECOVERED);
    assert.equal(carved.counts.events, 4 + 14);
    assert.equal(carved.counts.recovered, 14);
    const d = carved.diagnostics.filter((x) => x.code.startsWith("evtx-slack"));
    assert.deepEqual(
      d.map((x) => [x.code, x.count, x.message]),
      [
        [
          "evtx-slack-records",
          45,
          "45 records in the chunk's slack after its free-space offset (record ids 1101547–1101620): stale copies " +
            "or events from before the chunk was reused",
        ],
        [
          "evtx-slack-carved",
          14,
          "14 of the 45 carved and marked recovered; 31 could not be decoded (their templates or values were overwritten)",
        ],
      ],
    );
  });

  it("leave every live record as it was", () => {
    assert.deepEqual(
      carved.events.filter((e) => e.recovered !== true),
      plain.events,
    );
  });
});

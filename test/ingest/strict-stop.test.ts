/**
 * `--strict` stops at the first input problem (by design, a warning too) — and says so once, naming the
 * diagnostic that stopped it, with the files it did not read accounted (tester's bug 5: `hunt ../shared/data
 * --strict` printed the `input-strict-stop` line twice and the summary said `16 files read` as if nothing had
 * been left out). The first problem in ../shared/data, in walk order, is sample-with-zero-data-size-event.evtx's
 * chunk 0 checksum (a warning).
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { runCli } from "../support/run-cli.js";
import { sharedPath } from "../support/shared.js";
import { collect } from "./collect-events.js";
import { tempFiles } from "./temp-inputs.js";

const DATA = sharedPath("data");
const STOPPER = `${DATA}/evtx-rs-samples/sample-with-zero-data-size-event.evtx`;
const FIRST =
  `${STOPPER}, chunk 0, offset 4148: warning [evtx-chunk-damaged] event records checksum is 0x1065cf33, ` +
  "the header says 0xc08b93e5; records are read anyway and checked one by one";

/** Every file under `dir`, in the walk's order (each folder's names sorted by code unit). */
function walk(dir: string): string[] {
  const names = readdirSync(dir).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return names.flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

describe("--strict", () => {
  const t = tempFiles({});
  after(() => t.cleanup());

  it("hunt ../shared/data --strict: one input-strict-stop naming the diagnostic; the files after it are not read", () => {
    const all = walk(DATA);
    const after = all.length - all.indexOf(STOPPER) - 1;
    assert.ok(after > 10);
    const stats = t.path("stats.json");
    const r = runCli(["hunt", DATA, "--strict", "--stats-json", stats]);
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stdout, "");
    assert.equal(r.stderr.match(/\[input-strict-stop\]/g)?.length, 1, r.stderr);
    assert.ok(
      r.stderr.startsWith(
        `${STOPPER}: error [input-strict-stop] --strict: reading stopped at the first input problem: ${FIRST}\n`,
      ),
      r.stderr,
    );
    const s = JSON.parse(readFileSync(stats, "utf8"));
    const before = all.indexOf(STOPPER) + 1;
    assert.equal(s.totals.files, all.length);
    assert.equal(s.totals.files_not_read, after);
    assert.equal(s.totals.files_read + s.totals.files_skipped, before);
    assert.equal(s.totals.files_damaged, 1);
    const stopped = s.files.find((f: { file: string }) => f.file === STOPPER);
    assert.equal(
      stopped.damaged,
      "--strict: reading stopped here, at the first input problem; the rest of it was not read",
    );
    assert.deepEqual(
      s.files
        .filter((f: { not_read: string | null }) => f.not_read !== null)
        .map((f: { file: string }) => f.file),
      all.slice(before),
    );
    assert.match(
      r.stderr,
      new RegExp(
        `winnow: ${s.totals.files_read} files read \\(1 damaged\\), ${s.totals.files_skipped} skipped \\(not logs\\), ${after} not read \\(--strict stopped\\);`,
      ),
    );
  });

  it("the reader stops at the chunk after the problem, even when the filter keeps none of its events", async () => {
    const whole = await collect([STOPPER]);
    assert.equal(whole.reports[0].events, 449);
    const c = await collect([STOPPER], { strict: true, filter: () => false });
    assert.deepEqual(c.events, []);
    assert.equal(c.reports.length, 1);
    // Chunk 0 holds the problem: its 116 records (read without --strict, they are those with origin.chunk 0).
    assert.equal(whole.events.filter((e) => e.origin.chunk === 0).length, 116);
    assert.equal(c.reports[0].events, 116);
    assert.deepEqual(
      c.diagnostics.map((d) => d.code),
      ["evtx-chunk-damaged", "evtx-record-damaged", "input-strict-stop"],
    );
    assert.equal(c.diagnostics[2].message, `--strict: reading stopped at the first input problem: ${FIRST}`);
    assert.deepEqual(c.reports[0].problems, {
      "evtx-chunk-damaged": 1,
      "evtx-record-damaged": 1,
      "input-strict-stop": 1,
    });
  });
});

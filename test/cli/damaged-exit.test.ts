/**
 * A file that was read but is damaged (a gzip cut exactly where a line ends, so no record is malformed) makes
 * hunt and export exit 3, like an unreadable file or a malformed record does: "some input could not be read".
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { constants, deflateRawSync } from "node:zlib";
import { runCli } from "../support/run-cli.js";
import { sharedPath } from "../support/shared.js";

/**
 * The first `keep` lines of a real XmlWinEventLog file as a gzip member whose deflate stream is flushed after
 * each of them, cut right after the flush: every whole line inflates, then the stream ends without its trailer.
 */
function gzipCutAtLine(keep: number): { file: string; lines: number } {
  const text = readFileSync(sharedPath("cases/01-case-insensitive-match/events.xml.log"), "utf8");
  const lines = text.split("\n").filter((l) => l.length > 0);
  assert.ok(lines.length > keep, "the case file has more lines than we keep");
  const head = `${lines.slice(0, keep).join("\n")}\n`;
  const body = deflateRawSync(Buffer.from(head), { finishFlush: constants.Z_SYNC_FLUSH });
  const header = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
  const dir = mkdtempSync(join(tmpdir(), "winnow-damaged-exit-"));
  const file = join(dir, "cut.xml.log.gz");
  writeFileSync(file, Buffer.concat([header, body]));
  return { file, lines: keep };
}

describe("a damaged file with no malformed record", () => {
  const { file, lines } = gzipCutAtLine(2);

  it("hunt reads its whole lines, reports the cut and exits 3", () => {
    const r = runCli(["hunt", file, "--no-pack", "-f", "jsonl"]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /cut\.xml\.log\.gz: error \[archive-damaged\]/);
    assert.match(
      r.stderr,
      new RegExp(`1 file read \\(1 damaged\\); ${lines} events .*0 malformed records skipped`),
    );
  });

  it("export writes its whole lines, counts the damaged file and exits 3", () => {
    const r = runCli(["export", file, "-f", "jsonl"]);
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stdout.trim().split("\n").length, lines);
    assert.match(r.stderr, /0 malformed record\(s\) skipped, 0 unreadable file\(s\), 1 damaged file\(s\)/);
  });
});

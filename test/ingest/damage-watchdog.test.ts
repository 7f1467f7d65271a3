/**
 * The per-file watchdog and `--strict` (issue #5): a reader that stalls on one file cannot hang the run
 * (the file is reported, the events decoded before the stall are kept, the other files are read), and
 * `strict` stops at the first input problem. Inputs are real XmlWinEventLog lines from ../shared
 * (derived_winrs_xmlwineventlog_attackrange.xml.log: 14 events, one per line, per its expected.json).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createReadStream, readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { isInputProblem } from "../../src/ingest/read-inputs.js";
import { collect, SHARED } from "./collect-events.js";
import { tempFiles } from "./temp-inputs.js";

const XML = `${SHARED}data/derived-positives/derived_winrs_xmlwineventlog_attackrange.xml.log`;
const LINES = readFileSync(XML, "utf8")
  .split("\n")
  .filter((l) => l !== "");
const REPO = fileURLToPath(new URL("../../", import.meta.url));

describe("per-file watchdog", () => {
  const t = tempFiles({
    "a.xml.log": `${LINES.join("\n")}\n`,
    "b-stalls.xml.log": "replaced by a stream that never ends",
    "c.xml.log": `${LINES.slice(0, 5).join("\n")}\n`,
  });
  after(() => t.cleanup());

  it("a stream that stops without ending is abandoned after the budget; its decoded events and the other files are kept", async () => {
    assert.equal(LINES.length, 14);
    // 3 × 14 lines (about 84 KB, past the 64 KiB format probe), then silence: never `end`.
    const body = Buffer.from(`${[...LINES, ...LINES, ...LINES].join("\n")}\n`);
    const started = performance.now();
    const c = await collect([t.dir], {
      stallMs: 300,
      openFile: (p) => {
        if (!p.endsWith("b-stalls.xml.log")) return createReadStream(p);
        const s = new Readable({ read() {} });
        s.push(body);
        return s;
      },
    });
    const seconds = (performance.now() - started) / 1000;
    assert.ok(seconds < 5, `run took ${seconds} s`);
    assert.deepEqual(
      c.reports.map((r) => [
        r.file.slice(t.dir.length + 1),
        r.events,
        r.malformed,
        r.damaged !== undefined,
        r.unreadable,
      ]),
      [
        ["a.xml.log", 14, 0, false, undefined],
        ["b-stalls.xml.log", 42, 0, true, undefined], // read, damaged: 42 events came out of it
        ["c.xml.log", 5, 0, false, undefined],
      ],
    );
    assert.equal(c.events.length, 14 + 42 + 5);
    const stalled = c.diagnostics.filter((d) => d.code === "file-stalled");
    assert.equal(stalled.length, 1);
    assert.equal(stalled[0].file, t.path("b-stalls.xml.log"));
    assert.match(stalled[0].message, /no progress for 0\.3 s: the file was abandoned after 42 events/);
    assert.deepEqual(c.reports[1].problems, { "file-stalled": 1 });
  });

  it("a stream that stalls before the format probe completes is reported with 0 events", async () => {
    const c = await collect([t.path("b-stalls.xml.log"), t.path("c.xml.log")], {
      stallMs: 200,
      openFile: (p) => {
        if (!p.endsWith("b-stalls.xml.log")) return createReadStream(p);
        const s = new Readable({ read() {} });
        s.push(Buffer.from(LINES[0]));
        return s;
      },
    });
    assert.deepEqual(
      c.reports.map((r) => [r.events, r.unreadable !== undefined]),
      [
        [0, true],
        [5, false],
      ],
    );
    assert.deepEqual(
      c.diagnostics.map((d) => d.code),
      ["file-stalled"],
    );
  });
});

describe("--strict", () => {
  // Line 3 of the first file is cut in half: one xml-malformed (the format tests pin that).
  const broken = [...LINES.slice(0, 2), LINES[2].slice(0, 500), ...LINES.slice(3)];
  const t = tempFiles({
    "1-damaged.xml.log": `${broken.join("\n")}\n`,
    "2-good.xml.log": `${LINES.join("\n")}\n`,
  });
  after(() => t.cleanup());

  it("lenient (default): the damaged line is reported and skipped, everything else is read", async () => {
    const c = await collect([t.dir]);
    assert.deepEqual(
      c.reports.map((r) => [r.events, r.malformed]),
      [
        [13, 1],
        [14, 0],
      ],
    );
    assert.deepEqual(
      c.diagnostics.map((d) => [d.code, d.line]),
      [["xml-malformed", 3]],
    );
  });

  it("strict: reading stops in the file with the first problem; later files are listed as not read", async () => {
    const c = await collect([t.dir], { strict: true });
    assert.deepEqual(
      c.diagnostics.map((d) => d.code),
      ["xml-malformed", "input-strict-stop"],
    );
    assert.match(
      c.diagnostics[1].message,
      /^--strict: reading stopped at the first input problem: .*1-damaged\.xml\.log:3: warning \[xml-malformed\]/,
    );
    assert.deepEqual(
      c.reports.map((r) => [r.file, r.damaged, r.notRead]),
      [
        [
          t.path("1-damaged.xml.log"),
          "--strict: reading stopped here, at the first input problem; the rest of it was not read",
          undefined,
        ],
        [t.path("2-good.xml.log"), undefined, "--strict: reading had stopped before this input"],
      ],
    );
    assert.ok(c.events.length <= 13);
  });

  it("what strict stops at: damage, not notes", () => {
    assert.equal(isInputProblem({ code: "xml-malformed", severity: "warning", message: "" }), true);
    assert.equal(isInputProblem({ code: "file-unreadable", severity: "error", message: "" }), true);
    assert.equal(isInputProblem({ code: "time-local-as-utc", severity: "warning", message: "" }), false);
    assert.equal(isInputProblem({ code: "file-not-a-log", severity: "info", message: "" }), false);
  });

  it("winnow hunt --strict exits 3 and prints no rows; without it the run exits 3 after reading everything", () => {
    const run = (extra: string[]) =>
      spawnSync(
        process.execPath,
        ["--import", "tsx", "src/cli/main.ts", "hunt", t.dir, "--format", "jsonl", ...extra],
        {
          cwd: REPO,
          encoding: "utf8",
        },
      );
    const strict = run(["--strict", "-q"]);
    assert.equal(strict.status, 3, strict.stderr);
    assert.equal(strict.stdout, "");
    assert.match(strict.stderr, /\[input-strict-stop\]/);
    const lenient = run(["-q"]);
    assert.equal(lenient.status, 3, lenient.stderr);
    assert.doesNotMatch(lenient.stderr, /input-strict-stop/);
  });
});

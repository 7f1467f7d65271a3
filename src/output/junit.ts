/**
 * `winnow test --junit FILE`: the test outcomes as JUnit XML, the format CI systems (GitLab, Jenkins,
 * GitHub test reporters) read.
 *
 * Design notes:
 * - One `<testsuite>` per detection (name = detection name, in the order tested), one `<testcase>` per
 *   test: `classname` is the detection's id, `name` the test's name, `time` its seconds.
 * - fail → `<failure>`, error → `<error>`, skip → `<skipped>`; `message` is the first reason, the body
 *   all reasons and notes, one per line. Counts on `<testsuites>` and each `<testsuite>` are exact.
 * - Text is escaped for XML 1.0: `& < > " '` as entities, and characters XML 1.0 cannot carry (C0
 *   controls other than tab/newline/CR, lone surrogates, U+FFFE/U+FFFF) replaced by U+FFFD.
 */
import type { TestOutcome, TestRun } from "../engine/test-detections.js";

const NOT_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function xmlEscape(s: string): string {
  return s
    .replace(NOT_XML, "\uFFFD")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

function seconds(s: number): string {
  return s.toFixed(3);
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  time: number;
}

function count(outcomes: readonly TestOutcome[]): Counts {
  const c: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0, time: 0 };
  for (const o of outcomes) {
    c.tests++;
    c.time += o.seconds;
    if (o.status === "fail") c.failures++;
    else if (o.status === "error") c.errors++;
    else if (o.status === "skip") c.skipped++;
  }
  return c;
}

function countAttrs(c: Counts): string {
  return `tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}" time="${seconds(c.time)}"`;
}

function testcase(o: TestOutcome): string {
  const open = `    <testcase classname="${xmlEscape(o.detection_id)}" name="${xmlEscape(o.test)}" time="${seconds(o.seconds)}"`;
  const body = [...o.messages, ...o.notes.map((n) => `note: ${n}`)].join("\n");
  const first = o.messages[0] ?? "";
  const tag =
    o.status === "fail" ? "failure" : o.status === "error" ? "error" : o.status === "skip" ? "skipped" : "";
  if (tag === "") {
    if (o.notes.length === 0) return `${open}/>`;
    return `${open}>\n      <system-out>${xmlEscape(body)}</system-out>\n    </testcase>`;
  }
  return `${open}>\n      <${tag} message="${xmlEscape(first)}">${xmlEscape(body)}</${tag}>\n    </testcase>`;
}

/** The whole JUnit document (UTF-8, ends with a newline). */
export function renderJunit(run: TestRun, name = "winnow test"): string {
  const suites: { name: string; file: string; outcomes: TestOutcome[] }[] = [];
  const byId = new Map<string, (typeof suites)[number]>();
  for (const o of run.outcomes) {
    let s = byId.get(o.detection_id);
    if (s === undefined) {
      s = { name: o.detection, file: o.file, outcomes: [] };
      byId.set(o.detection_id, s);
      suites.push(s);
    }
    s.outcomes.push(o);
  }
  const lines = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="${xmlEscape(name)}" ${countAttrs(count(run.outcomes))}>`,
  ];
  for (const s of suites) {
    lines.push(
      `  <testsuite name="${xmlEscape(s.name)}" file="${xmlEscape(s.file)}" ${countAttrs(count(s.outcomes))}>`,
    );
    for (const o of s.outcomes) lines.push(testcase(o));
    lines.push("  </testsuite>");
  }
  lines.push("</testsuites>");
  return `${lines.join("\n")}\n`;
}

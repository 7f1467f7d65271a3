#!/usr/bin/env node
// Regenerates the figures of docs/coverage.md (issue 4): which active Endpoint.Processes detections of a
// security_content tree load (`winnow validate`), and what the loadable ones return over a data folder
// (`winnow hunt -d <id> ...`). Uses the built CLI, so run `npm run build` first; run from the repository root.
//
//   node scripts/coverage.mjs                       print the generated section (markdown) on stdout
//   node scripts/coverage.mjs --write docs/coverage.md   replace the section between the markers in that file
//   options: --content DIR (default ../shared/content/security_content), --data DIR (default ../shared/data),
//            --rows FILE (also keep the hunt's JSON-lines rows there, e.g. for scripts/oracle/coverage-crosscheck.py)
//
// Only the part between `<!-- coverage:generated:start -->` and `<!-- coverage:generated:end -->` is rewritten;
// the hand checks around it are not. A detection with a `### Check N: <name>` heading in the file gets a link
// in the firing table. Exit code: 0, or 1 when fewer than 95 % of the active detections load or a loadable
// one fails to run.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";

const START = "<!-- coverage:generated:start -->";
const END = "<!-- coverage:generated:end -->";
const DATAMODEL = "Endpoint.Processes";

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const content = option("--content", "../shared/content/security_content");
const data = option("--data", "../shared/data");
const write = option("--write", undefined);
const keepRows = option("--rows", undefined);
const cli = "dist/cli.js";

function run(args) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, seconds: (performance.now() - t0) / 1000 };
}

const cell = (s) => String(s).replaceAll("|", "\\|").replaceAll("\n", " ");
const pct = (n, d) => `${((100 * n) / d).toFixed(1)} %`;

// 1. validate: one JSON object per detection.
const validateArgs = ["validate", "--content", content, "--format", "json"];
const v = run(validateArgs);
if (v.status !== 0 && v.status !== 1) throw new Error(`winnow validate exited ${v.status}: ${v.stderr}`);
const all = v.stdout
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l) => JSON.parse(l));
const processes = all.filter((d) => !d.file.startsWith("builtin:") && d.datamodels.includes(DATAMODEL));
const active = processes.filter((d) => d.status !== "deprecated");
const loaded = active.filter((d) => d.loaded);
const failed = active.filter((d) => !d.loaded);

// A reason reads `<file>:N, detection "X": error [code] message at expanded search line L, column C
// (from macro `m`)`, N being the YAML line the search starts on: the construct is `[code] message`, the
// position the rest.
function splitReason(reason) {
  const m = /: (?:error|warning) (\[[^\]]+\] .*?)(?: at (expanded search line \d+, column \d+.*))?$/.exec(
    reason,
  );
  if (!m) return { construct: reason, position: "" };
  const line = /^[^\n]*?:(\d+), detection /.exec(reason);
  const position = [line ? `YAML line ${line[1]}` : "", m[2] ?? ""].filter((x) => x !== "").join("; ");
  return { construct: m[1], position };
}
const byConstruct = new Map();
for (const d of failed) {
  const { construct, position } = splitReason(d.reason ?? "");
  if (!byConstruct.has(construct)) byConstruct.set(construct, []);
  byConstruct.get(construct).push({ d, position });
}

// 2. hunt with exactly the loadable active detections (by id), without the built-in WinRM pack.
const dir = mkdtempSync(join(tmpdir(), "winnow-coverage-"));
const rowsFile = join(dir, "rows.jsonl");
const statsFile = join(dir, "stats.json");
const huntArgs = ["hunt", data, "--content", content, "--no-pack"];
for (const d of loaded) huntArgs.push("-d", d.id);
huntArgs.push("--format", "jsonl", "-o", rowsFile, "--stats-json", statsFile, "--no-progress", "-q");
const h = run(huntArgs);
if (h.status !== 0 && h.status !== 3) throw new Error(`winnow hunt exited ${h.status}: ${h.stderr}`);
const stats = JSON.parse(readFileSync(statsFile, "utf8"));
const rowCount = new Map();
for (const line of readFileSync(rowsFile, "utf8").split("\n")) {
  if (line.trim() === "") continue;
  const r = JSON.parse(line);
  rowCount.set(r.detection_id, (rowCount.get(r.detection_id) ?? 0) + 1);
}
if (keepRows) copyFileSync(rowsFile, keepRows);
rmSync(dir, { recursive: true, force: true });
const ran = stats.detections.filter((d) => d.status === "ran");
const notRun = stats.detections.filter((d) => d.status !== "ran");
const fired = ran.filter((d) => d.rows > 0).sort((a, b) => b.rows - a.rows || a.name.localeCompare(b.name));
const runtime = stats.diagnostics.filter((x) => x.code === "spl-runtime");
for (const d of fired) {
  if (rowCount.get(d.id) !== d.rows)
    throw new Error(`${d.name}: ${rowCount.get(d.id)} rows written, stats say ${d.rows}`);
}

// 3. hand checks already written in the target file (outside the generated section).
const existing = write ? readFileSync(write, "utf8") : "";
const outside = existing.includes(START)
  ? existing.replace(existing.slice(existing.indexOf(START), existing.indexOf(END)), "")
  : existing;
const checks = new Map();
for (const m of outside.matchAll(/^### (Check (\d+)): (.+)$/gm)) {
  const anchor = m[0]
    .slice(4)
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, "")
    .replace(/ /g, "-");
  checks.set(m[3].trim(), `[check ${m[2]}](#${anchor})`);
}

// Detections that scripts/oracle/coverage-crosscheck.py re-implements (its `compare("<name>", ...)` calls).
const crossChecked = new Set(
  [...readFileSync("scripts/oracle/coverage-crosscheck.py", "utf8").matchAll(/^compare\(\s*"([^"]+)"/gm)].map(
    (m) => m[1],
  ),
);

// 4. the section.
const t = stats.totals;
const shown = (args) => args.map((a) => (/^[\w./:=-]+$/.test(a) ? a : `'${a}'`)).join(" ");
const huntTail = [
  "--format",
  "jsonl",
  "-o",
  "rows.jsonl",
  "--stats-json",
  "stats.json",
  "--no-progress",
  "-q",
];
const huntShown = `${shown(["node", cli, ...huntArgs.slice(0, 5)])} -d <id> … (${loaded.length} ids) ${shown(huntTail)}`;
const damaged = stats.files
  .filter((f) => f.malformed > 0 || f.unreadable)
  .map((f) => `\`${f.file.split("/").pop()}\`: ${f.unreadable ?? `${f.malformed} malformed`}`);
const out = [];
out.push(START);
out.push("");
out.push(
  `_Generated by \`node scripts/coverage.mjs --write docs/coverage.md\` on ${new Date().toISOString().slice(0, 10)} (Node ${process.versions.node}, ${cpus().length} cores); do not edit by hand._`,
);
out.push("");
out.push("### Figures");
out.push("");
out.push(
  `- **${loaded.length} of ${active.length} active \`${DATAMODEL}\` detections load: ${pct(loaded.length, active.length)}** (active = status not \`deprecated\`; the corpus's own files only, built-in content left out). With the deprecated ones: ${processes.filter((d) => d.loaded).length} of ${processes.length}.`,
);
out.push(
  `- All ${loaded.length} loadable ones ran over \`${data}\`: ${ran.length} ran, ${notRun.length} did not (${stats.totals.detections_failed} failed, ${stats.totals.detections_excluded} excluded); hunt exit code ${h.status}${h.status === 3 ? ` (some input could not be read: ${damaged.join(", ")})` : ""}.`,
);
// Data-model records: `datasets` counts them by dataset over every model the detections search (some
// Processes detections also read Endpoint.Filesystem, Registry, …); `totals.process_events` is only its
// Endpoint.Processes part, and `mapped` is the same records by source mapping.
const count = (n) => n.toLocaleString("en-US");
const listed = (o) =>
  Object.entries(o)
    .map(([k, n]) => `${k} ${count(n)}`)
    .join(", ");
const total = (o) => Object.values(o).reduce((a, n) => a + n, 0);
const records = total(stats.datasets);
if ((stats.datasets[DATAMODEL] ?? 0) !== t.process_events)
  throw new Error(
    `stats: datasets["${DATAMODEL}"] ${stats.datasets[DATAMODEL]} != process_events ${t.process_events}`,
  );
if (total(stats.mapped) !== records)
  throw new Error(`stats: ${total(stats.mapped)} records by source mapping, ${records} by dataset`);
out.push(
  `- Input: ${t.files} files (${t.files_read} read as logs, ${t.files_skipped} skipped as not logs, ${t.files_unreadable} unreadable), ${count(t.events)} events, ${count(records)} records mapped into a data model, of which ${count(t.process_events)} \`${DATAMODEL}\` (by dataset: ${listed(stats.datasets)}; by source mapping: ${listed(stats.mapped)}), ${t.malformed} malformed records skipped, ${t.recovered} recovered.`,
);
out.push(
  `- Output: **${fired.length} detections fired**, ${t.rows} rows, ${t.risk_events} risk events, ${t.notables} notables.`,
);
out.push(
  `- Wall time of the hunt: **${h.seconds.toFixed(1)} s** (measured around the process; the run's own \`seconds\` in --stats-json: ${stats.seconds.toFixed(1)} s). validate: ${v.seconds.toFixed(1)} s.`,
);
if (runtime.length > 0) {
  out.push(
    `- Runtime warnings (\`spl-runtime\`, the detection still ran): ${runtime.map((x) => `${x.detection}: ${cell(x.message)}`).join("; ")}.`,
  );
}
out.push("");
out.push("### Commands");
out.push("");
out.push("```sh");
out.push(`${shown(["node", cli, ...validateArgs])} > validate.jsonl`);
out.push(
  "# active Endpoint.Processes detections of the corpus: not builtin:, datamodels has Endpoint.Processes, status != deprecated",
);
out.push(huntShown);
out.push("```");
out.push("");
out.push(`### Detections that fired (${fired.length})`);
out.push("");
out.push("| # | detection | rows | risk events | hand check |");
out.push("|---|---|---|---|---|");
fired.forEach((d, i) => {
  const check = [
    checks.get(d.name),
    crossChecked.has(d.name) ? "rows re-computed by the cross-check" : undefined,
  ];
  out.push(
    `| ${i + 1} | ${cell(d.name)} | ${d.rows} | ${d.risk_events} | ${check.filter(Boolean).join("; ")} |`,
  );
});
const checkedSilent = [...checks.keys()].filter((n) => !fired.some((d) => d.name === n));
if (checkedSilent.length > 0) out.push("", `Hand-checked but not in the table: ${checkedSilent.join(", ")}.`);
out.push("");
out.push(`The other ${ran.length - fired.length} loadable detections ran and returned no rows.`);
out.push("");
out.push(`### Detections that do not load (${failed.length}), by reason`);
out.push("");
out.push("| reason (construct) | detections | detection: position |");
out.push("|---|---|---|");
for (const [construct, list] of [...byConstruct.entries()].sort(
  (a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]),
)) {
  const where = list
    .map(({ d, position }) => `${cell(d.name)} (\`${d.file.split("/").pop()}\`): ${cell(position)}`)
    .join("<br>");
  out.push(`| ${cell(construct)} | ${list.length} | ${where} |`);
}
out.push("");
out.push(END);
const section = out.join("\n");

if (write) {
  const i = existing.indexOf(START);
  const j = existing.indexOf(END);
  if (i < 0 || j < i) throw new Error(`${write} has no ${START} … ${END} section`);
  writeFileSync(write, existing.slice(0, i) + section + existing.slice(j + END.length));
  process.stderr.write(`${write}: section rewritten\n`);
} else {
  process.stdout.write(`${section}\n`);
}

const ok = loaded.length >= 0.95 * active.length && notRun.length === 0;
process.stderr.write(
  `${loaded.length}/${active.length} load (${pct(loaded.length, active.length)}); ${ran.length} ran, ${fired.length} fired, ${t.rows} rows; hunt ${h.seconds.toFixed(1)} s\n`,
);
process.exitCode = ok ? 0 : 1;

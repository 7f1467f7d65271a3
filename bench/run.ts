/**
 * `npm run bench`: Winnow against its references, side by side in one run, on inputs built from
 * ../shared/data by repetition (bench/inputs.ts). Every command runs under /usr/bin/time; the table gives
 * medians of N runs: wall time, CPU time (user + system of all threads), MB/s both ways, events/s, peak RSS.
 * The runs are interleaved (round i runs every command once), so a change in machine load during the bench
 * moves all rows alike rather than a few.
 *
 *   npm run bench [-- --runs N] [--size MB] [--small MB] [--memory] [--memory-max MB] [--quick]
 *
 * - Winnow runs as the CLI bundled from the current source (bench/build-cli.ts), `hunt` end to end with the
 *   built-in content (the flagship and the WinRM pack), rows written as JSON lines to /dev/null.
 * - References: libevtx `evtxexport` on the EVTX input and on the small one, `evtx_dump.py` (python-evtx) on
 *   the small one only (it is slow), `wc -l` of the XML input, a loop that only JSON.parses each line of the
 *   JSON input.
 * - Many detections: every ESCU detection that loads, and the ESCU detections that read only
 *   Endpoint.Processes (copied into a content tree of their own in the bench folder), against the flagship
 *   alone.
 * - `--memory` adds peak RSS for EVTX, XML and JSON inputs from 100 MB to `--memory-max` (default 2048) MB,
 *   deleted after (one run each).
 * - `--quick` is the CI regression guard (bench/guard.ts).
 * Results also go to node_modules/.cache/winnow-bench/results.{md,json}.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, totalmem } from "node:os";
import { join } from "node:path";
import { loadContent } from "../src/content/index.js";
import { buildCli } from "./build-cli.js";
import { runGuard } from "./guard.js";
import {
  benchDir,
  buildEvtx,
  buildJson,
  buildXml,
  CACHE,
  DATA,
  REPO,
  removeInput,
  SHARED,
} from "./inputs.js";
import { measure, median, type Sample } from "./measure.js";

const FLAGSHIP = "Remote Process Instantiation via WinRM and Winrs";

function flag(name: string): boolean {
  return process.argv.includes(name);
}
function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} needs a positive number`);
  return v;
}

interface Row {
  name: string;
  input: string;
  bytes: number;
  events?: number;
  /** Medians (peak RSS: the largest), filled in by `measureAll`. */
  s: Sample;
  f: () => Sample;
  samples: Sample[];
}

/** Round i runs every row's command once, in row order; then each row gets its medians. */
function measureAll(rows: Row[], runs: number): void {
  for (let i = 0; i < runs; i++) {
    for (const r of rows) {
      process.stderr.write(`[${i + 1}/${runs}] ${r.name}…\n`);
      r.samples.push(r.f());
    }
  }
  for (const r of rows) {
    r.s = {
      wall: median(r.samples.map((x) => x.wall)),
      cpu: median(r.samples.map((x) => x.cpu)),
      rss: Math.max(...r.samples.map((x) => x.rss)),
    };
  }
}

/**
 * A content tree holding the ESCU detections that read Endpoint.Processes and no other data model (not
 * deprecated), with all of ESCU's macros and lookups. Returns its path and how many detection files it has.
 */
function processesTree(escu: string): { dir: string; files: number } {
  const dir = join(benchDir(), "escu-endpoint-processes");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "detections"), { recursive: true });
  for (const part of ["macros", "lookups"]) cpSync(join(escu, part), join(dir, part), { recursive: true });
  const picked = loadContent([escu], { builtin: false }).detections.filter(
    (d) =>
      d.status !== "deprecated" &&
      d.datamodels.length > 0 &&
      d.datamodels.every((m) => m === "Endpoint.Processes"),
  );
  picked.forEach((d, i) => {
    cpSync(d.file, join(dir, "detections", `${String(i).padStart(4, "0")}.yml`));
  });
  return { dir, files: picked.length };
}

const MB = 1e6;
const WC_COPIES = 20;
const fmt = (n: number, d = 1) =>
  n.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });

function statsEvents(
  cli: string,
  file: string,
  extra: string[] = [],
): { events: number; detections: number } {
  const out = join(benchDir(), "stats.json");
  const r = spawnSync(process.execPath, [
    cli,
    "hunt",
    file,
    "--quiet",
    "--no-progress",
    "-f",
    "jsonl",
    "-o",
    "/dev/null",
    "--stats-json",
    out,
    ...extra,
  ]);
  if (r.status !== 0 && r.status !== 1) throw new Error(`winnow hunt failed: ${r.stderr}`);
  const stats: unknown = JSON.parse(readFileSync(out, "utf8"));
  if (typeof stats !== "object" || stats === null || !("totals" in stats)) throw new Error("bad stats-json");
  const t = stats.totals as { events: number; detections_run: number };
  return { events: t.events, detections: t.detections_run };
}

async function main(): Promise<void> {
  if (flag("--quick")) {
    process.exitCode = await runGuard();
    return;
  }
  // The references run minutes into the bench: a machine without them is told so now, not after Winnow's rows.
  const missing = ["evtxexport", "evtx_dump.py", "wc"].filter(
    (cmd) => spawnSync("sh", ["-c", `command -v ${cmd}`]).status !== 0,
  );
  if (missing.length > 0) {
    process.stderr.write(
      `bench: the references ${missing.join(", ")} are not installed (Debian: apt-get install libevtx-utils python3-evtx)\n`,
    );
    process.exitCode = 2;
    return;
  }
  const runs = option("--runs", 3);
  const size = option("--size", 100) * MB;
  const small = option("--small", 16) * MB;
  const cli = await buildCli();
  const node = process.execPath;
  const hunt =
    (file: string, ...extra: string[]) =>
    () =>
      measure(node, [cli, "hunt", file, "--quiet", "--no-progress", "-f", "jsonl", ...extra]);

  process.stderr.write("building inputs…\n");
  const evtx = buildEvtx(size);
  const evtxSmall = buildEvtx(small);
  const xml = buildXml(size, cli);
  const json = buildJson(size);
  const tiny = join(DATA, "evtx-attack-samples/LM_PowershellRemoting_sysmon_1_wsmprovhost.evtx");
  const bytes = (p: string) => statSync(p).size;
  const ev = {
    evtx: statsEvents(cli, evtx).events,
    evtxSmall: statsEvents(cli, evtxSmall).events,
    xml: statsEvents(cli, xml).events,
    json: statsEvents(cli, json).events,
  };
  const escuDir = join(SHARED, "content/security_content");
  const escu = ["--content", escuDir];
  const escuDetections = statsEvents(cli, tiny, escu).detections;
  const procTree = processesTree(escuDir);
  const procs = ["--no-pack", "--content", procTree.dir];
  const procDetections = statsEvents(cli, tiny, procs).detections;
  const loadStart = readFileSync("/proc/loadavg", "utf8").trim();

  const rows: Row[] = [];
  const none: Sample = { wall: Number.NaN, cpu: Number.NaN, rss: Number.NaN };
  const run = (name: string, input: string, events: number | undefined, f: () => Sample) => {
    rows.push({ name, input, bytes: input === "" ? 0 : bytes(input), events, s: none, f, samples: [] });
    return rows[rows.length - 1];
  };

  const startup = run("winnow startup (hunt, 1 event)", tiny, 1, hunt(tiny, "--workers", "1"));
  const w1 = run("winnow hunt EVTX, 1 worker", evtx, ev.evtx, hunt(evtx, "--workers", "1"));
  const w2 = run("winnow hunt EVTX, 2 workers", evtx, ev.evtx, hunt(evtx, "--workers", "2"));
  const flagOnly = run(
    "winnow hunt EVTX, flagship only",
    evtx,
    ev.evtx,
    hunt(evtx, "--workers", "1", "--no-pack", "-d", FLAGSHIP),
  );
  const allEscu = run(
    `winnow hunt EVTX, + ESCU (${escuDetections} detections)`,
    evtx,
    ev.evtx,
    hunt(evtx, "--workers", "1", ...escu),
  );
  const escuProcs = run(
    `winnow hunt EVTX, ESCU Endpoint.Processes only (${procDetections} detections, no pack)`,
    evtx,
    ev.evtx,
    hunt(evtx, "--workers", "1", ...procs),
  );
  const allEscu2 = run(
    `winnow hunt EVTX, + ESCU, 2 workers`,
    evtx,
    ev.evtx,
    hunt(evtx, "--workers", "2", ...escu),
  );
  const ws = run(
    "winnow hunt EVTX small, 1 worker",
    evtxSmall,
    ev.evtxSmall,
    hunt(evtxSmall, "--workers", "1"),
  );
  const ws2 = run(
    "winnow hunt EVTX small, 2 workers",
    evtxSmall,
    ev.evtxSmall,
    hunt(evtxSmall, "--workers", "2"),
  );
  const libevtxBig = run("evtxexport (libevtx)", evtx, ev.evtx, () => measure("evtxexport", [evtx]));
  const libevtx = run("evtxexport (libevtx), small", evtxSmall, ev.evtxSmall, () =>
    measure("evtxexport", [evtxSmall]),
  );
  const pyevtx = run("evtx_dump.py (python-evtx)", evtxSmall, ev.evtxSmall, () =>
    measure("evtx_dump.py", [evtxSmall]),
  );
  const wx = run("winnow hunt XML", xml, ev.xml, hunt(xml, "--workers", "1"));
  // wc -l reads 100 MB in ~20 ms, /usr/bin/time's resolution: it counts the file WC_COPIES times over.
  const wc = run(`wc -l XML (the file ${WC_COPIES} times)`, xml, ev.xml * WC_COPIES, () =>
    measure("wc", ["-l", ...Array<string>(WC_COPIES).fill(xml)]),
  );
  wc.bytes *= WC_COPIES;
  const wj = run("winnow hunt JSON", json, ev.json, hunt(json, "--workers", "1"));
  const jp = run("JSON.parse loop", json, ev.json, () =>
    measure(node, [join(REPO, "bench/json-parse-loop.mjs"), json]),
  );
  const both = run("winnow hunt EVTX+XML+JSON, 1 worker", "", ev.evtx + ev.xml + ev.json, () =>
    measure(node, [
      cli,
      "hunt",
      evtx,
      xml,
      json,
      "--quiet",
      "--no-progress",
      "-f",
      "jsonl",
      "--workers",
      "1",
    ]),
  );
  both.bytes = bytes(evtx) + bytes(xml) + bytes(json);
  const both2 = run("winnow hunt EVTX+XML+JSON, 2 workers", "", ev.evtx + ev.xml + ev.json, () =>
    measure(node, [
      cli,
      "hunt",
      evtx,
      xml,
      json,
      "--quiet",
      "--no-progress",
      "-f",
      "jsonl",
      "--workers",
      "2",
    ]),
  );
  both2.bytes = both.bytes;
  measureAll(rows, runs);

  process.stderr.write("filter gain…\n");
  const gainOut = spawnSync(
    node,
    ["--import", "tsx", join(REPO, "bench/filter-gain.ts"), String(runs), evtx, xml],
    {
      encoding: "utf8",
      cwd: REPO,
    },
  );
  const gain = JSON.parse(gainOut.stdout) as Record<
    string,
    { bytes: number; filtered: number; full: number; producedFiltered: number; producedFull: number }
  >;

  const memory: { format: string; mb: number; workers: number; s: Sample }[] = [];
  if (flag("--memory")) {
    const kinds = [
      { format: "EVTX", build: (b: number) => buildEvtx(b), keep: evtx, workers: [1, 2] },
      { format: "XML", build: (b: number) => buildXml(b, cli), keep: xml, workers: [1] },
      { format: "JSON", build: (b: number) => buildJson(b), keep: json, workers: [1] },
    ];
    for (const k of kinds) {
      for (const mb of [100, 500, 1000, 2000].filter((m) => m <= option("--memory-max", 2048))) {
        const f = k.build(mb * MB);
        for (const workers of k.workers) {
          process.stderr.write(`memory ${k.format} ${mb} MB, ${workers} worker(s)…\n`);
          memory.push({ format: k.format, mb, workers, s: hunt(f, "--workers", String(workers))() });
        }
        if (f !== k.keep) removeInput(f);
      }
    }
  }

  // ---- report ----
  const mbps = (r: Row, t: number) => (r.bytes > 0 ? r.bytes / MB / t : Number.NaN);
  const lines: string[] = [];
  lines.push(`| run | input MB | events | wall s | MB/s | CPU s | MB/s per CPU-s | events/s | peak RSS MB |`);
  lines.push(`|---|---:|---:|---:|---:|---:|---:|---:|---:|`);
  for (const r of rows) {
    lines.push(
      `| ${r.name} | ${fmt(r.bytes / MB)} | ${r.events?.toLocaleString("en-US") ?? ""} | ${fmt(r.s.wall, 2)} | ${fmt(mbps(r, r.s.wall))} | ${fmt(r.s.cpu, 2)} | ${fmt(mbps(r, r.s.cpu))} | ${r.events === undefined ? "" : Math.round(r.events / r.s.wall).toLocaleString("en-US")} | ${fmt(r.s.rss / 2 ** 20, 0)} |`,
    );
  }
  const ratio = (a: number, b: number) => `${fmt(a / b, 2)}×`;
  const steady = (r: Row) => r.bytes / MB / Math.max(0.001, r.s.cpu - startup.s.cpu);
  const goals: string[] = [];
  goals.push(`| goal | measured (wall) | measured (CPU) | target |`);
  goals.push(`|---|---:|---:|---|`);
  goals.push(
    `| EVTX vs evtxexport (same ${fmt(w1.bytes / MB)} MB file, 1 worker) | ${ratio(libevtxBig.s.wall, w1.s.wall)} | ${ratio(libevtxBig.s.cpu, w1.s.cpu)} | ≥ 10× |`,
  );
  goals.push(
    `| EVTX vs evtxexport (same ${fmt(w1.bytes / MB)} MB file, 2 workers) | ${ratio(libevtxBig.s.wall, w2.s.wall)} | ${ratio(libevtxBig.s.cpu, w2.s.cpu)} | ≥ 10× |`,
  );
  goals.push(
    `| EVTX vs evtxexport (same ${fmt(ws.bytes / MB)} MB file, 1 worker) | ${ratio(libevtx.s.wall, ws.s.wall)} | ${ratio(libevtx.s.cpu, ws.s.cpu)} | ≥ 10× |`,
  );
  goals.push(
    `| EVTX vs evtxexport (${fmt(ws.bytes / MB)} MB, 2 workers) | ${ratio(libevtx.s.wall, ws2.s.wall)} | ${ratio(libevtx.s.cpu, ws2.s.cpu)} | ≥ 10× |`,
  );
  goals.push(
    `| EVTX vs evtx_dump.py (same file, 1 worker) | ${ratio(pyevtx.s.wall, ws.s.wall)} | ${ratio(pyevtx.s.cpu, ws.s.cpu)} | ≥ 100× |`,
  );
  goals.push(
    `| EVTX MB/s per core, ${fmt(w1.bytes / MB, 0)} MB, end to end (steady state: startup CPU taken off) | ${fmt(mbps(w1, w1.s.wall))} | ${fmt(mbps(w1, w1.s.cpu))} (${fmt(steady(w1))}) | ≥ 100 |`,
  );
  goals.push(
    `| EVTX speed-up 1 → 2 workers | ${ratio(w1.s.wall, w2.s.wall)} | CPU cost ${ratio(w2.s.cpu, w1.s.cpu)} | ~2× on an idle 2-core machine |`,
  );
  goals.push(
    `| EVTX+XML+JSON speed-up 1 → 2 workers (files in parallel) | ${ratio(both.s.wall, both2.s.wall)} | CPU cost ${ratio(both2.s.cpu, both.s.cpu)} | |`,
  );
  goals.push(
    `| XML MB/s per core, end to end (steady state) | ${fmt(mbps(wx, wx.s.wall))} | ${fmt(mbps(wx, wx.s.cpu))} (${fmt(steady(wx))}) | ≥ 150 |`,
  );
  goals.push(
    `| XML: wc -l MB/s (ceiling) | ${fmt(mbps(wc, wc.s.wall))} | ${fmt(mbps(wc, Math.max(wc.s.cpu, 0.01)))} | |`,
  );
  goals.push(
    `| JSON: Winnow time ÷ JSON.parse loop time | ${ratio(wj.s.wall, jp.s.wall)} | ${ratio(wj.s.cpu, jp.s.cpu)} | ≤ 2× |`,
  );
  goals.push(
    `| all ESCU (${escuDetections} detections) vs flagship alone: throughput | ${ratio(flagOnly.s.wall, allEscu.s.wall)} | ${ratio(flagOnly.s.cpu, allEscu.s.cpu)} | cost far below ${escuDetections}× |`,
  );
  goals.push(
    `| ESCU Endpoint.Processes (${procDetections} detections) vs flagship alone: throughput | ${ratio(flagOnly.s.wall, escuProcs.s.wall)} | ${ratio(flagOnly.s.cpu, escuProcs.s.cpu)} | cost far below ${procDetections}× |`,
  );
  goals.push(`| all ESCU, 2 workers vs 1 | ${ratio(allEscu.s.wall, allEscu2.s.wall)} | | |`);
  for (const [file, g] of Object.entries(gain)) {
    const kind = file.endsWith(".evtx") ? "EVTX" : "XML";
    goals.push(
      `| filter gain, ${kind} reader (flagship filter vs none; ${g.producedFiltered.toLocaleString("en-US")} of ${g.producedFull.toLocaleString("en-US")} events produced) | | ${ratio(g.full, g.filtered)} (${fmt(g.bytes / MB / g.full)} → ${fmt(g.bytes / MB / g.filtered)} MB/s) | |`,
    );
  }
  const mem: string[] = [];
  if (memory.length > 0) {
    mem.push(`| input | input MB | workers | wall s | MB/s | CPU s | MB/s per CPU-s | peak RSS MB |`);
    mem.push(`|---|---:|---:|---:|---:|---:|---:|---:|`);
    for (const m of memory)
      mem.push(
        `| ${m.format} | ${m.mb} | ${m.workers} | ${fmt(m.s.wall, 2)} | ${fmt(m.mb / m.s.wall)} | ${fmt(m.s.cpu, 2)} | ${fmt(m.mb / m.s.cpu)} | ${fmt(m.s.rss / 2 ** 20, 0)} |`,
      );
  }
  const machine = `${availableParallelism()} cores (${cpus()[0]?.model ?? "?"}), ${fmt(totalmem() / 2 ** 30, 1)} GiB RAM, Node ${process.version}, load average at the start ${loadStart}, at the end ${readFileSync("/proc/loadavg", "utf8").trim()}`;
  const md = [
    `Machine: ${machine}. Medians of ${runs} runs (peak RSS: the largest).`,
    "",
    ...lines,
    "",
    ...goals,
    ...(mem.length > 0 ? ["", ...mem] : []),
  ].join("\n");
  console.log(md);
  writeFileSync(join(CACHE, "results.md"), `${md}\n`);
  writeFileSync(
    join(CACHE, "results.json"),
    `${JSON.stringify({ machine, runs, rows, gain, memory }, null, 2)}\n`,
  );
}

await main();

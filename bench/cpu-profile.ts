/**
 * Where `hunt` spends its time: runs the bundled CLI (bench/build-cli.ts) under `node --cpu-prof` over a bench
 * input, one reader thread (everything on the main thread, so one profile), built-in content, rows to
 * /dev/null, and prints the functions with the most self time, and self time by source module (the bundle's
 * lines are mapped back to their module through esbuild's `// src/…` markers).
 *
 *   node --import tsx bench/cpu-profile.ts [evtx|xml|json] [--size MB] [--top N]
 *
 * The profile is kept in node_modules/.cache/winnow-bench/profile/ (open it in Chrome DevTools).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { buildCli } from "./build-cli.js";
import { buildEvtx, buildJson, buildXml, CACHE } from "./inputs.js";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
}

const kind = ["evtx", "xml", "json"].find((k) => process.argv.includes(k)) ?? "evtx";
const bytes = option("--size", 100) * 1e6;
const top = option("--top", 20);
const cli = await buildCli();
const input = kind === "evtx" ? buildEvtx(bytes) : kind === "xml" ? buildXml(bytes, cli) : buildJson(bytes);
const dir = join(CACHE, "profile");
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const args = ["--cpu-prof", "--cpu-prof-dir", dir, cli, "hunt", input, "--workers", "1", "--quiet"];
args.push("--no-progress", "-f", "jsonl", "-o", "/dev/null");
try {
  execFileSync(process.execPath, args, { stdio: "inherit" });
} catch (e) {
  if ((e as { status?: number }).status !== 1) throw e; // 1: findings
}
const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
if (file === undefined) throw new Error("no .cpuprofile written");
const prof = JSON.parse(readFileSync(join(dir, file), "utf8")) as Profile;

const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
prof.samples.forEach((id, i) => {
  self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0));
});
const total = [...self.values()].reduce((a, b) => a + b, 0);

// esbuild starts each module of a bundle file with a `// <path>` comment line: bundle line → module. The
// bundle is split (scripts/build.mjs), so every file of its folder has markers of its own.
const markersOf = new Map<string, { line: number; module: string }[]>();
const markers = (file: string) => {
  let found = markersOf.get(file);
  if (found !== undefined) return found;
  found = [];
  const list = found;
  readFileSync(file, "utf8")
    .split("\n")
    .forEach((l, i) => {
      const m = /^\/\/ ((?:src|node_modules)\/\S+)$/.exec(l);
      if (m) list.push({ line: i, module: m[1]! });
    });
  markersOf.set(file, found);
  return found;
};
const moduleAt = (file: string, line: number) => {
  const list = markers(file);
  let lo = 0;
  let hi = list.length - 1;
  let found = "bundle preamble";
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.line <= line) {
      found = list[mid]!.module;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
};
const bundleDir = `file://${dirname(cli)}/`;
const source = (url: string, line: number) =>
  url.startsWith(bundleDir) && !url.slice(bundleDir.length).includes("/")
    ? moduleAt(url.replace(/^file:\/\//, ""), line)
    : url.replace(/^file:\/\//, "").replace(/^.*\/(node_modules|src)\//, "$1/");
/** A coarse area for a module (first match wins). */
const AREAS: [RegExp, string][] = [
  [/^src\/ingest\/evtx\//, "EVTX decoding (src/ingest/evtx)"],
  [/^src\/ingest\//, "other readers (src/ingest: XML, JSON, text, containers)"],
  [/^src\/normalize\//, "normalization (src/normalize)"],
  [/^src\/spl\//, "searches (src/spl)"],
  [/^src\/(content|cli)\/|^node_modules\//, "content loading, CLI, packages"],
  [/^src\//, "engine and the rest of src/"],
  [
    /^node:internal\/(modules|bootstrap|deps\/cjs-module-lexer|url)|^wrapSafe|^compile/,
    "Node module loading",
  ],
  [/^\(garbage collector\)$/, "GC"],
  [/^\((idle|program)\)$/, "(idle) + (program)"],
];
const areaOf = (m: string) =>
  AREAS.find(([re]) => re.test(m))?.[1] ?? "Node built-ins (buffer, zlib crc32, fs, …)";
const fn = new Map<string, number>();
const mod = new Map<string, number>();
const area = new Map<string, number>();
for (const [id, us] of self) {
  const f = byId.get(id)!.callFrame;
  const name = f.functionName === "" ? "(anonymous)" : f.functionName;
  const where = f.url === "" ? "" : ` ${source(f.url, f.lineNumber)}`;
  fn.set(`${name}${where}`, (fn.get(`${name}${where}`) ?? 0) + us);
  const m = f.url === "" ? name : source(f.url, f.lineNumber);
  mod.set(m, (mod.get(m) ?? 0) + us);
  area.set(areaOf(m), (area.get(areaOf(m)) ?? 0) + us);
}
const print = (title: string, m: Map<string, number>) => {
  console.log(`| ${title} | self ms | % |\n|---|---:|---:|`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`| \`${k}\` | ${(us / 1000).toFixed(0)} | ${((100 * us) / total).toFixed(1)} |`);
  console.log("");
};
console.log(`${kind} input ${input}: ${(total / 1e6).toFixed(2)} s sampled (${join(dir, file)})\n`);
print("area (self time)", area);
print("function (self time)", fn);
print("script (self time)", mod);

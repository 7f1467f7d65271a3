/**
 * One large EVTX input, side by side: `winnow hunt --workers 1`, `--workers 2` and (with `--evtxexport`)
 * libevtx's `evtxexport`, interleaved for N rounds (evtxexport once: at ~15 MB/s it is the slow one). For the
 * 1 → 2 worker speed-up and the evtxexport ratio once start-up no longer counts. The input is deleted after.
 *
 *   node --import tsx bench/big-evtx.ts <MB> <rounds> [--evtxexport]
 */
import { readFileSync } from "node:fs";
import { buildCli } from "./build-cli.js";
import { buildEvtx, removeInput } from "./inputs.js";
import { measure, median, type Sample } from "./measure.js";

const mb = Number(process.argv[2]);
const rounds = Number(process.argv[3]);
if (!(mb > 0 && rounds > 0)) throw new Error("usage: big-evtx.ts <MB> <rounds> [--evtxexport]");
const cli = await buildCli();
const file = buildEvtx(mb * 1e6);
const load = () => readFileSync("/proc/loadavg", "utf8").trim().split(" ").slice(0, 3).join(" ");
const runs: Record<string, Sample[]> = { "winnow 1 worker": [], "winnow 2 workers": [], evtxexport: [] };
const hunt = (w: string) =>
  measure(process.execPath, [cli, "hunt", file, "--quiet", "--no-progress", "-f", "jsonl", "--workers", w]);
const note = (k: string, s: Sample) => {
  runs[k]!.push(s);
  console.log(
    `${k}: wall ${s.wall} s, CPU ${s.cpu.toFixed(2)} s, peak RSS ${(s.rss / 2 ** 20).toFixed(0)} MB (load ${load()})`,
  );
};
try {
  for (let i = 0; i < rounds; i++) {
    note("winnow 1 worker", hunt("1"));
    note("winnow 2 workers", hunt("2"));
    if (i === 0 && process.argv.includes("--evtxexport")) note("evtxexport", measure("evtxexport", [file]));
  }
} finally {
  removeInput(file);
}
const m = (k: string, f: "wall" | "cpu") => median(runs[k]!.map((s) => s[f]));
const [w1, w2] = ["winnow 1 worker", "winnow 2 workers"];
console.log(
  `${mb} MB, medians of ${rounds}: speed-up 1 → 2 workers ${(m(w1, "wall") / m(w2, "wall")).toFixed(2)}× (wall), CPU ${m(w1, "cpu").toFixed(2)} → ${m(w2, "cpu").toFixed(2)} s`,
);
if (runs.evtxexport!.length > 0)
  console.log(
    `evtxexport ÷ winnow: 1 worker ${(m("evtxexport", "wall") / m(w1, "wall")).toFixed(2)}× wall, ${(m("evtxexport", "cpu") / m(w1, "cpu")).toFixed(2)}× CPU; 2 workers ${(m("evtxexport", "wall") / m(w2, "wall")).toFixed(2)}× wall`,
  );

/**
 * The filter's gain, in process: each input is read by `readInputs` with the flagship's EventFilter (Sysmon 1,
 * Security 4688: everything else is counted but not decoded past its header in EVTX, not produced by the text
 * readers) and without one. Prints one JSON object: per file, CPU seconds (median of N) both ways.
 *
 *   node --import tsx bench/filter-gain.ts <runs> <file>...
 */
import { statSync } from "node:fs";
import { readInputs } from "../src/ingest/read-inputs.js";
import type { EventFilter } from "../src/ingest/types.js";
import { findMapping, SOURCE_MAPPINGS } from "../src/normalize/registry.js";
import { median } from "./measure.js";

const processes = SOURCE_MAPPINGS.filter((m) => m.dataset === "Endpoint.Processes");
const flagship: EventFilter = (p, c, id) => findMapping(processes, p, c, id) !== undefined;

async function cpuSeconds(
  file: string,
  filter: EventFilter | undefined,
): Promise<{ cpu: number; produced: number }> {
  const c0 = process.cpuUsage();
  let produced = 0;
  const input = readInputs([file], { filter, report: () => {} });
  let next = await input.next();
  while (next.done !== true) {
    produced += next.value.length;
    next = await input.next();
  }
  const c = process.cpuUsage(c0);
  return { cpu: (c.user + c.system) / 1e6, produced };
}

const runs = Number(process.argv[2]);
const out: Record<
  string,
  { bytes: number; filtered: number; full: number; producedFiltered: number; producedFull: number }
> = {};
for (const file of process.argv.slice(3)) {
  await cpuSeconds(file, flagship); // warm-up
  const f: number[] = [];
  const a: number[] = [];
  let pf = 0;
  let pa = 0;
  for (let i = 0; i < runs; i++) {
    const x = await cpuSeconds(file, flagship);
    const y = await cpuSeconds(file, undefined);
    f.push(x.cpu);
    a.push(y.cpu);
    pf = x.produced;
    pa = y.produced;
  }
  out[file] = {
    bytes: statSync(file).size,
    filtered: median(f),
    full: median(a),
    producedFiltered: pf,
    producedFull: pa,
  };
}
console.log(JSON.stringify(out));

/**
 * EVTX reader throughput on the largest shared files: MB/s and records/s, full decode and with a filter
 * that keeps only Sysmon 1 / Security 4688. Best of N runs after a warm-up; files are read from disk
 * (page cache) through `readEvtx(path)`, as `winnow hunt` does.
 *
 *   node --import tsx scripts/oracle/evtx-throughput.ts [runs]
 */
import { statSync } from "node:fs";
import { readEvtx } from "../../src/ingest/evtx/index.js";
import type { EventFilter } from "../../src/ingest/types.js";

const FILES = [
  "../shared/data/dfir-artifact-museum/Win10_APTSimulatorVM_Security.evtx",
  "../shared/data/dfir-artifact-museum/Win10_APTSimulatorVM_Microsoft-Windows-Sysmon%4Operational.evtx",
  "../shared/data/evtx-rs-samples/security.evtx",
  "../shared/data/evtx-rs-samples/sysmon.evtx",
];

const processCreation: EventFilter = (provider, channel, eventId) =>
  (eventId === 1 && (provider.includes("Sysmon") || channel.includes("Sysmon"))) ||
  (eventId === 4688 && (provider.includes("Security") || channel.includes("Security")));

async function once(
  file: string,
  filter?: EventFilter,
): Promise<{ ms: number; records: number; kept: number }> {
  const t0 = performance.now();
  let kept = 0;
  const gen = readEvtx(file, { file, report: () => {}, filter });
  let r = await gen.next();
  while (!r.done) {
    kept += r.value.length;
    r = await gen.next();
  }
  return { ms: performance.now() - t0, records: r.value.events, kept };
}

const runs = Number(process.argv[2] ?? 7);
let totalBytes = 0;
const totals = { full: 0, filtered: 0, records: 0 };
for (const file of FILES) {
  const bytes = statSync(file).size;
  await once(file);
  for (const [label, filter] of [
    ["full", undefined],
    ["filtered", processCreation],
  ] as const) {
    let best = Number.POSITIVE_INFINITY;
    let records = 0;
    let kept = 0;
    for (let i = 0; i < runs; i++) {
      const r = await once(file, filter);
      if (r.ms < best) best = r.ms;
      records = r.records;
      kept = r.kept;
    }
    totals[label] += best;
    if (label === "full") totals.records += records;
    const mbs = bytes / 1e6 / (best / 1000);
    console.log(
      `${file.split("/").pop()} ${label}: ${(bytes / 1e6).toFixed(2)} MB, ${records} records (${kept} produced), ` +
        `${best.toFixed(1)} ms, ${mbs.toFixed(1)} MB/s, ${Math.round(records / (best / 1000))} records/s`,
    );
  }
  totalBytes += bytes;
}
for (const label of ["full", "filtered"] as const) {
  console.log(
    `ALL ${label}: ${(totalBytes / 1e6 / (totals[label] / 1000)).toFixed(1)} MB/s, ` +
      `${Math.round(totals.records / (totals[label] / 1000))} records/s`,
  );
}

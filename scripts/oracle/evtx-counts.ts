/** Prints record counts, Sysmon 1 / 4688 counts and diagnostics for every .evtx under a folder (dev aid). */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { formatDiagnostic } from "../../src/diag/diagnostic.js";
import { readEvtx } from "../../src/ingest/evtx/index.js";

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith(".evtx")) out.push(p);
  }
  return out;
}

const root = process.argv[2] ?? "../shared/data";
const verbose = process.argv.includes("-v");
for (const file of walk(root, [])) {
  const diags: string[] = [];
  let s1 = 0;
  let p4688 = 0;
  let produced = 0;
  const gen = readEvtx(file, { file, report: (d) => diags.push(formatDiagnostic(d)) });
  let r = await gen.next();
  while (!r.done) {
    for (const e of r.value) {
      produced++;
      if (e.eventId === 1 && (e.provider.includes("Sysmon") || e.channel.includes("Sysmon"))) s1++;
      if (e.eventId === 4688 && (e.provider.includes("Security") || e.channel.includes("Security"))) p4688++;
    }
    r = await gen.next();
  }
  const c = r.value;
  console.log(
    `${file}: events ${c.events} produced ${produced} malformed ${c.malformed} recovered ${c.recovered} S1 ${s1} 4688 ${p4688} diags ${diags.length}`,
  );
  for (const d of verbose ? diags : diags.slice(0, 3)) console.log(`   ${d}`);
}

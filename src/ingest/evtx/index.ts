/**
 * EVTX reader entry point. Placeholder until the BinXML parser lands (issue 3): every EVTX input is
 * reported as not yet readable — never skipped silently — and the run goes on with the other files.
 */
import type { ReadCounts, Reader, ReaderContext } from "../types.js";

export const EVTX_MAGIC = "ElfFile\0";

// biome-ignore lint/correctness/useYield: placeholder reader that yields nothing by design
export async function* readEvtx(source: string | Buffer, ctx: ReaderContext): Reader {
  void source;
  ctx.report({
    code: "file-unsupported-format",
    severity: "error",
    message: "EVTX files are not yet readable by this build",
    file: ctx.file,
  });
  const counts: ReadCounts = { events: 0, malformed: 0 };
  return counts;
}

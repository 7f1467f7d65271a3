/**
 * One 64 KiB block of the file after the header → a decoded chunk, nothing, or a report.
 *
 * - "ElfChnk\0" signature: a chunk; decode it (a short block is a truncated file: decode what is there
 *   and report `evtx-truncated`).
 * - All zero: unused, pre-allocated space. Nothing to say.
 * - Anything else: not a chunk. Reported once as `evtx-chunk-damaged` and skipped.
 */
import type { Diagnostic } from "../../diag/diagnostic.js";
import { CHUNK_SIZE, type ChunkInput, type ChunkResult, decodeChunk, hasChunkMagic } from "./chunk.js";

export interface BlockResult extends ChunkResult {
  /** Events recovered from damaged chunks (included in `read`). */
  recovered: number;
}

export function decodeBlock(bytes: Buffer, input: ChunkInput): BlockResult {
  const diagnostics: Diagnostic[] = [];
  const where = { file: input.file, chunk: input.index, offset: input.fileOffset };
  if (bytes.length < CHUNK_SIZE && !isAllZero(bytes)) {
    diagnostics.push({
      code: "evtx-truncated",
      severity: "warning",
      message: `file ends ${bytes.length} bytes into a ${CHUNK_SIZE}-byte chunk`,
      ...where,
    });
  }
  if (hasChunkMagic(bytes)) {
    const r = decodeChunk(bytes, input);
    return { ...r, diagnostics: [...diagnostics, ...r.diagnostics], recovered: 0 };
  }
  if (!isAllZero(bytes)) {
    diagnostics.push({
      code: "evtx-chunk-damaged",
      severity: "warning",
      message: `64 KiB block has no "ElfChnk" signature (found ${describeMagic(bytes)}); skipped`,
      ...where,
    });
  }
  return { events: [], diagnostics, read: 0, malformed: 0, recovered: 0 };
}

function isAllZero(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

function describeMagic(b: Buffer): string {
  return b.subarray(0, 8).toString("hex").replace(/(..)/g, "$1 ").trim();
}

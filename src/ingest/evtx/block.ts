/**
 * One 64 KiB block of the file after the header → a decoded chunk, nothing, or a report.
 *
 * - "ElfChnk\0" signature: a chunk; decode it (a short block is a truncated file: decode what is there
 *   and report `evtx-truncated`).
 * - All zero: unused, pre-allocated space. Nothing to say.
 * - Anything else: a chunk whose header is gone (wiped or overwritten) or leftovers of an older file.
 *   Records still in it are recovered by their signature where their templates survive; the block is
 *   reported once as `evtx-chunk-damaged` with how many were recovered and how many were not.
 */
import type { Diagnostic } from "../../diag/diagnostic.js";
import { CHUNK_SIZE, type ChunkInput, type ChunkResult, decodeChunk, hasChunkMagic } from "./chunk.js";

export function decodeBlock(bytes: Buffer, input: ChunkInput): ChunkResult {
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
    return { ...r, diagnostics: [...diagnostics, ...r.diagnostics] };
  }
  if (isAllZero(bytes)) return { events: [], diagnostics, read: 0, malformed: 0, recovered: 0 };
  const r = decodeChunk(bytes, { ...input, recovering: true });
  return { ...r, diagnostics: [...diagnostics, ...r.diagnostics] };
}

function isAllZero(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

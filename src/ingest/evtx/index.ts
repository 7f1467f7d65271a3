/**
 * EVTX reader entry point: file (or in-memory archive member) → batches of `WinEvent`, one per chunk.
 *
 * Design notes:
 * - Streaming: a path is read through a file handle in groups of 16 chunks (1 MiB), the next group while this
 *   one is decoded; memory stays bounded (two groups) whatever the file size. A Buffer is sliced, never copied.
 * - The file header's chunk count is never trusted: every 64 KiB block after the 4 KiB header is
 *   inspected and decoded if it carries the "ElfChnk\0" signature. All-zero blocks (pre-allocated
 *   space) are skipped silently; other blocks are damaged chunks or leftovers (see `block.ts`).
 * - Each chunk is decoded by `decodeChunk`, a pure function of its bytes; diagnostics it collects are
 *   passed to `ctx.report` in order.
 */
import { open } from "node:fs/promises";
import type { ReadCounts, Reader, ReaderContext } from "../types.js";
import { decodeBlock } from "./block.js";
import { CHUNK_SIZE } from "./chunk.js";
import { FILE_HEADER_SIZE, parseFileHeader } from "./file-header.js";

export const EVTX_MAGIC = "ElfFile\0";

/** Chunks read per file read: 16 × 64 KiB. */
const CHUNKS_PER_READ = 16;

/**
 * A byte range of an EVTX file on disk, for reading one file on several threads: `from` is 0 (the header
 * and the chunks after it) or the offset of a chunk; `to` ends the range (exclusive). `checksums` is what the
 * file header says (`evtxChecksums`), for ranges that do not start with the header.
 */
export interface EvtxRange {
  from: number;
  to: number;
  checksums: boolean;
}

/**
 * `tally`, when given, is the counts object the reader keeps up to date as it goes (and returns), so that a
 * caller that stops it part-way still knows what was read. `ctx.stopped()` is asked before each chunk.
 */
export async function* readEvtx(
  source: string | Buffer,
  ctx: ReaderContext,
  range?: EvtxRange,
  tally?: ReadCounts,
): Reader {
  const counts: ReadCounts = tally ?? { events: 0, malformed: 0, recovered: 0 };
  counts.recovered ??= 0;
  const blocks =
    typeof source === "string"
      ? fileBlocks(source, ctx, range?.from ?? 0, range?.to ?? Number.POSITIVE_INFINITY)
      : bufferBlocks(source);
  let headerSeen = range !== undefined && range.from > 0;
  let checksums = range?.checksums ?? true;
  for await (const { offset, bytes } of blocks) {
    if (!headerSeen) {
      headerSeen = true;
      checksums = checkHeader(bytes, ctx);
      continue;
    }
    if (ctx.stopped?.() === true) break;
    const index = (offset - FILE_HEADER_SIZE) / CHUNK_SIZE;
    const r = decodeBlock(bytes, {
      file: ctx.file,
      index,
      fileOffset: offset,
      filter: ctx.filter,
      checksums,
      ...(ctx.carveSlack === true ? { carveSlack: true } : {}),
    });
    for (const d of r.diagnostics) ctx.report(d);
    counts.events += r.read;
    counts.malformed += r.malformed;
    counts.recovered = (counts.recovered ?? 0) + r.recovered;
    if (r.events.length > 0) yield r.events;
  }
  return counts;
}

interface Block {
  offset: number;
  bytes: Buffer;
}

/** Whether chunk checksums should be verified, from the file header's first bytes (as `checkHeader` decides). */
export function evtxChecksums(header: Buffer): boolean {
  const h = parseFileHeader(header);
  if (!h.valid || header.length < FILE_HEADER_SIZE) return true;
  return (h.flags & 0x4) === 0;
}

/** Reports a damaged header; returns whether chunk checksums should be verified. */
function checkHeader(bytes: Buffer, ctx: ReaderContext): boolean {
  const header = parseFileHeader(bytes);
  if (!header.valid || bytes.length < FILE_HEADER_SIZE) {
    ctx.report({
      code: "evtx-header-damaged",
      severity: "warning",
      message:
        bytes.length < FILE_HEADER_SIZE
          ? `file is ${bytes.length} bytes, shorter than the ${FILE_HEADER_SIZE}-byte EVTX header`
          : 'file header has no "ElfFile" signature; looking for chunks anyway',
      file: ctx.file,
      offset: 0,
    });
    return true;
  }
  // Flag 0x4: the file carries no CRC-32s (Application_no_crc32.evtx).
  return (header.flags & 0x4) === 0;
}

/** The header block (first), then every 64 KiB block; a short last block is passed as is. */
function* bufferBlocks(buf: Buffer): Generator<Block> {
  yield { offset: 0, bytes: buf.subarray(0, FILE_HEADER_SIZE) };
  for (let off = FILE_HEADER_SIZE; off < buf.length; off += CHUNK_SIZE) {
    yield { offset: off, bytes: buf.subarray(off, Math.min(off + CHUNK_SIZE, buf.length)) };
  }
}

/** The header block (when `from` is 0), then the 64 KiB blocks from `from` (or the header's end) up to `to`. */
async function* fileBlocks(
  path: string,
  ctx: ReaderContext,
  from: number,
  to: number,
): AsyncGenerator<Block> {
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(path, "r");
  } catch (e) {
    ctx.report({
      code: "file-unreadable",
      severity: "error",
      message: e instanceof Error ? e.message : String(e),
      file: ctx.file,
    });
    return;
  }
  let inFlight: Promise<GroupRead> | undefined;
  try {
    if (from === 0) {
      const header = Buffer.alloc(FILE_HEADER_SIZE);
      const { bytesRead } = await fh.read(header, 0, FILE_HEADER_SIZE, 0);
      yield { offset: 0, bytes: header.subarray(0, bytesRead) };
      if (bytesRead < FILE_HEADER_SIZE) return;
    }
    // Two buffers: the next group is read while the blocks of this one are decoded (each block is decoded before
    // the next is asked for, so a buffer is free again once all its blocks have been taken).
    // A read in flight never rejects (its error is kept and thrown when it is awaited), so that it cannot become an
    // unhandled rejection while the blocks before it are consumed; a reader stopped early waits for it to settle
    // before the file is closed (finally, below).
    // Not zero-filled (only the bytes a read filled are ever passed on); the second one only once a second read
    // is due, so that a range of one group (a reader thread's unit) costs one.
    const groups: Buffer[] = [Buffer.allocUnsafe(CHUNK_SIZE * CHUNKS_PER_READ)];
    let pos = Math.max(from, FILE_HEADER_SIZE);
    const readGroup = (g: number, at: number): Promise<GroupRead> => {
      groups[g] ??= Buffer.allocUnsafe(CHUNK_SIZE * CHUNKS_PER_READ);
      const want = Math.min(groups[g].length, to - at);
      return fh.read(groups[g], 0, want, at).then(
        (r) => ({ n: r.bytesRead, want }),
        (error: unknown) => ({ n: 0, want, failed: true, error }),
      );
    };
    let g = 0;
    inFlight = pos < to ? readGroup(g, pos) : undefined;
    while (inFlight !== undefined) {
      const r = await inFlight;
      inFlight = undefined;
      if (r.failed === true) throw r.error;
      const { n, want } = r;
      if (n === want && pos + n < to) inFlight = readGroup(1 - g, pos + n);
      const group = groups[g];
      for (let off = 0; off < n; off += CHUNK_SIZE) {
        yield { offset: pos + off, bytes: group.subarray(off, Math.min(off + CHUNK_SIZE, n)) };
      }
      pos += n;
      g = 1 - g;
    }
  } catch (e) {
    ctx.report({
      code: "file-unreadable",
      severity: "error",
      message: e instanceof Error ? e.message : String(e),
      file: ctx.file,
    });
  } finally {
    if (inFlight !== undefined) await inFlight;
    await fh.close();
  }
}

interface GroupRead {
  n: number;
  want: number;
  failed?: true;
  error?: unknown;
}

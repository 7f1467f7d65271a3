/**
 * One 64 KiB chunk → events. A pure function of the chunk bytes (plus the file name for origins and
 * the optional filter), so chunks can later be decoded on worker threads in any order.
 *
 * Layout (libyal EVTX notes): a 512-byte header ("ElfChnk\0", record number/id ranges, free space
 * offset at 48, checksums), then records from offset 512 up to the free space offset. A record is
 * "**\0\0", size (u32), record id (u64), written time (FILETIME), BinXML, and the size again.
 *
 * Damage handling, record by record: a record whose header is broken is reported and the decoder
 * looks for the next record signature whose size fields agree; a record whose BinXML cannot be decoded
 * is reported and skipped using its size. Neither stops the chunk.
 */
import type { Diagnostic } from "../../diag/diagnostic.js";
import type { WinEvent } from "../../model/event.js";
import type { EventFilter } from "../types.js";
import { type ChunkContext, newChunkContext, parseFragment } from "./binxml/parse.js";
import { findEvent, readData, readSystem } from "./binxml/to-event.js";
import { EvtxFormatError } from "./format-error.js";

export const CHUNK_SIZE = 65536;
export const CHUNK_HEADER_SIZE = 512;
export const CHUNK_MAGIC = Buffer.from("ElfChnk\0", "latin1");
const RECORD_MAGIC = 0x00002a2a;
/** Record header (24) + at least an end-of-stream token + the trailing size copy. */
const MIN_RECORD_SIZE = 28;

export interface ChunkInput {
  /** Display name of the file (for origins and diagnostics). */
  file: string;
  /** 0-based index of the 64 KiB block in the file. */
  index: number;
  /** Byte offset of the chunk in the file. */
  fileOffset: number;
  filter?: EventFilter;
  /**
   * Mark every event as recovered (the chunk header was damaged and records were found by signature).
   */
  recovering?: boolean;
}

export interface ChunkResult {
  events: WinEvent[];
  diagnostics: Diagnostic[];
  /** Records decoded (including filtered-out ones). */
  read: number;
  /** Records reported and skipped. */
  malformed: number;
}

/** True if the block starts with the chunk signature. */
export function hasChunkMagic(chunk: Buffer): boolean {
  return chunk.length >= 8 && chunk.compare(CHUNK_MAGIC, 0, 8, 0, 8) === 0;
}

/** Decodes the records of one chunk. `chunk` must be the chunk's bytes (normally 65536). */
export function decodeChunk(chunk: Buffer, input: ChunkInput): ChunkResult {
  const result: ChunkResult = { events: [], diagnostics: [], read: 0, malformed: 0 };
  const ctx = newChunkContext(chunk);
  const report = (
    code: Diagnostic["code"],
    severity: Diagnostic["severity"],
    message: string,
    pos: number,
    recordId?: number,
  ) => {
    const d: Diagnostic = {
      code,
      severity,
      message,
      file: input.file,
      chunk: input.index,
      offset: input.fileOffset + pos,
    };
    if (recordId !== undefined) d.recordId = recordId;
    result.diagnostics.push(d);
  };

  let end = chunk.length;
  if (!input.recovering) {
    const free = chunk.length >= 52 ? chunk.readUInt32LE(48) : 0;
    if (free >= CHUNK_HEADER_SIZE && free <= chunk.length) end = free;
    else {
      report(
        "evtx-chunk-damaged",
        "warning",
        `chunk header: free space offset ${free} is out of range; reading records up to the chunk end`,
        48,
      );
    }
  }

  let pos = CHUNK_HEADER_SIZE;
  while (pos + MIN_RECORD_SIZE <= end) {
    const size = recordSizeAt(chunk, pos, end);
    if (size === 0) {
      // Zero padding after the last record is normal slack, not damage.
      if (input.recovering || isZero(chunk, pos, end)) break;
      const next = findNextRecord(chunk, pos + 1, end);
      report(
        "evtx-record-damaged",
        "error",
        next < 0
          ? "no valid record header here; the rest of the chunk was skipped"
          : `no valid record header here; skipped ${next - pos} bytes to the next record`,
        pos,
      );
      result.malformed++;
      if (next < 0) break;
      pos = next;
      continue;
    }
    const headerId = readRecordId(chunk, pos);
    try {
      decodeRecord(ctx, pos, size, headerId, input, result);
      result.read++;
    } catch (e) {
      if (!(e instanceof EvtxFormatError)) throw e;
      report(
        "evtx-record-damaged",
        "error",
        `record ${headerId} cannot be decoded: ${e.message}`,
        e.offset >= pos && e.offset < pos + size ? e.offset : pos,
        headerId,
      );
      result.malformed++;
    }
    pos += size;
  }
  return result;
}

/** Size of the record at `pos` if its header and trailing size copy agree, else 0. */
function recordSizeAt(chunk: Buffer, pos: number, end: number): number {
  if (pos + MIN_RECORD_SIZE > end || chunk.readUInt32LE(pos) !== RECORD_MAGIC) return 0;
  const size = chunk.readUInt32LE(pos + 4);
  if (size < MIN_RECORD_SIZE || pos + size > end || size % 4 !== 0) return 0;
  if (chunk.readUInt32LE(pos + size - 4) !== size) return 0;
  return size;
}

function findNextRecord(chunk: Buffer, from: number, end: number): number {
  let p = chunk.indexOf(RECORD_SIGNATURE, from);
  while (p >= 0 && p + MIN_RECORD_SIZE <= end) {
    if (recordSizeAt(chunk, p, end) > 0) return p;
    p = chunk.indexOf(RECORD_SIGNATURE, p + 1);
  }
  return -1;
}

const RECORD_SIGNATURE = Buffer.from([0x2a, 0x2a, 0, 0]);

function readRecordId(chunk: Buffer, pos: number): number {
  const lo = chunk.readUInt32LE(pos + 8);
  const hi = chunk.readUInt32LE(pos + 12);
  return hi * 4294967296 + lo;
}

function isZero(chunk: Buffer, from: number, end: number): boolean {
  for (let i = from; i < end; i++) if (chunk[i] !== 0) return false;
  return true;
}

function decodeRecord(
  ctx: ChunkContext,
  pos: number,
  size: number,
  headerId: number,
  input: ChunkInput,
  result: ChunkResult,
): void {
  const root = parseFragment(ctx, pos + 24, pos + size - 4);
  const event = findEvent(ctx, root);
  if (event === undefined) throw new EvtxFormatError("record holds no element", pos + 24);
  const sys = readSystem(ctx, event);
  if (input.filter !== undefined && !input.filter(sys.provider, sys.channel, sys.eventId)) return;
  const e: WinEvent = {
    provider: sys.provider,
    channel: sys.channel,
    eventId: sys.eventId,
    computer: sys.computer,
    recordId: sys.recordId ?? headerId,
    data: readData(ctx, event),
    origin: { file: input.file, chunk: input.index, offset: input.fileOffset + pos },
  };
  if (sys.version !== undefined) e.version = sys.version;
  if (sys.timeCreated !== undefined) e.timeCreated = sys.timeCreated;
  if (input.recovering) e.recovered = true;
  result.events.push(e);
}

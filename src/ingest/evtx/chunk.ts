/**
 * One 64 KiB chunk → events. A pure function of the chunk bytes (plus the file name for origins and
 * the optional filter), so chunks can later be decoded on worker threads in any order.
 *
 * Layout (libyal EVTX notes): a 512-byte header ("ElfChnk\0", record number/id ranges, free space
 * offset at 48, checksums), then records from offset 512 up to the free space offset. A record is
 * "**\0\0", size (u32), record id (u64), written time (FILETIME), BinXML, and the size again.
 *
 * Damage handling, record by record: a record whose header is broken (bad size, torn tail) is
 * reported and the decoder looks for the next record signature whose size fields agree; the records
 * found that way are `recovered`. A record whose BinXML cannot be decoded is reported and skipped
 * using its size. Neither stops the chunk. Trailing zeros before the free-space offset are slack.
 * The header and records CRC-32s are verified (unless the file says it has none) and a mismatch is
 * reported as a warning: the records are still read, and checked one by one.
 *
 * Slack (after the free-space offset) is searched for records whose signature and both size fields agree:
 * stale copies, or events from before the chunk was reused. They are never silently ignored: by default they
 * are counted and reported (`evtx-slack-records`, info) and not read, so the record counts of a clean file are
 * those of its live records (the MANIFEST's, libevtx's and python-evtx's); with `carveSlack` they are decoded
 * and marked `recovered`, as Hayabusa's `--recover-records` does.
 */
import type { Diagnostic } from "../../diag/diagnostic.js";
import type { WinEvent } from "../../model/event.js";
import type { EventFilter } from "../types.js";
import { type ChunkContext, newChunkContext, parseFragment, readInstanceFragment } from "./binxml/parse.js";
import { type PlannedRecord, REJECTED, readPlanned } from "./binxml/read-planned.js";
import { planOf } from "./binxml/template-plan.js";
import { findEvent, readData, readSystem, type SystemFields } from "./binxml/to-event.js";
import { crc32 } from "./crc32.js";
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
  /** The block has no chunk header: find records by their signature and mark them all recovered. */
  recovering?: boolean;
  /** Verify the chunk's CRC-32s (default true; false when the file header's "no CRC32" flag is set). */
  checksums?: boolean;
  /** Decode the records found in the chunk's slack (marked `recovered`) instead of only counting them. */
  carveSlack?: boolean;
  /**
   * false: read every record with the tree walker, not by its template's plan (binxml/template-plan.ts); the
   * tests compare the two. Default true.
   */
  plans?: boolean;
}

export interface ChunkResult {
  events: WinEvent[];
  diagnostics: Diagnostic[];
  /** Records decoded (including filtered-out ones). */
  read: number;
  /** Records reported and skipped. */
  malformed: number;
  /** Records found by signature after the record chain broke (included in `read`). */
  recovered: number;
}

/** True if the block starts with the chunk signature. */
export function hasChunkMagic(chunk: Buffer): boolean {
  return chunk.length >= 8 && chunk.compare(CHUNK_MAGIC, 0, 8, 0, 8) === 0;
}

/** Decodes the records of one chunk. `chunk` must be the chunk's bytes (normally 65536). */
export function decodeChunk(chunk: Buffer, input: ChunkInput): ChunkResult {
  const result: ChunkResult = { events: [], diagnostics: [], read: 0, malformed: 0, recovered: 0 };
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
  /** Where the chunk's slack starts: the free-space offset, when the header gives a valid one. */
  let slackFrom = -1;
  if (!input.recovering) {
    const free = chunk.length >= 52 ? chunk.readUInt32LE(48) : 0;
    if (free >= CHUNK_HEADER_SIZE && free <= chunk.length) {
      end = free;
      slackFrom = free;
      if (input.checksums !== false) verifyChecksums(chunk, free, report);
    } else {
      report(
        "evtx-chunk-damaged",
        "warning",
        `chunk header: free space offset ${free} is out of range; reading records up to the chunk end`,
        48,
      );
    }
  }

  // Records are read by following their sizes. When that chain breaks (a record header that does not
  // hold together), the next record is found by its signature and everything after the break is
  // marked `recovered`. A block without a chunk header is recovered from its first signature on.
  let pos = input.recovering ? findNextRecord(chunk, 0, end) : CHUNK_HEADER_SIZE;
  let chainBroken = input.recovering === true;
  let undecodable = 0;
  while (pos >= 0 && pos + MIN_RECORD_SIZE <= end) {
    const size = recordSizeAt(chunk, pos, end);
    if (size === 0) {
      // Zero padding after the last record is normal slack, not damage.
      if (isZero(chunk, pos, end)) break;
      const next = findNextRecord(chunk, pos + 4, end);
      if (!input.recovering) {
        const skipped =
          next < 0 ? "the rest of the chunk was skipped" : `skipped ${next - pos} bytes to the next record`;
        const header = describeBadHeader(chunk, pos, end);
        report("evtx-record-damaged", "error", `${header.message}; ${skipped}`, pos, header.recordId);
        result.malformed++;
      }
      chainBroken = true;
      pos = next;
      continue;
    }
    const headerId = readRecordId(chunk, pos);
    try {
      decodeRecord(ctx, pos, size, headerId, input, chainBroken, result);
      result.read++;
      if (chainBroken) result.recovered++;
    } catch (e) {
      if (!(e instanceof EvtxFormatError)) throw e;
      result.malformed++;
      if (input.recovering) undecodable++;
      // Every skipped record is accounted with its id and offset, in a headerless block too (there the block's
      // own warning also sums them up).
      report(
        "evtx-record-damaged",
        "error",
        `record ${headerId} cannot be decoded: ${e.message}`,
        e.offset >= pos && e.offset < pos + size ? e.offset : pos,
        headerId,
      );
    }
    pos += size;
  }
  if (slackFrom >= 0) readSlack(ctx, chunk, slackFrom, input, result);
  if (input.recovering) {
    if (result.recovered + undecodable === 0) {
      // Leftovers of an earlier, larger file (sysmon.evtx has 8 such blocks): nothing lost here.
      report(
        "evtx-chunk-damaged",
        "info",
        '64 KiB block has no "ElfChnk" signature and no records; skipped',
        0,
      );
    } else {
      report(
        "evtx-chunk-damaged",
        "warning",
        `64 KiB block has no "ElfChnk" signature; ${result.recovered} records recovered by their signature, ` +
          `${undecodable} more could not be decoded (their templates or values are gone)`,
        0,
      );
    }
  }
  return result;
}

/**
 * Records in the slack after the free-space offset: found by signature with both size fields agreeing, counted
 * and reported in one diagnostic; decoded and marked `recovered` only with `carveSlack`.
 */
function readSlack(
  ctx: ChunkContext,
  chunk: Buffer,
  from: number,
  input: ChunkInput,
  result: ChunkResult,
): void {
  let found = 0;
  let carved = 0;
  let first = -1;
  let lowId = Number.POSITIVE_INFINITY;
  let highId = 0;
  for (let pos = findNextRecord(chunk, from, chunk.length); pos >= 0; ) {
    const size = recordSizeAt(chunk, pos, chunk.length);
    const id = readRecordId(chunk, pos);
    found++;
    if (first < 0) first = pos;
    lowId = Math.min(lowId, id);
    highId = Math.max(highId, id);
    if (input.carveSlack === true) {
      try {
        decodeRecord(ctx, pos, size, id, input, true, result);
        result.read++;
        result.recovered++;
        carved++;
      } catch (e) {
        if (!(e instanceof EvtxFormatError)) throw e;
      }
    }
    pos = findNextRecord(chunk, pos + size, chunk.length);
  }
  if (found === 0) return;
  const ids = lowId === highId ? `record id ${lowId}` : `record ids ${lowId}–${highId}`;
  const what = `${found} ${found === 1 ? "record" : "records"} in the chunk's slack after its free-space offset (${ids})`;
  const where = { file: input.file, chunk: input.index, offset: input.fileOffset + first };
  // What was found, in either mode; with carveSlack, what of it could be decoded too.
  result.diagnostics.push({
    code: "evtx-slack-records",
    severity: "info",
    message:
      input.carveSlack === true
        ? `${what}: stale copies or events from before the chunk was reused`
        : `${what}: stale copies or events from before the chunk was reused; not read (--carve-slack decodes those that still can be, marked recovered)`,
    count: found,
    ...where,
  });
  if (input.carveSlack !== true) return;
  result.diagnostics.push({
    code: "evtx-slack-carved",
    severity: "info",
    message:
      `${carved} of the ${found} carved and marked recovered` +
      (carved < found
        ? `; ${found - carved} could not be decoded (their templates or values were overwritten)`
        : ""),
    count: carved,
    ...where,
  });
}

/**
 * The two CRC-32s of the chunk header: of the header itself (bytes 0-120 and 128-512, stored at 124)
 * and of the records (bytes 512 up to the free space offset, stored at 52). A mismatch is reported as a
 * warning; the records are still read and the damage, if any, is found record by record.
 */
function verifyChecksums(
  chunk: Buffer,
  free: number,
  report: (code: Diagnostic["code"], severity: Diagnostic["severity"], message: string, pos: number) => void,
): void {
  const header = crc32(chunk.subarray(128, CHUNK_HEADER_SIZE), crc32(chunk.subarray(0, 120)));
  const storedHeader = chunk.readUInt32LE(124);
  if (header !== storedHeader) {
    report(
      "evtx-chunk-damaged",
      "warning",
      `chunk header checksum is ${hex8(header)}, the header says ${hex8(storedHeader)} ` +
        "(string or template tables may be damaged); records are read anyway",
      124,
    );
  }
  const records = crc32(chunk.subarray(CHUNK_HEADER_SIZE, free));
  const storedRecords = chunk.readUInt32LE(52);
  if (records !== storedRecords) {
    report(
      "evtx-chunk-damaged",
      "warning",
      `event records checksum is ${hex8(records)}, the header says ${hex8(storedRecords)}; ` +
        "records are read anyway and checked one by one",
      52,
    );
  }
}

const hex8 = (n: number) => `0x${n.toString(16).padStart(8, "0")}`;

/** Why the record header at `pos` does not hold together, with its record id when it has one. */
function describeBadHeader(chunk: Buffer, pos: number, end: number): { message: string; recordId?: number } {
  if (chunk.readUInt32LE(pos) !== RECORD_MAGIC)
    return { message: "no record signature where a record should start" };
  const recordId = readRecordId(chunk, pos);
  const size = chunk.readUInt32LE(pos + 4);
  if (size < MIN_RECORD_SIZE || pos + size > end) {
    return { message: `record ${recordId}: size ${size} does not fit the chunk`, recordId };
  }
  const copy = chunk.readUInt32LE(pos + size - 4);
  return {
    message: `record ${recordId}: the size copy at its end is ${copy}, not ${size} (torn or overwritten record)`,
    recordId,
  };
}

/** Size of the record at `pos` if its header and trailing size copy agree, else 0. */
function recordSizeAt(chunk: Buffer, pos: number, end: number): number {
  if (pos + MIN_RECORD_SIZE > end || chunk.readUInt32LE(pos) !== RECORD_MAGIC) return 0;
  const size = chunk.readUInt32LE(pos + 4);
  if (size < MIN_RECORD_SIZE || pos + size > end) return 0;
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
  recovered: boolean,
  result: ChunkResult,
): void {
  ctx.work = 0;
  const planned = input.plans === false ? undefined : readByPlan(ctx, pos, size, input.filter);
  if (planned === REJECTED) return;
  if (planned !== undefined) {
    result.events.push(toWinEvent(planned.sys, planned.data, pos, headerId, input, recovered));
    return;
  }
  ctx.work = 0;
  const root = parseFragment(ctx, pos + 24, pos + size - 4);
  const event = findEvent(ctx, root);
  if (event === undefined) throw new EvtxFormatError("record holds no element", pos + 24);
  const sys = readSystem(ctx, event);
  if (input.filter !== undefined && !input.filter(sys.provider, sys.channel, sys.eventId)) return;
  result.events.push(toWinEvent(sys, readData(ctx, event), pos, headerId, input, recovered));
}

/**
 * The record read by its template's plan (binxml/template-plan.ts), when it is one plain template instance; else
 * undefined, and the walker reads it. Undefined too when the plan path throws: the walker then reads the record
 * again and reports the error it meets, so diagnostics are the walker's whichever path ran.
 */
function readByPlan(
  ctx: ChunkContext,
  pos: number,
  size: number,
  filter: EventFilter | undefined,
): PlannedRecord | typeof REJECTED | undefined {
  const template = readInstanceFragment(ctx, pos + 24, pos + size - 4, 0, false);
  if (template === undefined) return undefined;
  const plan = planOf(template);
  if (plan === null) return undefined;
  try {
    return readPlanned(ctx, plan, filter);
  } catch (e) {
    if (e instanceof EvtxFormatError) return undefined;
    throw e;
  }
}

function toWinEvent(
  sys: SystemFields,
  data: Record<string, string>,
  pos: number,
  headerId: number,
  input: ChunkInput,
  recovered: boolean,
): WinEvent {
  const e: WinEvent = {
    provider: sys.provider,
    channel: sys.channel,
    eventId: sys.eventId,
    computer: sys.computer,
    recordId: sys.recordId ?? headerId,
    data,
    origin: { file: input.file, chunk: input.index, offset: input.fileOffset + pos },
  };
  if (sys.version !== undefined) e.version = sys.version;
  if (sys.timeCreated !== undefined) e.timeCreated = sys.timeCreated;
  if (recovered) e.recovered = true;
  return e;
}

/**
 * The 4 KiB EVTX file header ("ElfFile\0"). Winnow reads it only to report on it: chunks are found by
 * their own signature, because real files carry stale chunk counts and dirty flags (sysmon.evtx in
 * the evtx-rs samples says 1 chunk and holds 9).
 */

export const FILE_HEADER_SIZE = 4096;
export const FILE_MAGIC = Buffer.from("ElfFile\0", "latin1");

export interface FileHeader {
  /** Magic present. */
  valid: boolean;
  chunkCount: number;
  nextRecordId: number;
  majorVersion: number;
  minorVersion: number;
  /** 0x1 dirty, 0x2 full, 0x4 no CRC32. */
  flags: number;
}

export function parseFileHeader(buf: Buffer): FileHeader {
  if (buf.length < 128) {
    return { valid: false, chunkCount: 0, nextRecordId: 0, majorVersion: 0, minorVersion: 0, flags: 0 };
  }
  return {
    valid: buf.subarray(0, 8).equals(FILE_MAGIC),
    nextRecordId: Number(buf.readBigUInt64LE(24)),
    minorVersion: buf.readUInt16LE(36),
    majorVersion: buf.readUInt16LE(38),
    chunkCount: buf.readUInt16LE(42),
    flags: buf.readUInt32LE(120),
  };
}

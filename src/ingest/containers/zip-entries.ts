/**
 * Zip members through yauzl (random access: the central directory is read first, so a zip is opened from
 * its path, or from a Buffer when it was itself inside another archive). Directories are skipped; each file
 * member is handed over as a byte stream. Encrypted or undecodable members are reported by the caller.
 *
 * Integrity (yauzl checks neither): each member's stream computes the CRC-32 of its data as it passes
 * (incrementally, nothing held) and counts its bytes; at its end both are compared with the central
 * directory. A mismatch does not hide the data: the member is read as it is (warn and read, as the EVTX
 * reader does with a chunk whose checksum fails), then its stream fails with `ZipMemberDamaged`, which
 * read-inputs.ts reports as `archive-damaged` on `archive.zip!member` (the input is then read, damaged).
 * Bytes beyond the declared size are not the member's: reading stops there, and that is reported. A
 * consumer that stops before the end (a member skipped as not a log) closes the stream through its
 * iterator's `return()`: the rest is read and checked then, so damage there is not silent either. A member
 * whose local header cannot be read fails on its first read, so that it alone is reported and the members
 * after it are still read.
 */

import { createRequire } from "node:module";
import type { Readable } from "node:stream";
import type yauzlModule from "yauzl";
import { crc32 } from "../evtx/crc32.js";

// Loaded when a zip is first opened, not at start-up.
const load = createRequire(import.meta.url);

export const ZIP_MAGIC = Buffer.from("PK\x03\x04", "latin1");
export const ZIP_EMPTY_MAGIC = Buffer.from("PK\x05\x06", "latin1");

/** A member that does not match its central directory entry (CRC-32, size) or whose local header is damaged. */
export class ZipMemberDamaged extends Error {}

/** A member's bytes: iterate them once; `destroy()` releases the file. */
export interface ZipMemberStream extends AsyncIterable<Buffer> {
  destroy(): void;
}

export interface ZipMember {
  name: string;
  size: number;
  /** Why the member cannot be read (encrypted, unsupported compression), if so. */
  unreadable?: string;
  open(): Promise<ZipMemberStream>;
}

/** What the central directory says a member holds. */
interface Expected {
  crc32: number;
  size: number;
  /** Offset of the member's local header in the zip. */
  offset: number;
}

const hex = (n: number) => `0x${n.toString(16).padStart(8, "0")}`;

/** Why a member's data does not match its directory entry, or undefined when it does. */
function mismatch(crc: number, size: number, want: Expected): string | undefined {
  const problems: string[] = [];
  if (size !== want.size) problems.push(`its data is ${size} bytes, the zip directory says ${want.size}`);
  if (crc !== want.crc32)
    problems.push(`its CRC-32 is ${hex(crc)}, the zip directory says ${hex(want.crc32)}`);
  if (problems.length === 0) return undefined;
  return `at the end of the member (local header at offset ${want.offset}): ${problems.join("; ")}: its data is damaged; all ${size} bytes were read as they are`;
}

/**
 * The member's data, checked against `want` as it streams. The check runs when the data ends, or, if the
 * consumer stops early, when it closes the iterator (the rest is read then, chunk by chunk, and dropped).
 * Data beyond the size the directory gives is not the member's: reading stops there (as yauzl's own check
 * did), and that is the damage reported.
 */
function checked(stream: Readable, want: Expected): ZipMemberStream {
  let crc = 0;
  let size = 0;
  /** Checked, or failed: nothing more to check. */
  let settled = false;
  /** More data came than the directory says: only what fits was passed on. */
  let over = false;
  const tooMany = () =>
    new ZipMemberDamaged(
      `too many bytes in the stream: the member (local header at offset ${want.offset}) holds more than the ${want.size} bytes the zip directory says; the rest was not read`,
    );
  /** The part of a chunk within the declared size, counted into the CRC-32. */
  const take = (b: Buffer): Buffer => {
    let part = b;
    if (size + b.length > want.size) {
      over = true;
      part = b.subarray(0, want.size - size);
    }
    crc = crc32(part, crc);
    size += part.length;
    return part;
  };
  const settle = (): void => {
    settled = true;
    if (over) throw tooMany();
    const why = mismatch(crc, size, want);
    if (why !== undefined) throw new ZipMemberDamaged(why);
  };
  return {
    destroy: () => stream.destroy(),
    [Symbol.asyncIterator](): AsyncIterator<Buffer> {
      const it = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
      const done: IteratorResult<Buffer> = { done: true, value: undefined };
      return {
        async next(): Promise<IteratorResult<Buffer>> {
          if (settled) return done;
          if (over) {
            stream.destroy();
            settle();
          }
          let r: IteratorResult<Buffer>;
          try {
            r = await it.next();
          } catch (e) {
            settled = true; // a read or inflate error: the data was cut, that is what is reported
            throw e;
          }
          if (r.done === true) {
            settle();
            return done;
          }
          const part = take(r.value);
          if (part.length === 0) {
            stream.destroy();
            settle();
          }
          return { done: false, value: part };
        },
        async return(): Promise<IteratorResult<Buffer>> {
          try {
            if (!settled) {
              // Stopped early: read the rest, so that the whole member is checked.
              try {
                for (let r = await it.next(); r.done !== true && !over; r = await it.next()) take(r.value);
              } catch (e) {
                settled = true;
                throw e;
              }
              settle();
            }
          } finally {
            await it.return?.();
          }
          return done;
        },
      };
    },
  };
}

/** A member whose local header could not be read: its stream fails on the first read. */
function failing(e: unknown): ZipMemberStream {
  return {
    destroy: () => undefined,
    [Symbol.asyncIterator]: () => ({
      next: () => Promise.reject(e),
    }),
  };
}

export async function* zipMembers(source: string | Buffer): AsyncGenerator<ZipMember, void> {
  const yauzl = load("yauzl") as typeof yauzlModule;
  // Sizes are checked here, per member, with the CRC-32 (yauzl's check would fail the whole directory on
  // one stored member's size mismatch, and stop a member's stream at the first extra byte).
  const options = { lazyEntries: true, autoClose: false, strictFileNames: false, validateEntrySizes: false };
  const zip =
    typeof source === "string"
      ? await yauzl.openPromise(source, options)
      : await yauzl.fromBufferPromise(source, options);
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith("/")) continue;
      let unreadable: string | undefined;
      if (entry.isEncrypted()) unreadable = "the zip member is encrypted";
      else if (!entry.canDecodeFileData())
        unreadable = `zip compression method ${entry.compressionMethod} is not supported`;
      const want: Expected = {
        crc32: entry.crc32,
        size: entry.uncompressedSize,
        offset: entry.relativeOffsetOfLocalHeader,
      };
      yield {
        name: entry.fileName,
        size: entry.uncompressedSize,
        unreadable,
        open: async () => {
          try {
            return checked(await zip.openReadStreamPromise(entry), want);
          } catch (e) {
            if (!(e instanceof Error) || e instanceof TypeError || e instanceof ReferenceError) throw e;
            return failing(
              new ZipMemberDamaged(
                `zip member is damaged (local header at offset ${want.offset}): ${e.message}`,
              ),
            );
          }
        },
      };
    }
  } finally {
    zip.close();
  }
}

/**
 * Transparent gzip: bytes in, decompressed bytes out (node:zlib, concatenated members included). A damaged
 * stream makes the iteration throw; read-inputs.ts turns that into an `archive-damaged` diagnostic. That
 * includes gzip's own integrity check: zlib compares each member's CRC-32 and length (its trailer) with
 * what inflated and fails with "incorrect data check" / "incorrect length check". zlib then discards the
 * output of its last inflate step (up to `chunkSize` bytes at the member's end are not passed on); the error
 * still reaches the reader, so that loss is reported, never silent (docs/formats.md, "Damage").
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";

export const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

export function gunzip(src: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
  const gz = createGunzip({ chunkSize: 256 * 1024 });
  pipeline(Readable.from(src, { objectMode: false }), gz).catch(() => {
    // The error also reaches whoever iterates `gz`; nothing more to do here.
  });
  return gz;
}

/**
 * Transparent gzip: bytes in, decompressed bytes out (node:zlib, concatenated members included). A damaged
 * stream makes the iteration throw; read-inputs.ts turns that into an `archive-damaged` diagnostic.
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

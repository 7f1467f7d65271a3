/**
 * Zip members through yauzl (random access: the central directory is read first, so a zip is opened from
 * its path, or from a Buffer when it was itself inside another archive). Directories are skipped; each file
 * member is handed over as a byte stream. Encrypted or undecodable members are reported by the caller.
 */

import { createRequire } from "node:module";
import type { Readable } from "node:stream";
import type yauzlModule from "yauzl";

// Loaded when a zip is first opened, not at start-up.
const load = createRequire(import.meta.url);

export const ZIP_MAGIC = Buffer.from("PK\x03\x04", "latin1");
export const ZIP_EMPTY_MAGIC = Buffer.from("PK\x05\x06", "latin1");

export interface ZipMember {
  name: string;
  size: number;
  /** Why the member cannot be read (encrypted, unsupported compression), if so. */
  unreadable?: string;
  open(): Promise<Readable>;
}

export async function* zipMembers(source: string | Buffer): AsyncGenerator<ZipMember, void> {
  const yauzl = load("yauzl") as typeof yauzlModule;
  const options = { lazyEntries: true, autoClose: false, strictFileNames: false, validateEntrySizes: true };
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
      yield {
        name: entry.fileName,
        size: entry.uncompressedSize,
        unreadable,
        open: () => zip.openReadStreamPromise(entry),
      };
    }
  } finally {
    zip.close();
  }
}

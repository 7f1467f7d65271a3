/**
 * The one error type the EVTX decoder throws for bad input bytes. It never leaves the reader: the record
 * loop (or the chunk loop) catches it and turns it into a `Diagnostic` with file, chunk, record and offset.
 * Anything else thrown while decoding is a bug in our code and propagates.
 */
export class EvtxFormatError extends Error {
  /** Byte offset of the problem, relative to the start of the chunk. */
  readonly offset: number;

  constructor(message: string, offset: number) {
    super(message);
    this.name = "EvtxFormatError";
    this.offset = offset;
  }
}

/** Throws an `EvtxFormatError` unless `[offset, offset + length)` lies inside `[0, end)`. */
export function need(what: string, offset: number, length: number, end: number): void {
  if (offset < 0 || length < 0 || offset + length > end) {
    throw new EvtxFormatError(
      `${what}: needs ${length} bytes at offset ${offset}, only ${Math.max(0, end - offset)} available`,
      offset,
    );
  }
}

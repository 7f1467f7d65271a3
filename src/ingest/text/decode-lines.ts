/**
 * Bytes → lines of text, for every line-oriented reader (XML lines, classic text, JSON lines).
 *
 * Design notes:
 * - Encoding comes from the head of the file: a UTF-8, UTF-16 LE or UTF-16 BE byte-order mark, or, without a
 *   BOM, UTF-16 recognised by its NUL bytes in ASCII text; otherwise UTF-8. Invalid UTF-8 becomes U+FFFD per
 *   byte sequence (the line is still seen, and usually reported by the reader as malformed).
 * - Lines end at LF; a CR before it is dropped (CRLF and LF may be mixed in one file). NUL characters are
 *   removed from a line (padding in pre-allocated logs must not hide an event) but a line's `hadNul` flag is
 *   kept so that readers can tell binary junk from text.
 * - A line longer than `maxLineChars` is never held whole: its parts are dropped as they arrive and an
 *   `OverlongLine` marker stands in its place, so the reader can report it and go on — or, on request, the
 *   parts are passed on as `LinePiece`s for a reader that can consume a line incrementally (JSON documents).
 * - Lines come in batches (one per decoded input chunk) to keep per-line async overhead out of the hot path.
 */
import { StringDecoder } from "node:string_decoder";
import { wellFormed } from "../well-formed.js";

export type TextEncodingName = "utf8" | "utf16le" | "utf16be";

export interface TextEncodingInfo {
  encoding: TextEncodingName;
  /** Byte length of the byte-order mark at the start of the input (0 if none). */
  bomLength: number;
}

/** Stands in for a line that was longer than the cap; its text was discarded. */
export interface OverlongLine {
  overlong: number;
}

/**
 * With `pieces: true`, a line longer than the cap arrives instead as consecutive pieces (at most one per
 * batch, each bounded by the cap plus one input chunk), the last with `end: true`. `overlong` counts the
 * line's characters up to and including this piece.
 */
export interface LinePiece extends OverlongLine {
  piece: string;
  end: boolean;
}

export interface DecodeLinesOptions {
  maxLineChars?: number;
  /** Stream overlong lines as pieces instead of dropping them (the JSON document reader uses this). */
  pieces?: boolean;
  /**
   * UTF-8 only: asked for each line that lies whole in one input chunk, before it is decoded, with the Latin-1
   * reading of the chunk (one character per byte, made once per chunk) and the line's offsets in it (CR removed);
   * a line it takes stands as `SKIPPED_LINE` in the batch and is never decoded (the XML reader's header skip,
   * xml/event-peek.ts). Not with `pieces`.
   */
  skipLine?: (latin1: string, start: number, end: number) => boolean;
}

/** Stands in for a line `skipLine` took: an event the reader counts without reading. */
export const SKIPPED_LINE: unique symbol = Symbol("skipped line");

export interface LineBatch {
  /** 1-based number of `lines[0]`. */
  first: number;
  lines: Array<string | OverlongLine | LinePiece | typeof SKIPPED_LINE>;
  /** Indexes (into `lines`) of lines that contained NUL characters before they were removed. */
  nulLines?: number[];
}

export const DEFAULT_MAX_LINE_CHARS = 16 * 1024 * 1024;

/** Bytes of whole lines read as Latin-1 at a time for `skipLine` (below V8's large-object size). */
const LATIN_WINDOW = 64 * 1024;

function stripCr(s: string): string {
  return s.length > 0 && s.charCodeAt(s.length - 1) === 13 ? s.slice(0, -1) : s;
}

/** Encoding of a text input from its first bytes. */
export function detectTextEncoding(head: Buffer): TextEncodingInfo {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    return { encoding: "utf8", bomLength: 3 };
  }
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: "utf16le", bomLength: 2 };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { encoding: "utf16be", bomLength: 2 };
  // No BOM: UTF-16 text of mostly ASCII has a NUL in every other byte.
  const n = Math.min(head.length & ~1, 512);
  if (n >= 4) {
    let evenNul = 0;
    let oddNul = 0;
    for (let i = 0; i < n; i += 2) {
      if (head[i] === 0) evenNul++;
      if (head[i + 1] === 0) oddNul++;
    }
    const pairs = n / 2;
    if (oddNul > pairs * 0.7 && evenNul < pairs * 0.1) return { encoding: "utf16le", bomLength: 0 };
    if (evenNul > pairs * 0.7 && oddNul < pairs * 0.1) return { encoding: "utf16be", bomLength: 0 };
  }
  return { encoding: "utf8", bomLength: 0 };
}

/** Decodes a small buffer (a file head) with the given encoding, for format detection. */
export function decodeHead(head: Buffer, info: TextEncodingInfo): string {
  const body = head.subarray(info.bomLength);
  if (info.encoding === "utf16be") return swap16(body).toString("utf16le");
  return body.toString(info.encoding === "utf8" ? "utf8" : "utf16le");
}

function swap16(b: Buffer): Buffer {
  const even = b.length & ~1;
  const out = Buffer.allocUnsafe(even);
  for (let i = 0; i < even; i += 2) {
    out[i] = b[i + 1];
    out[i + 1] = b[i];
  }
  return out;
}

/** Splits decoded text into lines. `src` must start after the BOM (see `bomLength`). */
export async function* decodeLines(
  src: AsyncIterable<Buffer>,
  encoding: TextEncodingName,
  options: DecodeLinesOptions = {},
): AsyncGenerator<LineBatch> {
  const maxLineChars = options.maxLineChars ?? DEFAULT_MAX_LINE_CHARS;
  const pieces = options.pieces === true;
  const decoder = new StringDecoder(encoding === "utf8" ? "utf8" : "utf16le");
  // UTF-8 decoding already puts U+FFFD for what is not text; UTF-16 keeps half a surrogate pair (well-formed.ts).
  const write =
    encoding === "utf8" ? (b: Buffer) => decoder.write(b) : (b: Buffer) => wellFormed(decoder.write(b));
  let oddByte: Buffer | undefined; // UTF-16 BE: a byte left over from the previous chunk
  let parts: string[] = [];
  let partsLen = 0;
  let skipping = false; // inside an overlong line: drop text until the next LF
  let skippedLen = 0;
  let lineNo = 1;

  const emit = (batch: LineBatch, text: string): void => {
    if (text.length > 0 && text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
    if (text.indexOf("\0") !== -1) {
      text = text.replace(/\0/g, "");
      (batch.nulLines ??= []).push(batch.lines.length);
    }
    batch.lines.push(text);
  };

  const feed = (chunk: string, into?: LineBatch): LineBatch | undefined => {
    if (chunk.length === 0) return undefined;
    const batch: LineBatch = into ?? { first: lineNo, lines: [] };
    let start = 0;
    while (true) {
      const nl = chunk.indexOf("\n", start);
      if (nl === -1) {
        const tail = chunk.length - start;
        if (skipping) {
          skippedLen += tail;
          if (pieces && tail > 0)
            batch.lines.push({ overlong: skippedLen, piece: chunk.slice(start), end: false });
        } else if (partsLen + tail > maxLineChars) {
          skipping = true;
          skippedLen = partsLen + tail;
          if (pieces)
            batch.lines.push({
              overlong: skippedLen,
              piece: parts.join("") + chunk.slice(start),
              end: false,
            });
          parts = [];
          partsLen = 0;
        } else if (tail > 0) {
          parts.push(start === 0 ? chunk : chunk.slice(start));
          partsLen += tail;
        }
        break;
      }
      if (skipping) {
        const total = skippedLen + (nl - start);
        batch.lines.push(
          pieces
            ? { overlong: total, piece: stripCr(chunk.slice(start, nl)), end: true }
            : { overlong: total },
        );
        skipping = false;
        skippedLen = 0;
      } else if (partsLen + (nl - start) > maxLineChars) {
        const total = partsLen + (nl - start);
        batch.lines.push(
          pieces
            ? { overlong: total, piece: stripCr(parts.join("") + chunk.slice(start, nl)), end: true }
            : { overlong: total },
        );
        parts = [];
        partsLen = 0;
      } else if (partsLen > 0) {
        parts.push(chunk.slice(start, nl));
        emit(batch, parts.join(""));
        parts = [];
        partsLen = 0;
      } else {
        emit(batch, chunk.slice(start, nl));
      }
      lineNo++;
      start = nl + 1;
    }
    return batch.lines.length > 0 ? batch : undefined;
  };

  /**
   * A UTF-8 chunk with `skipLine`: the text up to its first LF (the end of a line begun before) and after its last
   * LF (the start of the next) goes through `feed` as decoded text; the lines between, whole in this chunk, are
   * offered to `skipLine` as bytes and decoded one by one only when it does not take them. The decoder holds no
   * partial character between the two: the first part ends with an LF.
   */
  const skipLine = encoding === "utf8" && !pieces ? options.skipLine : undefined;
  const feedBytes = (buf: Buffer, skip: NonNullable<typeof skipLine>): LineBatch | undefined => {
    const first = buf.indexOf(10);
    if (first === -1) return feed(write(buf));
    const batch: LineBatch = { first: lineNo, lines: [] };
    feed(write(buf.subarray(0, first + 1)), batch);
    let start = first + 1;
    // The Latin-1 reading is made for a window of whole lines at a time, at most LATIN_WINDOW bytes (or one
    // line, if longer): a string that small is allocated young and dies young, where one string of the whole
    // chunk would live in large-object space and bring on full collections of the old generation.
    let latin = "";
    let base = 0;
    let windowEnd = -1;
    for (let nl = buf.indexOf(10, start); nl !== -1; nl = buf.indexOf(10, start)) {
      if (nl > windowEnd) {
        base = start;
        const cap = buf.lastIndexOf(10, start + LATIN_WINDOW);
        windowEnd = Math.max(cap, nl);
        latin = buf.toString("latin1", base, windowEnd);
      }
      // `emit` drops the CR of a CRLF from the text, as `feed` does; `skip` sees the line without it.
      if (skip(latin, start - base, (nl > start && buf[nl - 1] === 13 ? nl - 1 : nl) - base))
        batch.lines.push(SKIPPED_LINE);
      else if (nl - start <= maxLineChars) emit(batch, buf.toString("utf8", start, nl));
      else {
        const text = buf.toString("utf8", start, nl);
        if (text.length > maxLineChars) batch.lines.push({ overlong: text.length });
        else emit(batch, text);
      }
      lineNo++;
      start = nl + 1;
    }
    if (start < buf.length) feed(write(buf.subarray(start)), batch);
    return batch.lines.length > 0 ? batch : undefined;
  };

  for await (let buf of src) {
    if (encoding === "utf16be") {
      if (oddByte) {
        buf = Buffer.concat([oddByte, buf]);
        oddByte = undefined;
      }
      if (buf.length & 1) {
        oddByte = buf.subarray(buf.length - 1);
        buf = buf.subarray(0, buf.length - 1);
      }
      buf = swap16(buf);
    }
    const b = skipLine !== undefined ? feedBytes(buf, skipLine) : feed(write(buf));
    if (b) yield b;
  }
  const last = wellFormed(decoder.end()) + (oddByte ? "\uFFFD" : "");
  const batch = feed(last) ?? { first: lineNo, lines: [] };
  if (skipping)
    batch.lines.push(pieces ? { overlong: skippedLen, piece: "", end: true } : { overlong: skippedLen });
  else if (partsLen > 0) emit(batch, parts.join(""));
  if (batch.lines.length > 0) yield batch;
}

/**
 * What an input is, decided from its first bytes — never from its name.
 *
 * Order: container and binary magic numbers (gzip, zip, ustar tar, EVTX, and formats we recognise only to say
 * they are unsupported: 7z, bzip2, xz, zstd), then text: the encoding from the BOM (or UTF-16 NUL pattern),
 * then the first non-blank character: `<` → XML event text, `{`/`[` → JSON, a `MM/DD/YYYY hh:mm:ss` line →
 * classic WinEventLog text. Anything else (Markdown, YAML, HTML, binary data, an empty file) is not a log.
 */
import { isClassicTimestamp } from "./classic/classic-event.js";
import { isTarHeader } from "./containers/tar-entries.js";
import { ZIP_EMPTY_MAGIC, ZIP_MAGIC } from "./containers/zip-entries.js";
import { EVTX_MAGIC } from "./evtx/index.js";
import { decodeHead, detectTextEncoding, type TextEncodingInfo } from "./text/decode-lines.js";

export type Detected =
  | { kind: "gzip" }
  | { kind: "zip" }
  | { kind: "tar" }
  | { kind: "evtx" }
  | { kind: "text"; format: "xml" | "json" | "classic"; encoding: TextEncodingInfo }
  | { kind: "skip"; reason: string };

/** How many bytes of the head `detectFormat` wants to see (fewer at end of input is fine). */
export const DETECT_BYTES = 64 * 1024;

const UNSUPPORTED: Array<[Buffer, string]> = [
  [Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]), "7z archive (not supported: extract it first)"],
  [Buffer.from("BZh", "latin1"), "bzip2 data (not supported: decompress it first)"],
  [Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), "xz data (not supported: decompress it first)"],
  [Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), "zstd data (not supported: decompress it first)"],
  [Buffer.from("Rar!", "latin1"), "RAR archive (not supported: extract it first)"],
];

function startsWith(head: Buffer, magic: Buffer): boolean {
  return head.length >= magic.length && head.subarray(0, magic.length).equals(magic);
}

export function detectFormat(head: Buffer): Detected {
  if (head.length === 0) return { kind: "skip", reason: "empty file" };
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return { kind: "gzip" };
  if (startsWith(head, ZIP_MAGIC) || startsWith(head, ZIP_EMPTY_MAGIC)) return { kind: "zip" };
  if (startsWith(head, Buffer.from(EVTX_MAGIC, "latin1"))) return { kind: "evtx" };
  if (isTarHeader(head)) return { kind: "tar" };
  for (const [magic, reason] of UNSUPPORTED) if (startsWith(head, magic)) return { kind: "skip", reason };

  const encoding = detectTextEncoding(head);
  const text = decodeHead(head, encoding);
  const m = /^[\s\0\uFEFF]*/.exec(text);
  const start = m ? m[0].length : 0;
  if (start === text.length) return { kind: "skip", reason: "blank file" };
  const sample = text.slice(start, start + 4096).replace(/\0/g, ""); // NUL padding is not binary data
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) control++;
  }
  if (control > sample.length / 10) return { kind: "skip", reason: "binary data of no known log format" };
  // The first non-blank line decides. A first line that is damage (control characters, invalid UTF-8, a cut
  // record) does not hide the log behind it: unless it looks like a document (Markdown, YAML), the next
  // lines of the head are tried.
  const lines = sample.split(/\r?\n/, 64).filter((l) => l.trim().length > 0);
  const first = lines.find((l) => !isJunk(l)) ?? lines[0] ?? "";
  const firstFormat = lineFormat(first, sample.slice(sample.indexOf(first)));
  if (firstFormat !== undefined)
    return firstFormat === "skip-html" ? htmlSkip : { kind: "text", format: firstFormat, encoding };
  if (!looksLikeDocument(first)) {
    for (const l of lines.slice(lines.indexOf(first) + 1)) {
      const f = isJunk(l) ? undefined : lineFormat(l, "");
      if (f !== undefined && f !== "skip-html") return { kind: "text", format: f, encoding };
    }
  }
  const shown = first
    .trim()
    .slice(0, 40)
    .replace(/[^\x20-\x7e]/g, "?");
  return { kind: "skip", reason: `text that is not a log (starts with "${shown}")` };
}

const htmlSkip: Detected = { kind: "skip", reason: "HTML document, not a log" };

/** The format a line announces, if any. `rest` is the text from this line on (for the HTML check). */
function lineFormat(line: string, rest: string): "xml" | "json" | "classic" | "skip-html" | undefined {
  const t = line.trimStart();
  const c = t[0];
  if (c === "<") {
    if (/^<(!DOCTYPE\s+html|html[\s>])/i.test(rest.trimStart() || t)) return "skip-html";
    return "xml";
  }
  if (c === "{" || c === "[") return "json";
  if (isClassicTimestamp(t)) return "classic";
  return undefined;
}

/** A line of binary damage: control characters (other than tab) or invalid UTF-8. */
function isJunk(line: string): boolean {
  return /[\x00-\x08\x0b\x0c\x0e-\x1f\uFFFD]/.test(line);
}

/** Markdown headings, YAML documents and `key: value` lines: text that is a document, not a damaged log. */
function looksLikeDocument(line: string): boolean {
  return /^(#|---|%YAML|[A-Za-z_][\w .-]*:(\s|$))/.test(line.trimStart());
}

/**
 * BinXML value types (MS-EVEN6 2.2.18 "Value types") rendered as text the way Windows renders them in
 * event XML (SEMANTICS.md §3 "How EVTX values are rendered as text"):
 * - integers in decimal; HexInt32/HexInt64 and SizeT as `0x` + lower-case hex without leading zeros;
 * - Bool (4 bytes) `true`/`false`, any non-zero value is true;
 * - GUID upper-case in braces; SID `S-1-5-…`; binary upper-case hex;
 * - FILETIME/SYSTEMTIME as ISO 8601 UTC with exactly 7 fractional digits (`2021-12-07T14:54:22.0715625Z`);
 * - strings with trailing NULs removed (UTF-16LE, or Latin-1 for ANSI strings);
 * - arrays (type | 0x80): an element whose whole content is one array value is repeated once per item
 *   (as Windows and libevtx render classic events' `<Data>%1</Data>`; see `to-event.ts`); anywhere
 *   else the items are joined with ", " (documented in docs/evtx.md).
 *
 * Everything reads from the chunk buffer at a given offset and size; nothing is copied except the
 * resulting string. A value that does not fit its declared size throws `EvtxFormatError`.
 */

import { wellFormed } from "../../well-formed.js";
import { EvtxFormatError } from "../format-error.js";

export const VT_NULL = 0x00;
export const VT_STRING = 0x01;
export const VT_ANSI_STRING = 0x02;
export const VT_INT8 = 0x03;
export const VT_UINT8 = 0x04;
export const VT_INT16 = 0x05;
export const VT_UINT16 = 0x06;
export const VT_INT32 = 0x07;
export const VT_UINT32 = 0x08;
export const VT_INT64 = 0x09;
export const VT_UINT64 = 0x0a;
export const VT_REAL32 = 0x0b;
export const VT_REAL64 = 0x0c;
export const VT_BOOL = 0x0d;
export const VT_BINARY = 0x0e;
export const VT_GUID = 0x0f;
export const VT_SIZE_T = 0x10;
export const VT_FILETIME = 0x11;
export const VT_SYSTIME = 0x12;
export const VT_SID = 0x13;
export const VT_HEX_INT32 = 0x14;
export const VT_HEX_INT64 = 0x15;
export const VT_EVT_HANDLE = 0x20;
export const VT_BINXML = 0x21;
export const VT_EVT_XML = 0x23;
export const VT_ARRAY = 0x80;

/** Byte size of each fixed-size base type (0 = variable size). */
const FIXED_SIZE: Record<number, number> = {
  [VT_INT8]: 1,
  [VT_UINT8]: 1,
  [VT_INT16]: 2,
  [VT_UINT16]: 2,
  [VT_INT32]: 4,
  [VT_UINT32]: 4,
  [VT_INT64]: 8,
  [VT_UINT64]: 8,
  [VT_REAL32]: 4,
  [VT_REAL64]: 8,
  [VT_BOOL]: 4,
  [VT_GUID]: 16,
  [VT_FILETIME]: 8,
  [VT_SYSTIME]: 16,
  [VT_HEX_INT32]: 4,
  [VT_HEX_INT64]: 8,
};

/** Byte size of a fixed-size base type, or 0 when the type has a variable size. */
export function fixedSize(type: number): number {
  return FIXED_SIZE[type] ?? 0;
}

const HEX_UPPER: string[] = [];
for (let i = 0; i < 256; i++) HEX_UPPER.push(i.toString(16).toUpperCase().padStart(2, "0"));

/** Seconds between 1601-01-01 and 1970-01-01. */
const EPOCH_DIFF_SECONDS = 11644473600;
const TWO_32 = 4294967296;

/** Renders `size` bytes at `off` of type `type` (a base type or an array type; not BinXML). */
export function renderValue(buf: Buffer, off: number, size: number, type: number): string {
  if (type & VT_ARRAY) return renderArray(buf, off, size, type & 0x7f);
  switch (type) {
    case VT_NULL:
      return "";
    case VT_STRING:
      return utf16(buf, off, size);
    case VT_ANSI_STRING:
      return ansi(buf, off, size);
    case VT_INT8:
      need1(type, size, 1, off);
      return String(buf.readInt8(off));
    case VT_UINT8:
      need1(type, size, 1, off);
      return String(buf[off]);
    case VT_INT16:
      need1(type, size, 2, off);
      return String(buf.readInt16LE(off));
    case VT_UINT16:
      need1(type, size, 2, off);
      return String(buf.readUInt16LE(off));
    case VT_INT32:
      need1(type, size, 4, off);
      return String(buf.readInt32LE(off));
    case VT_UINT32:
      need1(type, size, 4, off);
      return String(buf.readUInt32LE(off));
    case VT_INT64:
      need1(type, size, 8, off);
      return int64Decimal(buf, off);
    case VT_UINT64:
      need1(type, size, 8, off);
      return uint64Decimal(buf, off);
    case VT_REAL32:
      need1(type, size, 4, off);
      return String(buf.readFloatLE(off));
    case VT_REAL64:
      need1(type, size, 8, off);
      return String(buf.readDoubleLE(off));
    case VT_BOOL:
      need1(type, size, 4, off);
      return buf.readUInt32LE(off) !== 0 ? "true" : "false";
    case VT_BINARY:
    case VT_EVT_HANDLE:
    case VT_EVT_XML:
      return hexUpper(buf, off, size);
    case VT_GUID:
      need1(type, size, 16, off);
      return guid(buf, off);
    case VT_SIZE_T:
      if (size === 4) return `0x${buf.readUInt32LE(off).toString(16)}`;
      need1(type, size, 8, off);
      return hex64(buf, off);
    case VT_FILETIME:
      need1(type, size, 8, off);
      return filetime(buf, off);
    case VT_SYSTIME:
      need1(type, size, 16, off);
      return systemtime(buf, off);
    case VT_SID:
      return sid(buf, off, size);
    case VT_HEX_INT32:
      need1(type, size, 4, off);
      return `0x${buf.readUInt32LE(off).toString(16)}`;
    case VT_HEX_INT64:
      need1(type, size, 8, off);
      return hex64(buf, off);
    default:
      throw new EvtxFormatError(`unknown value type 0x${type.toString(16)}`, off);
  }
}

/**
 * Throws exactly where `renderValue` would, without making its text where that is cheap to decide (strings,
 * binary, fixed-size types); other types are rendered and the text dropped.
 */
export function checkValue(buf: Buffer, off: number, size: number, type: number): void {
  switch (type) {
    case VT_NULL:
    case VT_STRING:
    case VT_ANSI_STRING:
    case VT_BINARY:
    case VT_EVT_HANDLE:
    case VT_EVT_XML:
      return;
    case VT_SIZE_T:
      if (size !== 4) need1(type, size, 8, off);
      return;
    default: {
      const want = FIXED_SIZE[type];
      if (want !== undefined && !(type & VT_ARRAY)) need1(type, size, want, off);
      else renderValue(buf, off, size, type);
    }
  }
}

function need1(type: number, size: number, want: number, off: number): void {
  if (size < want) {
    throw new EvtxFormatError(`value of type 0x${type.toString(16)} needs ${want} bytes, has ${size}`, off);
  }
}

/** UTF-16LE text without its trailing NULs (Windows strings usually carry one terminator). */
export function utf16(buf: Buffer, off: number, size: number): string {
  let end = off + (size & ~1);
  while (end > off && buf[end - 1] === 0 && buf[end - 2] === 0) end -= 2;
  return wellFormed(buf.toString("utf16le", off, end));
}

function ansi(buf: Buffer, off: number, size: number): string {
  let end = off + size;
  while (end > off && buf[end - 1] === 0) end--;
  return buf.toString("latin1", off, end);
}

function hexUpper(buf: Buffer, off: number, size: number): string {
  let s = "";
  for (let i = off; i < off + size; i++) s += HEX_UPPER[buf[i]];
  return s;
}

/** `{D1-D2-D3-D4-D5}` in upper case: D1, D2, D3 are little-endian numbers, D4 and D5 bytes in order. */
function guid(buf: Buffer, off: number): string {
  const h = HEX_UPPER;
  return (
    `{${h[buf[off + 3]]}${h[buf[off + 2]]}${h[buf[off + 1]]}${h[buf[off]]}-${h[buf[off + 5]]}${h[buf[off + 4]]}-` +
    `${h[buf[off + 7]]}${h[buf[off + 6]]}-${h[buf[off + 8]]}${h[buf[off + 9]]}-${h[buf[off + 10]]}` +
    `${h[buf[off + 11]]}${h[buf[off + 12]]}${h[buf[off + 13]]}${h[buf[off + 14]]}${h[buf[off + 15]]}}`
  );
}

function hex64(buf: Buffer, off: number): string {
  const lo = buf.readUInt32LE(off);
  const hi = buf.readUInt32LE(off + 4);
  if (hi === 0) return `0x${lo.toString(16)}`;
  return `0x${hi.toString(16)}${lo.toString(16).padStart(8, "0")}`;
}

function uint64Decimal(buf: Buffer, off: number): string {
  const lo = buf.readUInt32LE(off);
  const hi = buf.readUInt32LE(off + 4);
  if (hi < 0x200000) return String(hi * TWO_32 + lo);
  return buf.readBigUInt64LE(off).toString();
}

function int64Decimal(buf: Buffer, off: number): string {
  const lo = buf.readUInt32LE(off);
  const hi = buf.readInt32LE(off + 4);
  if (hi < 0x200000 && hi >= -0x200000) return String(hi * TWO_32 + lo);
  return buf.readBigInt64LE(off).toString();
}

function sid(buf: Buffer, off: number, size: number): string {
  if (size < 8) throw new EvtxFormatError(`SID needs at least 8 bytes, has ${size}`, off);
  const revision = buf[off];
  const count = buf[off + 1];
  if (size < 8 + 4 * count) throw new EvtxFormatError(`SID with ${count} sub-authorities overruns`, off);
  // The identifier authority is a 48-bit big-endian number.
  const authority = buf.readUInt16BE(off + 2) * TWO_32 + buf.readUInt32BE(off + 4);
  let s = `S-${revision}-${authority}`;
  for (let i = 0; i < count; i++) s += `-${buf.readUInt32LE(off + 8 + 4 * i)}`;
  return s;
}

/** FILETIME (100 ns ticks since 1601-01-01 UTC) → `YYYY-MM-DDTHH:MM:SS.fffffffZ`. */
export function filetime(buf: Buffer, off: number): string {
  const lo = buf.readUInt32LE(off);
  const hi = buf.readUInt32LE(off + 4);
  let seconds: number;
  let ticks: number;
  if (hi < 0x200000) {
    // hi * 2^32 + lo < 2^53: exact in a double.
    const total = hi * TWO_32 + lo;
    seconds = Math.floor(total / 10_000_000);
    ticks = total - seconds * 10_000_000;
  } else {
    const total = buf.readBigUInt64LE(off);
    seconds = Number(total / 10_000_000n);
    ticks = Number(total % 10_000_000n);
  }
  return isoSeconds(seconds - EPOCH_DIFF_SECONDS, ticks);
}

const PAD2: string[] = [];
for (let i = 0; i < 100; i++) PAD2.push(i < 10 ? `0${i}` : String(i));

/** The last calendar day rendered (`YYYY-MM-DD`): events of one file mostly share a few days. */
let cachedDay = Number.NaN;
let cachedDayText = "";

/** `seconds` since 1970 plus `ticks` of 100 ns → ISO 8601 with 7 fractional digits. */
function isoSeconds(unixSeconds: number, ticks: number): string {
  const day = Math.floor(unixSeconds / 86400);
  if (day !== cachedDay) {
    const d = new Date(day * 86400000);
    if (Number.isNaN(d.getTime())) return "";
    cachedDay = day;
    cachedDayText = d.toISOString().slice(0, -14); // YYYY-MM-DD (or ±YYYYYY-MM-DD for far years)
  }
  const inDay = unixSeconds - day * 86400;
  const h = Math.floor(inDay / 3600);
  const m = Math.floor((inDay % 3600) / 60);
  const sec = inDay % 60;
  const frac = ticks < 1000000 ? String(ticks).padStart(7, "0") : String(ticks);
  return `${cachedDayText}T${PAD2[h]}:${PAD2[m]}:${PAD2[sec]}.${frac}Z`;
}

/** SYSTEMTIME: year, month, day-of-week, day, hour, minute, second, milliseconds (u16 each). */
function systemtime(buf: Buffer, off: number): string {
  const year = buf.readUInt16LE(off);
  const month = buf.readUInt16LE(off + 2);
  const day = buf.readUInt16LE(off + 6);
  const hour = buf.readUInt16LE(off + 8);
  const minute = buf.readUInt16LE(off + 10);
  const second = buf.readUInt16LE(off + 12);
  const ms = buf.readUInt16LE(off + 14);
  const p2 = (n: number) => String(n).padStart(2, "0");
  return `${String(year).padStart(4, "0")}-${p2(month)}-${p2(day)}T${p2(hour)}:${p2(minute)}:${p2(second)}.${String(ms * 10000).padStart(7, "0")}Z`;
}

function renderArray(buf: Buffer, off: number, size: number, base: number): string {
  return renderArrayItems(buf, off, size, base | VT_ARRAY).join(", ");
}

/** The items of an array value (`type` has the 0x80 bit), each rendered as its base type. */
export function renderArrayItems(buf: Buffer, off: number, size: number, type: number): string[] {
  const base = type & 0x7f;
  const items: string[] = [];
  if (base === VT_STRING) {
    // NUL-terminated UTF-16 strings, one after another.
    let start = off;
    const end = off + (size & ~1);
    for (let i = off; i < end; i += 2) {
      if (buf[i] === 0 && buf[i + 1] === 0) {
        items.push(wellFormed(buf.toString("utf16le", start, i)));
        start = i + 2;
      }
    }
    if (start < end) items.push(wellFormed(buf.toString("utf16le", start, end)));
    return items;
  }
  if (base === VT_ANSI_STRING) {
    let start = off;
    for (let i = off; i < off + size; i++) {
      if (buf[i] === 0) {
        items.push(buf.toString("latin1", start, i));
        start = i + 1;
      }
    }
    if (start < off + size) items.push(buf.toString("latin1", start, off + size));
    return items;
  }
  let item = FIXED_SIZE[base] ?? 0;
  if (base === VT_SIZE_T) item = size % 8 === 0 ? 8 : 4;
  if (item === 0) {
    throw new EvtxFormatError(`array of variable-size type 0x${base.toString(16)} is not supported`, off);
  }
  for (let p = off; p + item <= off + size; p += item) items.push(renderValue(buf, p, item, base));
  return items;
}

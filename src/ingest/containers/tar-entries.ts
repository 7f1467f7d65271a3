/**
 * A small streaming tar reader (POSIX ustar, pax `x` headers for long names and sizes, GNU `L` long names),
 * written here rather than taken from a package because it is ~100 lines over our ByteSource and needs no
 * dependency tree (see docs/formats.md). Each file member's body is a stream of exactly its size; whatever
 * the consumer leaves unread is skipped before the next header. A body cut short throws TarDamaged at once.
 *
 * Header checksums (tar's only integrity check; member data has none): a header whose checksum fails is
 * not silently taken or dropped. If it still reads as a ustar header (magic, a valid size), it is used as
 * it is (warn and read: the member is read as the damaged header describes it); otherwise the blocks after
 * it are searched for the next valid header and reading goes on there (the bytes in between are lost). An
 * all-zero block is the end of the archive only if no valid header follows it (an erased header, or two
 * archives concatenated, is read past). The input is always read to its end, so that a container around
 * the tar (zip CRC-32, gzip) checks all of it. The damage found is thrown as one TarDamaged when the archive
 * ends, after every member was read: it names the first damaged member (its input is then read, damaged)
 * and lists every damaged header with its offset in the tar.
 */
import type { ByteSource } from "../byte-source.js";

export class TarDamaged extends Error {
  /** The member whose body is cut short, when that is the damage (its reader already had what there was). */
  readonly member?: string;
  constructor(message: string, member?: string) {
    super(message);
    if (member !== undefined) this.member = member;
  }
}

export interface TarMember {
  name: string;
  size: number;
  body: AsyncIterable<Buffer>;
}

/**
 * True if a 512-byte block starts a ustar archive: the magic and a valid checksum, or the magic and a size
 * field that reads (a damaged first header is then reported by tarMembers, not taken for binary data).
 */
export function isTarHeader(head: Buffer): boolean {
  if (head.length < 512) return false;
  return head.toString("latin1", 257, 262) === "ustar" && (checksumOk(head) || plausible(head));
}

/** A header whose checksum fails but which still reads as ustar: the magic, a valid size and type. */
function plausible(h: Buffer): boolean {
  if (h.toString("latin1", 257, 262) !== "ustar") return false;
  const type = h[156];
  if (type !== 0 && (type < 0x20 || type > 0x7e)) return false;
  if (h[124] & 0x80) return true; // base-256 size
  return /^ *[0-7]+[ \0]*$/.test(h.toString("latin1", 124, 136));
}

function storedChecksum(h: Buffer): string {
  return h
    .toString("latin1", 148, 156)
    .replace(/[\0 ]+$/, "")
    .trim();
}

function checksum(h: Buffer): number {
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
  return sum;
}

function checksumOk(h: Buffer): boolean {
  return parseOctal(h, 148, 8) === checksum(h);
}

function parseOctal(h: Buffer, off: number, len: number): number {
  if (h[off] & 0x80) {
    // GNU base-256 for large sizes
    let v = 0;
    for (let i = off + 1; i < off + len; i++) v = v * 256 + h[i];
    return v;
  }
  const s = h
    .toString("latin1", off, off + len)
    .replace(/\0.*$/s, "")
    .trim();
  return s.length === 0 ? 0 : Number.parseInt(s, 8);
}

function cString(h: Buffer, off: number, len: number): string {
  const end = h.indexOf(0, off);
  return h.toString("utf8", off, end === -1 || end > off + len ? off + len : end);
}

function parsePax(b: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < b.length) {
    const sp = b.indexOf(32, i);
    if (sp === -1) break;
    const len = Number.parseInt(b.toString("latin1", i, sp), 10);
    if (!Number.isFinite(len) || len <= 0) break;
    const rec = b.toString("utf8", sp + 1, i + len - 1);
    const eq = rec.indexOf("=");
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    i += len;
  }
  return out;
}

/** A damaged place in the archive: what and where, and the member it concerns (if one was read). */
interface Damage {
  text: string;
  member?: string;
}

export async function* tarMembers(src: ByteSource): AsyncGenerator<TarMember, void> {
  let pos = 0; // offset in the tar of the next byte to read
  const damage: Damage[] = [];
  /** A damaged header that precedes a member (its own, or a pax/long-name header before it). */
  let forNext: Damage | undefined;

  const read = async (n: number): Promise<Buffer> => {
    const b = await src.readExact(n);
    pos += b.length;
    return b;
  };
  const skip = async (n: number): Promise<number> => {
    const k = await src.skip(n);
    pos += k;
    return k;
  };
  /** Reads blocks until one is a valid header (returned with its offset) or the input ends. */
  const resync = async (): Promise<{ h: Buffer; at: number } | undefined> => {
    for (;;) {
      const at = pos;
      const b = await read(512);
      if (b.length < 512) return undefined; // a torn block or the end: nothing more to read
      if (checksumOk(b)) return { h: b, at };
    }
  };
  /** The damage found, as one error (the cut that ends reading, if any, last). */
  const damaged = (cut?: string, member?: string): TarDamaged => {
    const texts = damage.map((d) => d.text);
    if (cut !== undefined) texts.push(cut);
    const text = texts.length === 1 ? texts[0] : `${texts.length} damaged places: ${texts.join("; ")}`;
    return new TarDamaged(text, member ?? damage.find((d) => d.member !== undefined)?.member);
  };
  const readAll = async (size: number): Promise<Buffer> => {
    const b = await read(size);
    if (b.length < size) throw damaged("tar member is cut short");
    await skip((512 - (size % 512)) % 512);
    return b;
  };

  let longName: string | undefined;
  let pax: Record<string, string> = {};
  let pending: { h: Buffer; at: number } | undefined;
  while (true) {
    const at = pending?.at ?? pos;
    const h = pending?.h ?? (await read(512));
    pending = undefined;
    if (h.length === 0) break;
    if (h.length < 512) throw damaged("tar header is cut short");
    if (h.every((x) => x === 0)) {
      // The end of the archive, unless a valid header follows (an erased header, concatenated archives).
      pending = await resync();
      if (pending === undefined) break;
      damage.push({
        text: `an all-zero block at offset ${at} (an erased header, or the end of an archive) is followed by a valid tar header at offset ${pending.at}: reading went on there; the ${pending.at - at} bytes in between were not read`,
      });
      continue;
    }
    if (!checksumOk(h)) {
      const checks = `checksum field ${storedChecksum(h) || "empty"}, computed ${checksum(h).toString(8).padStart(6, "0")}`;
      if (!plausible(h)) {
        const named = cString(h, 0, 100);
        const what = /^[\x20-\x7e]+$/.test(named) ? ` (naming "${named}")` : "";
        pending = await resync();
        const skipped = (pending?.at ?? pos) - at;
        damage.push({
          text: `the tar header at offset ${at}${what} is damaged (${checks}; its type or size does not read): ${skipped} bytes were skipped ${pending !== undefined ? `to the next valid header, at offset ${pending.at}` : "to the end of the archive"}`,
        });
        if (pending === undefined) break;
        continue;
      }
      forNext = {
        text: `the tar header at offset ${at} does not match its checksum (${checks}); the member was read as that header describes it`,
      };
      damage.push(forNext);
    }
    const type = String.fromCharCode(h[156] || 48);
    let size = parseOctal(h, 124, 12);
    if (type === "x" || type === "g") {
      const p = parsePax(await readAll(size));
      if (type === "x") pax = p;
      continue;
    }
    if (type === "L") {
      longName = (await readAll(size)).toString("utf8").replace(/\0+$/, "");
      continue;
    }
    let name = cString(h, 0, 100);
    if (h.toString("latin1", 257, 262) === "ustar") {
      const prefix = cString(h, 345, 155);
      if (prefix.length > 0) name = `${prefix}/${name}`;
    }
    if (longName !== undefined) name = longName;
    if (pax.path !== undefined) name = pax.path;
    if (pax.size !== undefined && /^\d+$/.test(pax.size)) size = Number(pax.size);
    longName = undefined;
    pax = {};
    const padding = (512 - (size % 512)) % 512;
    if (type === "0" || type === "7") {
      if (forNext !== undefined) {
        forNext.member = name;
        forNext.text = `"${name}": ${forNext.text}`;
        forNext = undefined;
      }
      let consumed = 0;
      const body = (async function* () {
        for await (const b of src.take(size - consumed)) {
          consumed += b.length;
          pos += b.length;
          yield b;
        }
      })();
      yield { name, size, body };
      const skipped = await skip(size - consumed);
      if (consumed + skipped < size) throw damaged("tar member is cut short", name);
    } else {
      if (forNext !== undefined) {
        forNext.text = `"${name}": ${forNext.text}`;
        forNext = undefined;
      }
      if ((await skip(size)) < size) throw damaged("tar member is cut short");
    }
    await skip(padding);
  }
  if (damage.length > 0) throw damaged();
}

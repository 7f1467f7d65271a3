/**
 * A small streaming tar reader (POSIX ustar, pax `x` headers for long names and sizes, GNU `L` long names),
 * written here rather than taken from a package because it is ~100 lines over our ByteSource and needs no
 * dependency tree (see docs/formats.md). Each file member's body is a stream of exactly its size; whatever
 * the consumer leaves unread is skipped before the next header. A bad header checksum or a body cut short
 * throws TarDamaged.
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

/** True if a 512-byte header block has the ustar magic and a valid checksum. */
export function isTarHeader(head: Buffer): boolean {
  if (head.length < 512) return false;
  return head.toString("latin1", 257, 262) === "ustar" && checksumOk(head);
}

function checksumOk(h: Buffer): boolean {
  const stored = parseOctal(h, 148, 8);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
  return stored === sum;
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

async function readAll(src: ByteSource, size: number): Promise<Buffer> {
  const b = await src.readExact(size);
  if (b.length < size) throw new TarDamaged("tar member is cut short");
  await src.skip((512 - (size % 512)) % 512);
  return b;
}

export async function* tarMembers(src: ByteSource): AsyncGenerator<TarMember, void> {
  let longName: string | undefined;
  let pax: Record<string, string> = {};
  while (true) {
    const h = await src.readExact(512);
    if (h.length === 0) return;
    if (h.length < 512) throw new TarDamaged("tar header is cut short");
    if (h.every((x) => x === 0)) return;
    if (!checksumOk(h)) throw new TarDamaged("tar header checksum does not match");
    const type = String.fromCharCode(h[156] || 48);
    let size = parseOctal(h, 124, 12);
    if (type === "x" || type === "g") {
      const p = parsePax(await readAll(src, size));
      if (type === "x") pax = p;
      continue;
    }
    if (type === "L") {
      longName = (await readAll(src, size)).toString("utf8").replace(/\0+$/, "");
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
      let consumed = 0;
      const body = (async function* () {
        for await (const b of src.take(size - consumed)) {
          consumed += b.length;
          yield b;
        }
      })();
      yield { name, size, body };
      const skipped = await src.skip(size - consumed);
      if (consumed + skipped < size) throw new TarDamaged("tar member is cut short", name);
    } else {
      if ((await src.skip(size)) < size) throw new TarDamaged("tar member is cut short");
    }
    await src.skip(padding);
  }
}

/**
 * BinXML token stream → node tree (MS-EVEN6 2.2.12 BinXml grammar; libyal "Binary XML" notes).
 *
 * All offsets are relative to the chunk buffer: element/attribute names and template definitions are
 * referenced by chunk offset, and a name or template that is "defined here" (its offset equals the
 * current position) sits inline in the stream and is skipped after reading. Names and templates are
 * cached per chunk (`ChunkContext`), so a template is decoded once and instantiated many times.
 *
 * Every read is bounded by the end of the fragment being parsed (never the end of the chunk when a
 * smaller bound is known), every loop advances the cursor, and template nesting is depth-limited, so
 * damaged bytes end in an `EvtxFormatError`, never in a hang or an out-of-range read. Depth alone does not
 * bound the work: a value or template referenced twice at every level of a 40-deep nest expands 2^40 times
 * (a "billion laughs" record). So each record has a work budget (`tick`: fragments parsed and nodes visited
 * while reading it) far above any real record's and far below a hang.
 */

import { wellFormed } from "../../well-formed.js";
import { EvtxFormatError, need } from "../format-error.js";
import {
  type AttributeNode,
  type Content,
  type ElementNode,
  type InstanceNode,
  K_ELEMENT,
  K_INSTANCE,
  K_SUBST,
  K_TEXT,
  type Template,
  type Values,
} from "./nodes.js";
import { fixedSize, renderValue, utf16, VT_STRING } from "./values.js";

// Token bytes; the 0x40 bit means "has more data" (attributes follow / another attribute follows).
const T_EOF = 0x00;
const T_OPEN_START = 0x01;
const T_CLOSE_START = 0x02;
const T_CLOSE_EMPTY = 0x03;
const T_END_ELEMENT = 0x04;
const T_VALUE = 0x05;
const T_ATTRIBUTE = 0x06;
const T_CDATA = 0x07;
const T_CHAR_REF = 0x08;
const T_ENTITY_REF = 0x09;
const T_PI_TARGET = 0x0a;
const T_PI_DATA = 0x0b;
const T_TEMPLATE_INSTANCE = 0x0c;
const T_NORMAL_SUBST = 0x0d;
const T_OPTIONAL_SUBST = 0x0e;
const T_FRAGMENT_HEADER = 0x0f;
const MORE_BIT = 0x40;

/** Nesting limit for elements and template instances inside one record. */
const MAX_DEPTH = 64;
/** Fragments parsed plus nodes visited for one record; a real record needs hundreds. */
export const MAX_RECORD_WORK = 1_000_000;

/** The five predefined entities. A Map: a name such as `toString` must not find Object.prototype's members. */
const ENTITIES = new Map([
  ["amp", "&"],
  ["lt", "<"],
  ["gt", ">"],
  ["quot", '"'],
  ["apos", "'"],
]);

/** Per-chunk decoding state: the chunk bytes plus the name and template caches. */
export interface ChunkContext {
  readonly buf: Buffer;
  readonly names: Map<number, string>;
  readonly templates: Map<number, Template>;
  /** Work done for the record being read (reset per record by the caller); see `tick`. */
  work: number;
  /**
   * The values of the record being read by `readInstanceFragment` (`outer`), and of the template instance in its
   * BinXML value (`inner`); overwritten by the next record. They come from two pools of arrays, one `Values` per
   * number of values, so that a record allocates none and no array length is ever set.
   */
  outer: Values;
  inner: Values;
  readonly outerPool: Values[];
  readonly innerPool: Values[];
}

export function newChunkContext(buf: Buffer): ChunkContext {
  return {
    buf,
    names: new Map(),
    templates: new Map(),
    work: 0,
    outer: NO_VALUES,
    inner: NO_VALUES,
    outerPool: [],
    innerPool: [],
  };
}

const NO_VALUES: Values = { types: [], sizes: [], offsets: [] };

function pooledValues(pool: Values[], count: number): Values {
  let v = pool[count];
  if (v === undefined) {
    v = {
      types: new Array(count).fill(0),
      sizes: new Array(count).fill(0),
      offsets: new Array(count).fill(0),
    };
    pool[count] = v;
  }
  return v;
}

/**
 * The template of a fragment that is exactly one template instance (after an optional fragment header, followed by
 * the end-of-stream token or by nothing), with its values in `ctx.outer` (`inner` false) or `ctx.inner`; undefined
 * for any other fragment, and for one whose bytes do not hold together, which the `Parser` then reads (and
 * reports) as always. `depth` is the depth the `Parser` would read the fragment at (0 for a record, 1 for a BinXML
 * value among `<Event>`'s children).
 */
export function readInstanceFragment(
  ctx: ChunkContext,
  start: number,
  end: number,
  depth: number,
  inner: boolean,
): Template | undefined {
  const buf = ctx.buf;
  let pos = start;
  if (pos + 4 <= end && buf[pos] === T_FRAGMENT_HEADER) pos += 4;
  if (pos + 10 > end || buf[pos] !== T_TEMPLATE_INSTANCE) return undefined;
  const defOffset = buf.readUInt32LE(pos + 6);
  pos += 10;
  let template = ctx.templates.get(defOffset);
  if (defOffset === pos) {
    if (pos + 24 > end) return undefined;
    const size = buf.readUInt32LE(pos + 20);
    pos += 24 + size;
    if (pos > end) return undefined;
  }
  if (template === undefined) {
    try {
      template = parseTemplate(ctx, defOffset, depth);
    } catch (e) {
      if (e instanceof EvtxFormatError) return undefined;
      throw e;
    }
  }
  if (pos + 4 > end) return undefined;
  const count = buf.readUInt32LE(pos);
  pos += 4;
  if (count > (end - pos) >> 2) return undefined;
  const into = pooledValues(inner ? ctx.innerPool : ctx.outerPool, count);
  const { types, sizes, offsets } = into;
  let valuePos = pos + 4 * count;
  for (let i = 0, d = pos; i < count; i++, d += 4) {
    const size = buf[d] | (buf[d + 1] << 8);
    sizes[i] = size;
    types[i] = buf[d + 2];
    offsets[i] = valuePos;
    valuePos += size;
  }
  if (valuePos > end || (valuePos < end && buf[valuePos] !== T_EOF)) return undefined;
  if (inner) ctx.inner = into;
  else ctx.outer = into;
  return template;
}

/** Counts one unit of work for the current record; a record that needs more than the budget is damaged. */
export function tick(ctx: ChunkContext, at: number): void {
  if (++ctx.work > MAX_RECORD_WORK)
    throw new EvtxFormatError(
      `record expands beyond ${MAX_RECORD_WORK.toLocaleString("en-US")} steps (values or templates that refer to each other over and over)`,
      at,
    );
}

/** Decodes the BinXML fragment in `[start, end)` of the chunk into its top-level content. */
export function parseFragment(
  ctx: ChunkContext,
  start: number,
  end: number,
  depth = 0,
  inTemplate = false,
): Content[] {
  tick(ctx, start);
  return new Parser(ctx, start, end, depth, inTemplate).fragment();
}

class Parser {
  private pos: number;
  private readonly ctx: ChunkContext;
  private readonly end: number;
  private readonly depth: number;
  private readonly inTemplate: boolean;

  constructor(ctx: ChunkContext, start: number, end: number, depth: number, inTemplate: boolean) {
    this.ctx = ctx;
    this.pos = start;
    this.end = end;
    this.depth = depth;
    this.inTemplate = inTemplate;
  }

  fragment(): Content[] {
    const out: Content[] = [];
    while (this.pos < this.end) {
      const token = this.ctx.buf[this.pos];
      if (token === T_EOF) {
        this.pos++;
        break;
      }
      if (token === T_FRAGMENT_HEADER) {
        need("fragment header", this.pos, 4, this.end);
        this.pos += 4;
        continue;
      }
      this.contentItem(token, out, this.depth);
    }
    return out;
  }

  /** One item of element content (or of a fragment's top level). */
  private contentItem(token: number, out: Content[], depth: number): void {
    const buf = this.ctx.buf;
    switch (token & ~MORE_BIT) {
      case T_OPEN_START:
        out.push(this.element(token, depth));
        return;
      case T_VALUE:
        out.push({ kind: K_TEXT, text: this.valueText() });
        return;
      case T_CDATA: {
        need("CDATA section", this.pos, 3, this.end);
        const n = buf.readUInt16LE(this.pos + 1);
        need("CDATA text", this.pos + 3, 2 * n, this.end);
        out.push({ kind: K_TEXT, text: utf16(buf, this.pos + 3, 2 * n) });
        this.pos += 3 + 2 * n;
        return;
      }
      case T_CHAR_REF:
        out.push({ kind: K_TEXT, text: this.charRef() });
        return;
      case T_ENTITY_REF:
        out.push({ kind: K_TEXT, text: this.entityRef() });
        return;
      case T_PI_TARGET: {
        // Processing instructions carry no event data: read past target and data.
        need("PI target", this.pos, 5, this.end);
        this.pos += 1;
        this.name();
        if (this.pos < this.end && buf[this.pos] === T_PI_DATA) {
          need("PI data", this.pos, 3, this.end);
          const n = buf.readUInt16LE(this.pos + 1);
          need("PI data text", this.pos + 3, 2 * n, this.end);
          this.pos += 3 + 2 * n;
        }
        return;
      }
      case T_TEMPLATE_INSTANCE:
        out.push(this.templateInstance(depth));
        return;
      case T_NORMAL_SUBST:
      case T_OPTIONAL_SUBST:
        out.push(this.substitution(token));
        return;
      default:
        throw new EvtxFormatError(`unexpected BinXML token 0x${token.toString(16)}`, this.pos);
    }
  }

  private element(token: number, depth: number): ElementNode {
    if (depth >= MAX_DEPTH) throw new EvtxFormatError("BinXML nested too deeply", this.pos);
    const buf = this.ctx.buf;
    // token, dependency id (u16), data size (u32), name offset (u32). Some writers omit the dependency
    // id outside template definitions (the record-level elements of ID4656-WS_Management_listener_
    // enumeration.evtx, evtx-rs "inside substitution"); `hasDependencyId` decides from the name offset.
    need("element start", this.pos, 9, this.end);
    this.pos += this.hasDependencyId() ? 3 : 1;
    need("element start", this.pos, 8, this.end);
    this.pos += 4; // data size: the element is parsed token by token instead
    const name = this.name();
    const attrs: AttributeNode[] = [];
    if (token & MORE_BIT) {
      need("attribute list size", this.pos, 4, this.end);
      this.pos += 4;
      while (this.pos < this.end && (buf[this.pos] & ~MORE_BIT) === T_ATTRIBUTE) {
        const more = buf[this.pos] & MORE_BIT;
        this.pos++;
        const attrName = this.name();
        const value: Content[] = [];
        this.attributeValue(value);
        attrs.push({ name: attrName, value });
        if (!more) break;
      }
    }
    const children: Content[] = [];
    need("element close", this.pos, 1, this.end);
    const close = buf[this.pos];
    if (close === T_CLOSE_EMPTY) {
      this.pos++;
    } else if (close === T_CLOSE_START) {
      this.pos++;
      for (;;) {
        need("element content", this.pos, 1, this.end);
        const t = buf[this.pos];
        if (t === T_END_ELEMENT) {
          this.pos++;
          break;
        }
        if (t === T_EOF) throw new EvtxFormatError(`element <${name}> not closed`, this.pos);
        this.contentItem(t, children, depth + 1);
      }
    } else {
      throw new EvtxFormatError(`element <${name}>: unexpected token 0x${close.toString(16)}`, this.pos);
    }
    return { kind: K_ELEMENT, name, attrs, children };
  }

  /**
   * Whether the element start at the cursor carries the u16 dependency id. A name defined inline sits
   * right after its offset field, which identifies the layout; otherwise the standard layout is used
   * unless only the short one points at a plausible, earlier name string.
   */
  private hasDependencyId(): boolean {
    const buf = this.ctx.buf;
    const p = this.pos;
    const long = p + 11 <= this.end ? buf.readUInt32LE(p + 7) : -1;
    const short = buf.readUInt32LE(p + 5);
    if (long === p + 11) return true;
    if (short === p + 9) return false;
    if (this.inTemplate || this.plausibleName(long, p)) return true;
    return !this.plausibleName(short, p);
  }

  private plausibleName(off: number, before: number): boolean {
    const buf = this.ctx.buf;
    if (off < 0 || off >= before || off + 10 > buf.length) return false;
    const end = off + 8 + 2 * buf.readUInt16LE(off + 6);
    return end + 2 <= buf.length && buf[end] === 0 && buf[end + 1] === 0;
  }

  /** Value parts of one attribute: text, substitutions, character and entity references. */
  private attributeValue(out: Content[]): void {
    const buf = this.ctx.buf;
    while (this.pos < this.end) {
      const t = buf[this.pos];
      const base = t & ~MORE_BIT;
      if (base === T_VALUE) out.push({ kind: K_TEXT, text: this.valueText() });
      else if (t === T_NORMAL_SUBST || t === T_OPTIONAL_SUBST) out.push(this.substitution(t));
      else if (base === T_CHAR_REF) out.push({ kind: K_TEXT, text: this.charRef() });
      else if (base === T_ENTITY_REF) out.push({ kind: K_TEXT, text: this.entityRef() });
      else return;
    }
  }

  private valueText(): string {
    const buf = this.ctx.buf;
    need("value", this.pos, 2, this.end);
    const type = buf[this.pos + 1];
    this.pos += 2;
    if (type === VT_STRING) {
      need("value length", this.pos, 2, this.end);
      const n = buf.readUInt16LE(this.pos);
      need("value text", this.pos + 2, 2 * n, this.end);
      const s = utf16(buf, this.pos + 2, 2 * n);
      this.pos += 2 + 2 * n;
      return s;
    }
    // Other types in a value token are rare. A fixed-size type implies its size; anything else cannot
    // be skipped safely.
    const size = fixedSize(type);
    if (size === 0) {
      throw new EvtxFormatError(`value token of type 0x${type.toString(16)} is not supported`, this.pos - 2);
    }
    need("value", this.pos, size, this.end);
    const text = renderValue(buf, this.pos, size, type);
    this.pos += size;
    return text;
  }

  private charRef(): string {
    need("character reference", this.pos, 3, this.end);
    const code = this.ctx.buf.readUInt16LE(this.pos + 1);
    this.pos += 3;
    return String.fromCharCode(code);
  }

  private entityRef(): string {
    need("entity reference", this.pos, 5, this.end);
    this.pos++;
    const name = this.name();
    return ENTITIES.get(name) ?? `&${name};`;
  }

  private substitution(token: number): Content {
    need("substitution", this.pos, 4, this.end);
    const index = this.ctx.buf.readUInt16LE(this.pos + 1);
    this.pos += 4; // token, index (u16), value type (u8)
    return { kind: K_SUBST, index, optional: token === T_OPTIONAL_SUBST };
  }

  /** Reads a u32 name offset at the cursor; skips the name string when it is defined inline. */
  private name(): string {
    const buf = this.ctx.buf;
    need("name offset", this.pos, 4, this.end);
    const off = buf.readUInt32LE(this.pos);
    this.pos += 4;
    if (off === this.pos) {
      need("inline name", this.pos, 8, this.end);
      const n = buf.readUInt16LE(this.pos + 6);
      const size = 8 + 2 * n + 2;
      need("inline name text", this.pos, size, this.end);
      this.pos += size;
    }
    return readName(this.ctx, off);
  }

  private templateInstance(depth: number): InstanceNode {
    if (depth >= MAX_DEPTH) throw new EvtxFormatError("templates nested too deeply", this.pos);
    const buf = this.ctx.buf;
    // token, unknown (u8), template id (u32), definition offset (u32)
    need("template instance", this.pos, 10, this.end);
    const defOffset = buf.readUInt32LE(this.pos + 6);
    this.pos += 10;
    let template = this.ctx.templates.get(defOffset);
    if (defOffset === this.pos) {
      // Definition inline: next offset (u32), GUID (16), data size (u32), data.
      need("template definition", this.pos, 24, this.end);
      const size = buf.readUInt32LE(this.pos + 20);
      need("template body", this.pos + 24, size, this.end);
      if (template === undefined) template = parseTemplate(this.ctx, defOffset, depth);
      this.pos += 24 + size;
    } else if (template === undefined) {
      template = parseTemplate(this.ctx, defOffset, depth);
    }
    const values = this.values();
    return { kind: K_INSTANCE, template, values };
  }

  /** Substitution array: count (u32), then count × (size u16, type u8, pad u8), then the values. */
  private values(): Values {
    const buf = this.ctx.buf;
    need("substitution count", this.pos, 4, this.end);
    const count = buf.readUInt32LE(this.pos);
    this.pos += 4;
    need("substitution descriptors", this.pos, 4 * count, this.end);
    const types = new Array<number>(count);
    const sizes = new Array<number>(count);
    const offsets = new Array<number>(count);
    let valuePos = this.pos + 4 * count;
    for (let i = 0; i < count; i++) {
      const d = this.pos + 4 * i;
      const size = buf.readUInt16LE(d);
      sizes[i] = size;
      types[i] = buf[d + 2];
      offsets[i] = valuePos;
      valuePos += size;
    }
    need("substitution values", this.pos + 4 * count, valuePos - this.pos - 4 * count, this.end);
    this.pos = valuePos;
    return { types, sizes, offsets };
  }
}

/** Decodes (and caches) the template definition at `offset` in the chunk. */
function parseTemplate(ctx: ChunkContext, offset: number, depth: number): Template {
  const buf = ctx.buf;
  need("template definition", offset, 24, buf.length);
  const size = buf.readUInt32LE(offset + 20);
  need("template body", offset + 24, size, buf.length);
  const root = parseFragment(ctx, offset + 24, offset + 24 + size, depth + 1, true);
  const template: Template = { offset, root, plan: undefined, nestedPlan: undefined };
  ctx.templates.set(offset, template);
  return template;
}

/** Name string at a chunk offset: next offset (u32), hash (u16), length in chars (u16), UTF-16 text. */
export function readName(ctx: ChunkContext, off: number): string {
  const cached = ctx.names.get(off);
  if (cached !== undefined) return cached;
  const buf = ctx.buf;
  need("name", off, 8, buf.length);
  const n = buf.readUInt16LE(off + 6);
  need("name text", off + 8, 2 * n, buf.length);
  const text = wellFormed(buf.toString("utf16le", off + 8, off + 8 + 2 * n));
  const s = KNOWN_NAMES.get(text) ?? text;
  ctx.names.set(off, s);
  return s;
}

/**
 * Names the event walker compares against, mapped to the literal (internalized) strings, so those
 * comparisons are pointer checks instead of character loops.
 */
const KNOWN_NAMES = new Map(
  [
    "Event",
    "System",
    "Provider",
    "Name",
    "EventID",
    "Version",
    "Channel",
    "Computer",
    "TimeCreated",
    "SystemTime",
    "EventRecordID",
    "EventData",
    "UserData",
    "Data",
    "RenderingInfo",
  ].map((n) => [n, n]),
);

/** A value of substitution `i` of `values` rendered as text (BinXML values excluded). */
export function valueText(ctx: ChunkContext, values: Values, i: number): string {
  return renderValue(ctx.buf, values.offsets[i], values.sizes[i], values.types[i]);
}

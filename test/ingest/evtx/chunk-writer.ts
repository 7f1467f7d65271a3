/** A writer of hand-built EVTX chunks for the BinXML tests (binxml.test.ts, template-plan.test.ts). */

/** Writes BinXML into a 64 KiB chunk; every offset is chunk-relative, as in a real chunk. */
export class ChunkWriter {
  readonly buf = Buffer.alloc(65536);
  pos = 512;
  private recordStart = 0;
  readonly dependencyIds: boolean;
  constructor(dependencyIds = true) {
    this.dependencyIds = dependencyIds;
    this.buf.write("ElfChnk\0", 0, "latin1");
  }
  u8(v: number) {
    this.buf[this.pos++] = v;
    return this;
  }
  u16(v: number) {
    this.buf.writeUInt16LE(v, this.pos);
    this.pos += 2;
    return this;
  }
  u32(v: number) {
    this.buf.writeUInt32LE(v, this.pos);
    this.pos += 4;
    return this;
  }
  utf16(s: string) {
    this.pos += this.buf.write(s, this.pos, "utf16le");
    return this;
  }
  /** A name defined inline: its offset is the position right after the offset field. */
  name(s: string) {
    this.u32(this.pos + 4)
      .u32(0)
      .u16(0)
      .u16(s.length)
      .utf16(s)
      .u16(0);
    return this;
  }
  open(name: string, hasAttributes = false) {
    this.u8(hasAttributes ? 0x41 : 0x01);
    if (this.dependencyIds) this.u16(0xffff);
    this.u32(0).name(name);
    if (hasAttributes) this.u32(0);
    return this;
  }
  attr(name: string, more = false) {
    return this.u8(more ? 0x46 : 0x06).name(name);
  }
  text(s: string) {
    return this.u8(0x05).u8(0x01).u16(s.length).utf16(s);
  }
  closeStart() {
    return this.u8(0x02);
  }
  closeEmpty() {
    return this.u8(0x03);
  }
  end() {
    return this.u8(0x04);
  }
  subst(index: number, type: number, optional = false) {
    return this.u8(optional ? 0x0e : 0x0d)
      .u16(index)
      .u8(type);
  }
  leaf(name: string, write: (w: this) => void) {
    this.open(name).closeStart();
    write(this);
    return this.end();
  }
  dataNamed(name: string, write: (w: this) => void) {
    this.open("Data", true).attr("Name").text(name).closeStart();
    write(this);
    return this.end();
  }
  beginRecord(id: number) {
    this.recordStart = this.pos;
    this.u32(0x2a2a).u32(0);
    this.buf.writeBigUInt64LE(BigInt(id), this.pos);
    this.pos += 16; // record id + written time
    return this.u8(0x0f).u8(1).u8(1).u8(0);
  }
  endRecord() {
    this.u8(0x00);
    while ((this.pos + 4 - this.recordStart) % 8 !== 0) this.u8(0);
    const size = this.pos + 4 - this.recordStart;
    this.u32(size);
    this.buf.writeUInt32LE(size, this.recordStart + 4);
    this.buf.writeUInt32LE(this.pos, 48); // free space offset
    return this;
  }
  /**
   * A template instance whose definition is inline (written by `body`, from its fragment header on), then its
   * substitution values: count, descriptors (size, type), the bytes. A value given as a function is made for
   * the chunk offset it will sit at (a BinXML value's offsets are chunk offsets).
   */
  instance(
    templateId: number,
    body: (w: this) => void,
    values: readonly (readonly [number, Buffer | ((at: number) => Buffer)])[],
  ) {
    this.u8(0x0c).u8(1).u32(templateId);
    this.u32(this.pos + 4).u32(0);
    this.pos += 16; // GUID
    const sizeAt = this.pos;
    this.u32(0);
    const start = this.pos;
    body(this);
    this.buf.writeUInt32LE(this.pos - start, sizeAt);
    this.u32(values.length);
    const descriptors = this.pos;
    this.pos += 4 * values.length;
    for (const [i, [type, value]] of values.entries()) {
      const bytes = typeof value === "function" ? value(this.pos) : value;
      this.buf.writeUInt16LE(bytes.length, descriptors + 4 * i);
      this.buf[descriptors + 4 * i + 2] = type;
      bytes.copy(this.buf, this.pos);
      this.pos += bytes.length;
    }
    return this;
  }
  system(eventId: string) {
    this.open("System").closeStart();
    this.open("Provider", true).attr("Name").text("P").closeEmpty();
    this.leaf("EventID", (w) => w.text(eventId));
    this.leaf("Channel", (w) => w.text("C"));
    this.leaf("Computer", (w) => w.text("H"));
    return this.end();
  }
}

/**
 * A pull-based byte source over any async iterable of Buffers (a file stream, a gunzip stream, a tar
 * member). Readers and container parsers consume input through it so that nothing needs the whole file.
 *
 * Design notes:
 * - `peek(n)` buffers at most `n` bytes ahead (format detection looks at the head of a file).
 * - `readExact(n)` and `take(n)` serve the tar parser: a member body is `take(size)`, which streams and
 *   must be drained (or `skip`ped) before the next header is read.
 * - `bytesRead` counts bytes pulled from the underlying iterable (progress reporting).
 */

export class ByteSource {
  private readonly it: AsyncIterator<Buffer | Uint8Array | string>;
  private head: Buffer[] = [];
  private headLen = 0;
  private done = false;
  bytesRead = 0;

  constructor(source: AsyncIterable<Buffer | Uint8Array | string>) {
    this.it = source[Symbol.asyncIterator]();
  }

  /** Pulls one more chunk into the look-ahead; false at end of input. */
  private async pull(): Promise<boolean> {
    if (this.done) return false;
    const r = await this.it.next();
    if (r.done) {
      this.done = true;
      return false;
    }
    const v = r.value;
    const b = typeof v === "string" ? Buffer.from(v) : Buffer.isBuffer(v) ? v : Buffer.from(v);
    this.bytesRead += b.length;
    if (b.length > 0) {
      this.head.push(b);
      this.headLen += b.length;
    }
    return true;
  }

  /** Up to `n` bytes from the current position without consuming them (fewer at end of input). */
  async peek(n: number): Promise<Buffer> {
    while (this.headLen < n && (await this.pull())) {
      // keep pulling
    }
    if (this.head.length === 1) return this.head[0].subarray(0, n);
    const all = Buffer.concat(this.head);
    this.head = all.length > 0 ? [all] : [];
    return all.subarray(0, n);
  }

  /** Exactly `n` bytes, or fewer if the input ends first. */
  async readExact(n: number): Promise<Buffer> {
    const b = await this.peek(n);
    this.consume(b.length);
    return b;
  }

  private consume(n: number): void {
    let left = n;
    while (left > 0 && this.head.length > 0) {
      const first = this.head[0];
      if (first.length <= left) {
        this.head.shift();
        left -= first.length;
        this.headLen -= first.length;
      } else {
        this.head[0] = first.subarray(left);
        this.headLen -= left;
        left = 0;
      }
    }
  }

  /** Streams the next `n` bytes (or what is left, if the input is shorter). */
  async *take(n: number): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      if (this.head.length === 0 && !(await this.pull())) return;
      const first = this.head[0];
      if (first.length <= left) {
        this.head.shift();
        this.headLen -= first.length;
        left -= first.length;
        yield first;
      } else {
        this.head[0] = first.subarray(left);
        this.headLen -= left;
        const out = first.subarray(0, left);
        left = 0;
        yield out;
      }
    }
  }

  /** Discards the next `n` bytes; returns how many were actually skipped. */
  async skip(n: number): Promise<number> {
    let skipped = 0;
    for await (const b of this.take(n)) skipped += b.length;
    return skipped;
  }

  /** Everything from the current position to the end. */
  async *rest(): AsyncGenerator<Buffer> {
    while (true) {
      while (this.head.length > 0) {
        const b = this.head.shift()!;
        this.headLen -= b.length;
        yield b;
      }
      if (!(await this.pull())) return;
    }
  }

  /** Closes the underlying iterator early (e.g. a skipped file). */
  async close(): Promise<void> {
    this.head = [];
    this.headLen = 0;
    if (!this.done) {
      this.done = true;
      await this.it.return?.();
    }
  }
}

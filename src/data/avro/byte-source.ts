import { open, type FileHandle } from 'node:fs/promises';

/**
 * Sequential reads from a file in bounded chunks, tracking the absolute byte offset. Memory stays at
 * about one chunk plus the largest item asked for (an Avro block), whatever the file size.
 */
export class ByteSource {
  private buf: Buffer = Buffer.alloc(0);
  /** Position in `buf` of the next unread byte. */
  private pos = 0;
  /** Absolute file offset of `buf[0]`. */
  private base = 0;
  private eof = false;

  private constructor(
    private readonly handle: FileHandle,
    readonly size: number,
    private readonly chunkSize: number,
  ) {}

  static async open(path: string, chunkSize = 1 << 20): Promise<ByteSource> {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      return new ByteSource(handle, size, chunkSize);
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  /** Absolute offset of the next byte to be read. */
  get offset(): number {
    return this.base + this.pos;
  }

  /** Bytes not yet read (per the file size at open). */
  get remaining(): number {
    return this.size - this.offset;
  }

  /** Makes `n` bytes available from the current position; false if the file ends first. */
  async ensure(n: number): Promise<boolean> {
    while (this.buf.length - this.pos < n) {
      if (this.eof) return false;
      const keep = this.buf.subarray(this.pos);
      const want = Math.max(this.chunkSize, n - keep.length);
      const next = Buffer.allocUnsafe(keep.length + want);
      keep.copy(next, 0);
      const { bytesRead } = await this.handle.read(next, keep.length, want, this.base + this.buf.length);
      if (bytesRead === 0) this.eof = true;
      this.base += this.pos;
      this.buf = next.subarray(0, keep.length + bytesRead);
      this.pos = 0;
    }
    return true;
  }

  /** The next `n` bytes (call `ensure(n)` first). The view stays valid after later reads. */
  take(n: number): Buffer {
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** The next byte without consuming it (call `ensure(1)` first). */
  peekByte(): number {
    return this.buf[this.pos] as number;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

/**
 * Sequential reads from a stream of known length (an object read through the storage port), tracking
 * the absolute byte offset: the SequentialBytes that ./container.ts reads an Avro object from. Memory:
 * about one stream chunk plus the largest item asked for (an Avro block).
 */
import { DataError, FleetwaveError } from '../../util/errors.js';
import type { SequentialBytes } from './container.js';

export class StreamByteSource implements SequentialBytes {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  private base = 0;
  private ended = false;
  private readonly chunks: AsyncIterator<Buffer | Uint8Array>;

  constructor(
    stream: AsyncIterable<Buffer | Uint8Array>,
    /** The object's size (as listed): `remaining` counts from it. */
    readonly size: number,
    /** The object's URI, for messages. */
    private readonly uri: string,
  ) {
    this.chunks = stream[Symbol.asyncIterator]();
  }

  get offset(): number {
    return this.base + this.pos;
  }

  get remaining(): number {
    return this.size - this.offset;
  }

  async ensure(n: number): Promise<boolean> {
    const have0 = this.buf.length - this.pos;
    if (have0 >= n) return true;
    if (this.ended) return false;
    const parts: Buffer[] = [this.buf.subarray(this.pos)];
    let have = have0;
    while (have < n) {
      let next: IteratorResult<Buffer | Uint8Array>;
      try {
        next = await this.chunks.next();
      } catch (err) {
        if (err instanceof FleetwaveError) throw err;
        throw new DataError(`${this.uri}: reading failed at byte ${this.base + this.buf.length}: ${(err as Error).message}`, {
          cause: err,
        });
      }
      if (next.done) {
        this.ended = true;
        break;
      }
      const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
      parts.push(chunk);
      have += chunk.length;
    }
    this.base += this.pos;
    this.buf = parts.length === 1 ? parts[0]! : Buffer.concat(parts, have);
    this.pos = 0;
    return have >= n;
  }

  take(n: number): Buffer {
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Stops the read (a Readable's iterator destroys the stream). */
  async close(): Promise<void> {
    await this.chunks.return?.();
  }
}

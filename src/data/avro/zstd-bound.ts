/**
 * The most bytes a zstandard stream can decompress to, read from its frame and block headers alone
 * (RFC 8878), so a bomb is refused before fzstd allocates: fzstd sizes its output from the frame
 * header (a 16 KB file asked for 1.2 GB), and a frame of RLE blocks grows 32,000-fold.
 *
 * Per block: raw and RLE blocks state their output size; a compressed block yields at most
 * min(window size, 128 KiB). A window or declared content size over `limit` is refused as well.
 *
 * The walk also gives each frame's bytes and its stored content checksum (when the frame header's
 * Content_Checksum_flag is set), which fzstd does not check: ./codecs.ts checks it.
 */
const MAX_BLOCK = 128 * 1024;

function readLE(data: Uint8Array, at: number, n: number): number {
  let v = 0;
  for (let i = n - 1; i >= 0; i--) v = v * 256 + data[at + i]!;
  return v;
}

/** One zstandard frame of a block: its bytes `[start, end)` and its stored checksum (the low 32 bits of XXH64), if any. */
export interface ZstdFrame {
  start: number;
  end: number;
  checksum?: number;
}

/**
 * The zstandard frames of `data` (skippable frames left out), after checking that together they
 * decompress to at most `limit` bytes; throws an Error saying why otherwise.
 */
export function zstdFrames(data: Uint8Array, limit: number): ZstdFrame[] {
  const frames: ZstdFrame[] = [];
  const over = (what: string, n: number) =>
    new Error(`${what} ${n} bytes, over the limit of ${limit} bytes for one decompressed block (a decompression bomb?)`);
  const short = () => new Error('the zstandard data ends inside a frame header');
  let at = 0;
  let total = 0;
  while (at < data.length) {
    if (at + 4 > data.length) throw short();
    const magic = readLE(data, at, 4);
    if (magic >>> 4 === 0x184d2a5) {
      if (at + 8 > data.length) throw short();
      at += 8 + readLE(data, at + 4, 4);
      continue;
    }
    if (magic !== 0xfd2fb528) throw new Error(`no zstandard frame at byte ${at} of the block`);
    const start = at;
    at += 4;
    if (at >= data.length) throw short();
    const descriptor = data[at++]!;
    const fcsFlag = descriptor >> 6;
    const single = (descriptor >> 5) & 1;
    const checksum = (descriptor >> 2) & 1;
    const dictBytes = [0, 1, 2, 4][descriptor & 3]!;
    let window = 0;
    if (!single) {
      if (at >= data.length) throw short();
      const wd = data[at++]!;
      const base = 2 ** (10 + (wd >> 3));
      window = base + (base / 8) * (wd & 7);
    }
    at += dictBytes;
    const fcsBytes = [single, 2, 4, 8][fcsFlag]!;
    if (at + fcsBytes > data.length) throw short();
    const contentSize = fcsBytes ? readLE(data, at, fcsBytes) + (fcsBytes === 2 ? 256 : 0) : 0;
    at += fcsBytes;
    if (single) window = contentSize;
    if (contentSize > limit) throw over('a zstandard frame declares', contentSize);
    if (window > limit) throw over('a zstandard frame asks for a window of', window);
    for (let last = 0; !last;) {
      if (at + 3 > data.length) throw new Error('the zstandard data ends inside a block header');
      const header = readLE(data, at, 3);
      at += 3;
      last = header & 1;
      const type = (header >> 1) & 3;
      const size = header >>> 3;
      if (type === 3) throw new Error('a zstandard block of the reserved type');
      total += type === 2 ? Math.min(window || MAX_BLOCK, MAX_BLOCK) : size;
      at += type === 1 ? 1 : size;
      if (at > data.length) throw new Error('the zstandard data ends inside a block (truncated)');
      if (total > limit) throw over('the zstandard data decompresses to more than', limit);
    }
    if (checksum) {
      if (at + 4 > data.length) throw new Error("the zstandard data ends inside a frame's content checksum");
      frames.push({ start, end: at + 4, checksum: readLE(data, at, 4) });
      at += 4;
    } else frames.push({ start, end: at });
  }
  return frames;
}

/**
 * The limits that keep reading an untrusted Avro file bounded in memory and time (issue 14; Apache
 * Avro CVE-2023-39410 class). Where each is enforced: codecs.ts and zstd-bound.ts (decompressed size),
 * container.ts (stored size, header entries), bounds.ts (counts and lengths inside a block).
 */
export const avroLimits = {
  /**
   * Largest block accepted, decompressed or stored: 64 MiB. Writers flush blocks of 16 KB to a few
   * MB (Apache Avro's default sync interval is 64,000 bytes); a decompression bomb stops here.
   */
  maxBlockBytes: 64 * 1024 * 1024,
  /**
   * Most records plus array items plus map entries in one block: 2,097,152 (a 64 KB block of tiny
   * records has about 64,000). Bounds the rows a block decodes into (a block of 2 million one-field
   * rows peaks at about 180 MB), and the work for values that take no bytes (null, an empty record),
   * which no byte count limits. A file over it: re-write it with smaller blocks.
   */
  maxValuesPerBlock: 1 << 21,
} as const;

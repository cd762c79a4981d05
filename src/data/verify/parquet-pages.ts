/**
 * The pages of one Parquet column chunk, decompressed, with their repetition and definition levels
 * decoded and their values left as bytes: for readers that hash values where they lie instead of
 * building a JS value for each (see parquet-direct-hashes.ts). Page headers, decompression and the
 * levels' RLE/bit-packed hybrid decoding are hyparquet's (the same reader verify uses otherwise).
 */
import type { ColumnMetaData, Compressors, DataReader, Encoding } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { decompressPage } from 'hyparquet/src/datapage.js';
import { readRleBitPackedHybrid } from 'hyparquet/src/encoding.js';

export interface DictionaryPage {
  kind: 'dictionary';
  /** Number of entries. */
  count: number;
  /** The entries, PLAIN-encoded. */
  values: Uint8Array;
}

export interface DataPage {
  kind: 'data';
  /** Level entries in the page (values and nulls). */
  count: number;
  /** Repetition levels (`count` of them), or undefined when the column repeats nothing. */
  rep: Uint8Array | undefined;
  /** Definition levels (`count` of them), or undefined when the column has no optional or repeated level. */
  def: Uint8Array | undefined;
  encoding: Encoding;
  /** The page's encoded values (after the levels), decompressed. */
  values: Uint8Array;
}

/** Minimum bits needed to store `value`. */
function bitWidth(value: number): number {
  return 32 - Math.clz32(value);
}

/** Levels of one page; the buffer is reused from page to page (valid until the next page). */
class LevelBuffer {
  private buffer = new Uint8Array(0);

  take(count: number): Uint8Array {
    if (this.buffer.length < count) this.buffer = new Uint8Array(Math.max(count, this.buffer.length * 2));
    return this.buffer.subarray(0, count);
  }
}

/**
 * The pages of the chunk `bytes` (the chunk's bytes from its first page to its end), one at a time:
 * the levels and values of a page are valid until the next one is taken.
 */
export function* columnChunkPages(
  bytes: Uint8Array,
  meta: ColumnMetaData,
  maxRep: number,
  maxDef: number,
  compressors: Compressors,
): Generator<DictionaryPage | DataPage> {
  const reader: DataReader = { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: 0 };
  const repLevels = new LevelBuffer();
  const defLevels = new LevelBuffer();
  while (reader.offset < bytes.length - 1) {
    const header = parquetHeader(reader);
    const start = reader.offset;
    const end = start + header.compressed_page_size;
    if (end > bytes.length)
      throw new Error(
        `page at byte ${start} of the chunk runs past its end (${header.compressed_page_size} bytes, ${bytes.length - start} left)`,
      );
    const compressed = bytes.subarray(start, end);
    reader.offset = end;
    if (header.type === 'DICTIONARY_PAGE') {
      const values = decompressPage(compressed, header.uncompressed_page_size, meta.codec, compressors);
      yield { kind: 'dictionary', count: header.dictionary_page_header!.num_values, values };
    } else if (header.type === 'DATA_PAGE') {
      const h = header.data_page_header!;
      const page = decompressPage(compressed, header.uncompressed_page_size, meta.codec, compressors);
      const levels: DataReader = { view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0 };
      let rep: Uint8Array | undefined;
      let def: Uint8Array | undefined;
      if (maxRep > 0) readRleBitPackedHybrid(levels, bitWidth(maxRep), (rep = repLevels.take(h.num_values)));
      if (maxDef > 0) readRleBitPackedHybrid(levels, bitWidth(maxDef), (def = defLevels.take(h.num_values)));
      yield { kind: 'data', count: h.num_values, rep, def, encoding: h.encoding, values: page.subarray(levels.offset) };
    } else if (header.type === 'DATA_PAGE_V2') {
      const h = header.data_page_header_v2!;
      const levels: DataReader = { view: new DataView(compressed.buffer, compressed.byteOffset, compressed.byteLength), offset: 0 };
      let rep: Uint8Array | undefined;
      let def: Uint8Array | undefined;
      if (maxRep > 0)
        readRleBitPackedHybrid(levels, bitWidth(maxRep), (rep = repLevels.take(h.num_values)), h.repetition_levels_byte_length);
      levels.offset = h.repetition_levels_byte_length;
      if (maxDef > 0)
        readRleBitPackedHybrid(levels, bitWidth(maxDef), (def = defLevels.take(h.num_values)), h.definition_levels_byte_length);
      const levelBytes = h.repetition_levels_byte_length + h.definition_levels_byte_length;
      let values = compressed.subarray(levelBytes);
      if (h.is_compressed !== false) values = decompressPage(values, header.uncompressed_page_size - levelBytes, meta.codec, compressors);
      yield { kind: 'data', count: h.num_values, rep, def, encoding: h.encoding, values };
    } else {
      throw new Error(`unsupported page type ${header.type} at byte ${start} of the chunk`);
    }
  }
}

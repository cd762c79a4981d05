/**
 * The target of a verification as one dataset: one Parquet file or several (a folder), read one file
 * at a time (only one file is open at once, so a folder of thousands of files needs no more handles).
 * Every file must hold the same columns with the same types; the row groups of all files are numbered
 * in one sequence (file by file), so that threads can share them out (RowGroupClaims).
 */
import type { AvroSchema } from '../avro/types.js';
import { DataError } from '../../util/errors.js';
import { ParquetColumnsReader, type ColumnBatch, type ParquetColumn, type RowGroupColumns } from './parquet-columns.js';

interface FileFacts {
  path: string;
  rows: number;
  rowGroups: number;
  /** Largest uncompressed size of one column chunk, by column name. */
  largestChunk: Map<string, number>;
}

export class ParquetDataset {
  private constructor(
    /** The files, in path order. */
    readonly files: readonly FileFacts[],
    /** The columns (the same in every file). */
    readonly columns: readonly ParquetColumn[],
  ) {}

  /** Reads every file's metadata; refuses files whose columns differ from the first file's. */
  static async open(paths: readonly string[]): Promise<ParquetDataset> {
    if (paths.length === 0) throw new DataError('no Parquet files to read');
    const files: FileFacts[] = [];
    let columns: ParquetColumn[] | undefined;
    for (const path of paths) {
      const reader = await ParquetColumnsReader.open(path);
      try {
        const shown = (cs: readonly ParquetColumn[]) => cs.map((c) => `${c.name} ${c.signature}`).join(', ');
        if (columns === undefined) columns = reader.columns;
        else if (shown(reader.columns) !== shown(columns)) {
          throw new DataError(
            `${path}: its columns (${shown(reader.columns)}) differ from those of ${paths[0]} (${shown(columns)}); every file of the target must hold the same columns`,
          );
        }
        files.push({
          path,
          rows: reader.rowCount,
          rowGroups: reader.rowGroupCount,
          largestChunk: new Map(reader.columns.map((c) => [c.name, reader.largestColumnChunk([c.name])])),
        });
      } finally {
        await reader.close();
      }
    }
    return new ParquetDataset(files, columns!);
  }

  get rowCount(): number {
    return this.files.reduce((n, f) => n + f.rows, 0);
  }

  get rowGroupCount(): number {
    return this.files.reduce((n, f) => n + f.rowGroups, 0);
  }

  /** The largest uncompressed size of one column chunk among `names`, over all files (bytes). */
  largestColumnChunk(names: readonly string[]): number {
    let largest = 0;
    for (const f of this.files) for (const n of names) largest = Math.max(largest, f.largestChunk.get(n) ?? 0);
    return largest;
  }

  /** The named columns, row group by row group, file by file (see ParquetColumnsReader.batches). */
  async *batches(
    names: readonly string[],
    expected: ReadonlyMap<string, AvroSchema | undefined>,
    namespace?: string,
  ): AsyncGenerator<ColumnBatch> {
    for (const f of this.files) {
      const reader = await ParquetColumnsReader.open(f.path);
      try {
        yield* reader.batches(names, expected, namespace);
      } finally {
        await reader.close();
      }
    }
  }

  /**
   * The row groups whose numbers (in the one sequence over all files) `claim` gives, in order: `claim`
   * must give increasing numbers, and -1 when there are no more. Files with no claimed group are not opened.
   */
  static async *claimedGroups(
    paths: readonly string[],
    names: readonly string[],
    expected: ReadonlyMap<string, AvroSchema | undefined>,
    namespace: string | undefined,
    claim: () => number,
  ): AsyncGenerator<RowGroupColumns> {
    let wanted = claim();
    let first = 0; // the sequence number of the current file's first row group
    for (const path of paths) {
      if (wanted < 0) return;
      const reader = await ParquetColumnsReader.open(path);
      try {
        for (const group of reader.groups(names, expected, namespace)) {
          if (wanted < 0) return;
          if (first + group.index !== wanted) continue; // claimed by another thread
          yield group;
          wanted = claim();
        }
        first += reader.rowGroupCount;
      } finally {
        await reader.close();
      }
    }
  }
}

/**
 * Parquet for Fleetwave: the Avro → Parquet mapping (./mapping.ts), the streaming writer
 * (./writer.ts, parquet-wasm) and an independent reader back into the value model (./reader.ts,
 * hyparquet). See docs/data.md.
 */
export { parquetLayoutFor, type ParquetLayout } from './mapping.js';
export { AVRO_SCHEMA_KEY, ParquetFileWriter, writeParquetFile, type ParquetCompression, type ParquetWriteOptions, type ParquetWriteResult } from './writer.js';
export { ParquetFileReader, readParquetRows } from './reader.js';
export { ArrowRowEncoder } from './arrow-ipc.js';

/**
 * Avro for Fleetwave: the value model (./types.ts), streaming container-file reading (./reader.ts)
 * and writing (./writer.ts). See docs/data.md.
 */
export { Decimal } from './decimal.js';
export { avroType, branchName, isNullableUnion, type AvroField, type AvroRecord, type AvroSchema, type AvroSchemaObject, type AvroType, type AvroValue } from './types.js';
export { AvroFileReader, BlockDecoder, blockDecoderFor, isRecordSchema, readAvroRows, readAvroSchema, rowSchemaOf, TOP_LEVEL_VALUE_FIELD, type AvroReadOptions } from './reader.js';
export { writeAvroFile, type AvroWriteOptions } from './writer.js';
export { supportedCodecs, type AvroCodecName } from './codecs.js';
export { inflateBlock, type RawBlock, type StoredBlock } from './container.js';

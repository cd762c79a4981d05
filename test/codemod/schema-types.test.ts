import { describe, expect, it } from '@jest/globals';
import type { AvroRecordSchema } from '../../src/data/transform/avro-schema.js';
import { fieldTypes, interfacesFromSchema, tsTypeOfCast, tsTypesCompatible } from '../../src/codemod/schema-types.js';

const schema: AvroRecordSchema = {
  type: 'record',
  name: 'PlayEvent',
  namespace: 'acme.events',
  fields: [
    { name: 'event_id', type: 'string' },
    { name: 'ms_played', type: 'long' },
    { name: 'country', type: ['null', 'string'], default: null },
    { name: 'kind', type: { type: 'enum', name: 'Kind', symbols: ['play', 'skip'] } },
    { name: 'tags', type: { type: 'array', items: ['null', 'string'] } },
    { name: 'counts', type: { type: 'map', values: 'int' } },
    { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 12, scale: 2 } },
    { name: 'device', type: { type: 'record', name: 'Device', fields: [{ name: 'os', type: 'string' }] } },
    { name: 'previous', type: ['null', 'Device'], default: null },
    { name: 'odd-name', type: 'boolean' },
  ],
};

describe('schema-derived types', () => {
  it('turns an Avro record into interfaces, the record first, nested records after', () => {
    const [top, ...rest] = interfacesFromSchema(schema);
    expect(top).toBe(
      [
        'export interface PlayEvent {',
        '  event_id: string;',
        '  ms_played: number;',
        '  country: string | null;',
        '  kind: "play" | "skip";',
        '  tags: (string | null)[];',
        '  counts: Record<string, number>;',
        '  at: Date;',
        '  amount: number;',
        '  device: Device;',
        '  previous: Device | null;',
        '  "odd-name": boolean;',
        '}',
      ].join('\n'),
    );
    expect(rest).toEqual(['export interface Device {\n  os: string;\n}']);
    expect(interfacesFromSchema(schema, { name: 'Play' })[0]).toMatch(/^export interface Play \{/);
  });

  it('gives field types and tells compatible from incompatible type changes', () => {
    expect(fieldTypes(schema).get('country')).toBe('string | null');
    expect(tsTypeOfCast({ type: 'decimal', precision: 12, scale: 2 })).toBe('number');
    expect(tsTypeOfCast({ type: 'string' })).toBe('string');
    expect(tsTypesCompatible('number', 'number')).toBe(true);
    expect(tsTypesCompatible('string', '"a" | "b"')).toBe(true);
    expect(tsTypesCompatible('number', 'string')).toBe(false);
    expect(tsTypesCompatible('number | null', 'number')).toBe(true);
  });
});

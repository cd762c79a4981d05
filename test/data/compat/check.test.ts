import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { checkCompatibility, satisfies } from '../../../src/data/compat/check.js';
import { compileTransform } from '../../../src/data/transform/apply.js';
import type { AvroField, AvroRecordSchema, AvroSchema } from '../../../src/data/transform/avro-schema.js';
import { transformStepSchema } from '../../../src/data/transform/schema.js';
import { InputError } from '../../../src/util/errors.js';

const rec = (fields: AvroField[], extra: Partial<AvroRecordSchema> = {}): AvroRecordSchema => ({
  type: 'record',
  name: 'Event',
  namespace: 'acme',
  fields,
  ...extra,
});

const base = rec([
  { name: 'id', type: 'long' },
  { name: 'name', type: 'string' },
]);

describe('checkCompatibility', () => {
  it('is FULL for the same schema', () => {
    const r = checkCompatibility(base, base);
    expect(r.verdict).toBe('FULL');
    expect(r.backward.incompatibilities).toEqual([]);
  });

  it('adding a field with a default is FULL; without a default it is FORWARD only', () => {
    expect(checkCompatibility(base, rec([...base.fields, { name: 'country', type: 'string', default: 'SE' }])).verdict).toBe('FULL');
    const r = checkCompatibility(base, rec([...base.fields, { name: 'country', type: 'string' }]));
    expect(r.verdict).toBe('FORWARD');
    expect(r.backward.incompatibilities).toEqual([
      { path: 'Event.country', reason: `the reader's field "country" has no default and the writer has no such field` },
    ]);
  });

  it('removing a field without a default is BACKWARD only', () => {
    const r = checkCompatibility(base, rec([base.fields[0]!]));
    expect(r.verdict).toBe('BACKWARD');
    expect(r.forward.incompatibilities).toEqual([
      { path: 'Event.name', reason: `the reader's field "name" has no default and the writer has no such field` },
    ]);
  });

  it('follows the promotions int → long → float → double and string ↔ bytes', () => {
    const field = (type: AvroSchema) => rec([{ name: 'v', type }]);
    expect(checkCompatibility(field('int'), field('long')).verdict).toBe('BACKWARD');
    expect(checkCompatibility(field('long'), field('double')).verdict).toBe('BACKWARD');
    expect(checkCompatibility(field('float'), field('double')).verdict).toBe('BACKWARD');
    expect(checkCompatibility(field('string'), field('bytes')).verdict).toBe('FULL');
    const r = checkCompatibility(field('double'), field('int'));
    expect(r.verdict).toBe('FORWARD');
    expect(r.backward.incompatibilities).toEqual([{ path: 'Event.v', reason: "the writer's double cannot be read as int" }]);
  });

  it('sees a rename with an alias as compatible one way, and names the missing field the other', () => {
    const renamed = rec([base.fields[0]!, { name: 'userName', type: 'string', aliases: ['name'] }]);
    const r = checkCompatibility(base, renamed);
    expect(r.verdict).toBe('BACKWARD');
    expect(r.forward.incompatibilities.map((i) => i.path)).toEqual(['Event.name']);
  });

  it('checks enum symbols, honouring the reader default', () => {
    const e = (symbols: string[], extra: object = {}) => rec([{ name: 'plan', type: { type: 'enum', name: 'Plan', symbols, ...extra } }]);
    const r = checkCompatibility(e(['FREE', 'PRO']), e(['FREE', 'PRO', 'TEAM']));
    expect(r.verdict).toBe('BACKWARD');
    expect(r.forward.incompatibilities).toEqual([
      { path: 'Event.plan', reason: "the writer's enum symbols TEAM are not in the reader's enum, which has no default symbol" },
    ]);
    expect(
      checkCompatibility(e(['FREE', 'PRO', 'OTHER'], { default: 'OTHER' }), e(['FREE', 'PRO', 'TEAM', 'OTHER'], { default: 'OTHER' }))
        .verdict,
    ).toBe('FULL');
  });

  it('checks unions branch by branch', () => {
    const u = (type: AvroSchema) => rec([{ name: 'x', type }]);
    expect(checkCompatibility(u('string'), u(['null', 'string'])).verdict).toBe('BACKWARD');
    const r = checkCompatibility(u(['null', 'string']), u('string'));
    expect(r.verdict).toBe('FORWARD');
    expect(r.backward.incompatibilities).toEqual([
      { path: 'Event.x', reason: "the writer's null cannot be read as string (writer's union branch null)" },
    ]);
    const multi = checkCompatibility(u(['null', 'int', 'string']), u(['null', 'string']));
    expect(multi.verdict).toBe('FORWARD');
    expect(multi.backward.incompatibilities).toEqual([
      { path: 'Event.x', reason: "the writer's union branch int matches no branch of the reader's union [null, string]" },
    ]);
    expect(checkCompatibility(u(['null', 'int']), u(['null', 'long'])).verdict).toBe('BACKWARD');
  });

  it('walks nested records, arrays and maps, naming each path', () => {
    const nested = (itemType: AvroSchema, mapType: AvroSchema, inner: AvroField[]) =>
      rec([
        { name: 'tags', type: { type: 'array', items: itemType } },
        { name: 'attrs', type: { type: 'map', values: mapType } },
        { name: 'device', type: { type: 'record', name: 'Device', fields: inner } },
      ]);
    const r = checkCompatibility(
      nested('string', 'long', [{ name: 'os', type: 'string' }]),
      nested('int', 'int', [
        { name: 'os', type: 'string' },
        { name: 'build', type: 'int' },
      ]),
    );
    expect(r.verdict).toBe('NONE');
    expect(r.backward.incompatibilities).toEqual([
      { path: 'Event.tags[]', reason: "the writer's string cannot be read as int" },
      { path: 'Event.attrs{}', reason: "the writer's long cannot be read as int" },
      { path: 'Event.device.build', reason: `the reader's field "build" has no default and the writer has no such field` },
    ]);
    expect(r.forward.incompatibilities).toEqual([{ path: 'Event.tags[]', reason: "the writer's int cannot be read as string" }]);
    expect(satisfies(r.verdict, 'none')).toBe(true);
    expect(satisfies(r.verdict, 'forward')).toBe(false);
  });

  it('checks named types by name and alias, and fixed sizes', () => {
    const f = (name: string, size: number, aliases?: string[]) =>
      rec([{ name: 'h', type: { type: 'fixed', name, size, ...(aliases ? { aliases } : {}) } }]);
    expect(checkCompatibility(f('MD5', 16), f('MD5', 20)).backward.incompatibilities).toEqual([
      { path: 'Event.h', reason: 'fixed size changes from 16 to 20 bytes' },
    ]);
    expect(checkCompatibility(f('MD5', 16), f('Hash', 16)).verdict).toBe('NONE');
    expect(checkCompatibility(f('MD5', 16), f('Hash', 16, ['acme.MD5'])).verdict).toBe('BACKWARD');
  });

  it('is stricter than Avro on logical types: a unit or scale change is incompatible', () => {
    const ts = (logicalType: string) => rec([{ name: 'at', type: { type: 'long', logicalType } }]);
    const r = checkCompatibility(ts('timestamp-millis'), ts('timestamp-micros'));
    expect(r.verdict).toBe('NONE');
    expect(r.backward.incompatibilities[0]).toEqual({
      path: 'Event.at',
      reason: 'the logical type changes from timestamp-millis to timestamp-micros: the same stored value would mean something else',
    });
    const dec = (scale: number) => rec([{ name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 12, scale } }]);
    expect(checkCompatibility(dec(2), dec(3)).backward.incompatibilities[0]!.reason).toMatch(/from decimal\(12,2\) to decimal\(12,3\)/);
  });

  it('ends on recursive types', () => {
    const interop = JSON.parse(readFileSync('/work/shared/data/avro/interop.avsc', 'utf8')) as AvroSchema;
    expect(checkCompatibility(interop, interop).verdict).toBe('FULL');
  });

  it("judges a transform's target schema against its source", () => {
    const source = rec([
      { name: 'user_id', type: 'string' },
      { name: 'amount', type: 'double' },
      { name: 'legacy', type: 'boolean' },
    ]);
    const { targetSchema } = compileTransform(source, [
      transformStepSchema.parse({ rename: { from: 'user_id', to: 'userId' } }),
      transformStepSchema.parse({ drop: 'legacy' }),
    ]);
    const r = checkCompatibility(source, targetSchema);
    expect(r.verdict).toBe('BACKWARD');
    expect(r.forward.incompatibilities.map((i) => i.path)).toEqual(['Event.user_id', 'Event.legacy']);
  });

  it('refuses what is not an Avro schema', () => {
    expect(() => checkCompatibility(base, rec([{ name: 'a', type: 'Nope' }]))).toThrow(InputError);
    expect(() => checkCompatibility(base, rec([{ name: 'a', type: 'Nope' }]))).toThrow(
      /the new schema is not a valid Avro schema: undefined type name: acme\.Nope/,
    );
  });
});

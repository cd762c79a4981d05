import { describe, expect, it } from '@jest/globals';
import { compileTransform } from '../../../src/data/transform/apply.js';
import type { AvroRecordSchema } from '../../../src/data/transform/avro-schema.js';
import type { TransformStep } from '../../../src/data/transform/schema.js';
import { transformStepSchema } from '../../../src/data/transform/schema.js';
import { DataError, InputError } from '../../../src/util/errors.js';

const playEvent: AvroRecordSchema = {
  type: 'record',
  name: 'PlayEvent',
  namespace: 'acme.events',
  fields: [
    { name: 'event_id', type: 'long' },
    { name: 'user_id', type: 'string' },
    { name: 'amount', type: 'double' },
    { name: 'plays', type: 'int' },
    { name: 'legacy_flag', type: 'boolean' },
    { name: 'country', type: ['null', 'string'], default: null },
    { name: 'at', type: { type: 'long', logicalType: 'timestamp-micros' } },
    {
      name: 'device',
      type: {
        type: 'record',
        name: 'Device',
        fields: [
          { name: 'os_name', type: 'string' },
          { name: 'build', type: 'long' },
        ],
      },
    },
  ],
};

const row = () => ({
  event_id: 9007199254740993n, // 2^53 + 1: a double would lose it
  user_id: 'u-1',
  amount: 12.34,
  plays: 3,
  legacy_flag: true,
  country: null,
  at: 1_700_000_000_123_000n,
  device: { os_name: 'ios', build: 42n },
});

const steps = (list: unknown[]): TransformStep[] => list.map((s) => transformStepSchema.parse(s));

describe('compileTransform', () => {
  it("applies the manifest sketch's steps to schema and records alike", () => {
    const t = compileTransform(
      playEvent,
      steps([
        { rename: { from: 'user_id', to: 'userId' } },
        { cast: { field: 'amount', to: { type: 'decimal', precision: 12, scale: 2 } } },
        { drop: 'legacy_flag' },
        { default: { field: 'country', value: 'unknown' } },
      ]),
    );
    expect(t.targetSchema.fields.map((f) => f.name)).toEqual(['event_id', 'userId', 'amount', 'plays', 'country', 'at', 'device']);
    expect(t.targetSchema.fields[1]).toEqual({ name: 'userId', type: 'string', aliases: ['user_id'] });
    expect(t.targetSchema.fields[2]!.type).toEqual({ type: 'bytes', logicalType: 'decimal', precision: 12, scale: 2 });
    expect(t.targetSchema.fields[4]).toEqual({ name: 'country', type: 'string', default: 'unknown' });
    const source = row();
    const out = t.transformRecord(source);
    expect(out).toEqual({
      event_id: 9007199254740993n,
      userId: 'u-1',
      amount: { unscaled: 1234n, scale: 2 },
      plays: 3,
      country: 'unknown',
      at: 1_700_000_000_123_000n,
      device: { os_name: 'ios', build: 42n },
    });
    expect(source).toEqual(row()); // the input record is left as it was
    expect(t.transformRecord({ ...row(), country: 'SE' }).country).toBe('SE');
    expect(t.identity).toBe(false);
  });

  it('changes nothing when there are no steps', () => {
    const t = compileTransform(playEvent, []);
    const r = row();
    expect(t.identity).toBe(true);
    expect(t.transformRecord(r)).toBe(r);
    expect(t.targetSchema).toEqual(playEvent);
  });

  it('reaches fields of nested records by dotted paths', () => {
    const t = compileTransform(
      playEvent,
      steps([{ rename: { from: 'device.os_name', to: 'os' } }, { cast: { field: 'device.build', to: { type: 'string' } } }]),
    );
    const device = t.targetSchema.fields.find((f) => f.name === 'device')!.type as AvroRecordSchema;
    expect(device.fields).toEqual([
      { name: 'os', type: 'string', aliases: ['os_name'] },
      { name: 'build', type: 'string' },
    ]);
    expect(t.transformRecord(row()).device).toEqual({ os: 'ios', build: '42' });
    expect(playEvent.fields[7]!.type).toMatchObject({ fields: [{ name: 'os_name' }, { name: 'build' }] }); // the source schema is not touched
  });

  it('keeps null in a nullable field through a cast', () => {
    const schema: AvroRecordSchema = { type: 'record', name: 'R', fields: [{ name: 'n', type: ['null', 'int'], default: null }] };
    const t = compileTransform(schema, steps([{ cast: { field: 'n', to: { type: 'long' } } }]));
    expect(t.targetSchema.fields[0]).toEqual({ name: 'n', type: ['null', 'long'], default: null });
    expect(t.transformRecord({ n: null })).toEqual({ n: null });
    expect(t.transformRecord({ n: 7 })).toEqual({ n: 7n });
  });

  it('adds a field with a default when there is none, typed by its value', () => {
    const t = compileTransform(
      playEvent,
      steps([{ default: { field: 'source', value: 'batch' } }, { default: { field: 'version', value: 2 } }]),
    );
    expect(t.targetSchema.fields.slice(-2)).toEqual([
      { name: 'source', type: 'string', default: 'batch' },
      { name: 'version', type: 'long', default: 2 },
    ]);
    const out = t.transformRecord(row());
    expect(out.source).toBe('batch');
    expect(out.version).toBe(2n);
  });

  it('validates string → enum per value and names the step and field', () => {
    const schema: AvroRecordSchema = {
      type: 'record',
      name: 'R',
      namespace: 'n',
      fields: [
        { name: 'x', type: 'int' },
        { name: 'plan_kind', type: 'string' },
      ],
    };
    const t = compileTransform(
      schema,
      steps([{ drop: 'x' }, { cast: { field: 'plan_kind', to: { type: 'enum', symbols: ['FREE', 'PRO'] } } }]),
    );
    expect(t.targetSchema.fields[0]!.type).toEqual({ type: 'enum', name: 'PlanKind', symbols: ['FREE', 'PRO'] });
    expect(t.transformRecord({ x: 1, plan_kind: 'PRO' })).toEqual({ plan_kind: 'PRO' });
    expect(() => t.transformRecord({ x: 1, plan_kind: 'GOLD' })).toThrow(DataError);
    expect(() => t.transformRecord({ x: 1, plan_kind: 'GOLD' })).toThrow(
      /dataset\.transform\[1\] \(cast plan_kind\): "GOLD" is not one of the enum's symbols/,
    );
  });

  it('refuses a decimal rescale that would round, unless round: true', () => {
    const schema: AvroRecordSchema = {
      type: 'record',
      name: 'R',
      fields: [{ name: 'price', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 4 } }],
    };
    const strict = compileTransform(schema, steps([{ cast: { field: 'price', to: { type: 'decimal', precision: 10, scale: 2 } } }]));
    expect(strict.transformRecord({ price: { unscaled: 123400n, scale: 4 } })).toEqual({ price: { unscaled: 1234n, scale: 2 } });
    expect(() => strict.transformRecord({ price: { unscaled: 123456n, scale: 4 } })).toThrow(
      /12\.3456 has more than 2 digits after the point; set round: true/,
    );
    const rounding = compileTransform(
      schema,
      steps([{ cast: { field: 'price', to: { type: 'decimal', precision: 10, scale: 2, round: true } } }]),
    );
    expect(rounding.transformRecord({ price: { unscaled: 123450n, scale: 4 } })).toEqual({ price: { unscaled: 1234n, scale: 2 } });
    expect(rounding.transformRecord({ price: { unscaled: 123451n, scale: 4 } })).toEqual({ price: { unscaled: 1235n, scale: 2 } });
  });

  it('refuses a widening that a double cannot hold exactly', () => {
    const t = compileTransform(playEvent, steps([{ cast: { field: 'event_id', to: { type: 'double' } } }]));
    expect(t.transformRecord({ ...row(), event_id: 2n ** 52n }).event_id).toBe(2 ** 52);
    expect(() => t.transformRecord(row())).toThrow(/9007199254740993 cannot be held exactly by a double/);
  });

  it('converts timestamps between units, refusing to drop digits unless told', () => {
    const t = compileTransform(playEvent, steps([{ cast: { field: 'at', to: { type: 'timestamp-millis' } } }]));
    expect(t.targetSchema.fields[6]!.type).toEqual({ type: 'long', logicalType: 'timestamp-millis' });
    expect(t.transformRecord(row()).at).toBe(1_700_000_000_123n);
    expect(() => t.transformRecord({ ...row(), at: 1_700_000_000_123_456n })).toThrow(/sub-millisecond/);
  });

  it.each([
    [[{ rename: { from: 'nope', to: 'x' } }], /dataset\.transform\[0\]: no field "nope" to rename \(fields here: event_id, user_id/],
    [[{ rename: { from: 'user_id', to: 'plays' } }], /a field "plays" already exists/],
    [
      [{ drop: 'legacy_flag' }, { cast: { field: 'legacy_flag', to: { type: 'string' } } }],
      /dataset\.transform\[1\]: no field "legacy_flag" to cast/,
    ],
    [
      [{ cast: { field: 'amount', to: { type: 'int' } } }],
      /dataset\.transform\[0\] \(cast amount\): cannot cast double to int; from double the legal casts are: float, decimal, string/,
    ],
    [[{ cast: { field: 'amount', to: { type: 'decimal' } } }], /needs a precision/],
    [[{ cast: { field: 'device', to: { type: 'string' } } }], /cannot cast record to string/],
    [[{ rename: { from: 'plays.x', to: 'y' } }], /field "plays" is of type int, not a record/],
    [[{ default: { field: 'plays', value: 'many' } }], /dataset\.transform\[0\] \(default plays\): "many" is not an int/],
    [[{ default: { field: 'nothing', value: null } }], /a new field's type comes from its value/],
    [[{ drop: ['event_id', 'user_id', 'amount', 'plays', 'legacy_flag', 'country', 'at'] }, { drop: 'device' }], /without fields/],
  ])('refuses a bad step list %#, naming the step', (list, message) => {
    expect(() => compileTransform(playEvent, steps(list))).toThrow(InputError);
    expect(() => compileTransform(playEvent, steps(list))).toThrow(message);
  });

  it('refuses a schema that is not a record', () => {
    expect(() => compileTransform(['null', 'int'], [])).toThrow(/the source schema is a union, not a record/);
  });

  it('refuses to change a named record used in more than one place', () => {
    const schema: AvroRecordSchema = {
      type: 'record',
      name: 'R',
      fields: [
        { name: 'home', type: { type: 'record', name: 'Address', fields: [{ name: 'city', type: 'string' }] } },
        { name: 'work', type: 'Address' },
      ],
    };
    expect(() => compileTransform(schema, steps([{ rename: { from: 'home.city', to: 'town' } }]))).toThrow(
      /record type "Address" is used by more than one field/,
    );
  });

  it('casts a field default along with the type', () => {
    const schema: AvroRecordSchema = {
      type: 'record',
      name: 'R',
      fields: [
        { name: 'n', type: 'int', default: 5 },
        { name: 'kind', type: 'string', default: 'A' },
      ],
    };
    const t = compileTransform(
      schema,
      steps([
        { cast: { field: 'n', to: { type: 'decimal', precision: 5, scale: 1 } } },
        { cast: { field: 'kind', to: { type: 'enum', symbols: ['B'] } } },
      ]),
    );
    expect(t.targetSchema.fields[0]!.default).toBe('\u0032'); // 50 as one two's complement byte
    expect(t.targetSchema.fields[1]!.default).toBeUndefined();
    expect(t.notes.join('\n')).toMatch(/dataset\.transform\[1\] \(cast kind\): the field's default "A" could not be cast/);
  });
});

describe('decimals made by casts', () => {
  it("are the Avro reader's Decimal values, which the writers accept", async () => {
    const { Decimal } = await import('../../../src/data/avro/decimal.js');
    const schema: AvroRecordSchema = {
      type: 'record',
      name: 'R',
      fields: [
        { name: 'a', type: 'int' },
        { name: 'b', type: 'string' },
      ],
    };
    const t = compileTransform(
      schema,
      steps([
        { cast: { field: 'a', to: { type: 'decimal', precision: 5, scale: 0 } } },
        { cast: { field: 'b', to: { type: 'decimal', precision: 5, scale: 1 } } },
      ]),
    );
    const out = t.transformRecord({ a: 7, b: '1.5' });
    expect(out.a).toBeInstanceOf(Decimal);
    expect(out.b).toBeInstanceOf(Decimal);
    expect(String(out.b)).toBe('1.5');
  });
});

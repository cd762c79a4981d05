import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AvroFileReader, readAvroRows, readAvroSchema } from '../../../src/data/avro/reader.js';
import { writeAvroFile } from '../../../src/data/avro/writer.js';
import type { AvroRecord, AvroSchema } from '../../../src/data/avro/types.js';
import { DataError } from '../../../src/util/errors.js';
import { corpusFile } from './corpus.js';
import { everyTypeRows, everyTypeSchema } from './every-type.js';

async function readAll(path: string, readerSchema?: AvroSchema): Promise<AvroRecord[]> {
  const rows: AvroRecord[] = [];
  for await (const row of readAvroRows(path, readerSchema ? { readerSchema } : {})) rows.push(row);
  return rows;
}

async function readError(path: string, readerSchema?: AvroSchema): Promise<DataError> {
  try {
    await readAll(path, readerSchema);
  } catch (err) {
    expect(err).toBeInstanceOf(DataError);
    return err as DataError;
  }
  throw new Error(`reading ${path} did not fail`);
}

async function weatherExpected(): Promise<AvroRecord[]> {
  const text = await readFile(corpusFile('weather.json'), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const o = JSON.parse(l) as { station: string; time: number; temp: number };
      return { station: o.station, time: BigInt(o.time), temp: o.temp };
    });
}

describe('Avro reader on the Apache Avro corpus (../shared/data/avro)', () => {
  it.each(['weather.avro', 'weather-deflate.avro', 'weather-snappy.avro', 'weather-zstd.avro'])(
    '%s gives the rows of weather.json',
    async (file) => {
      expect(await readAll(corpusFile(file))).toEqual(await weatherExpected());
    },
  );

  it('reads each codec by its name', async () => {
    const codecs: string[] = [];
    for (const f of ['weather.avro', 'weather-deflate.avro', 'weather-snappy.avro', 'weather-zstd.avro']) {
      const r = await AvroFileReader.open(corpusFile(f));
      codecs.push(r.codec);
      await r.close();
    }
    expect(codecs).toEqual(['null', 'deflate', 'snappy', 'zstandard']);
  });

  it('weather-sorted.avro gives the same rows in another order', async () => {
    const sorted = await readAll(corpusFile('weather-sorted.avro'));
    const expected = await weatherExpected();
    const key = (r: AvroRecord) => `${String(r.station)}|${String(r.time)}`;
    expect(sorted.map(key)).not.toEqual(expected.map(key));
    expect([...sorted].sort((a, b) => key(a).localeCompare(key(b)))).toEqual([...expected].sort((a, b) => key(a).localeCompare(key(b))));
  });

  it('syncInMeta.avro: metadata holding sync-like bytes, 6,001 rows over many blocks', async () => {
    const reader = await AvroFileReader.open(corpusFile('syncInMeta.avro'));
    let n = 0;
    for await (const row of reader.records()) {
      expect(typeof row.ID).toBe('bigint');
      n++;
    }
    expect(reader.blocks).toBeGreaterThan(1);
    await reader.close();
    expect(n).toBe(6001);
  });

  it('simple-data.avro gives 3 rows', async () => {
    expect(await readAll(corpusFile('simple-data.avro'))).toHaveLength(3);
  });

  it('withUnion-data.avro: multi-type unions come wrapped by branch name, nullable ones plain', async () => {
    const rows = await readAll(corpusFile('withUnion-data.avro'));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual({ data1: { string: 'textValue' }, data2: null });
    expect(rows[1]).toEqual({ data1: { int: 123 }, data2: { d1: { boolean: false } } });
  });

  it('person-10 with and without a codec give the same 10 rows (a trailing newline is ignored)', async () => {
    const a = await readAll(corpusFile('person-10.avro'));
    const b = await readAll(corpusFile('person-10.no-codec.avro'));
    expect(a).toHaveLength(10);
    expect(b).toEqual(a);
    const r = await AvroFileReader.open(corpusFile('person-10.no-codec.avro'));
    for await (const _ of r.records());
    expect(r.ignoredTrailingBytes).toBe(1);
    await r.close();
  });

  it.each(['avro-1237-good.avro', 'avro-1238-good.avro'])('%s: a top-level union is read as rows of one column "value"', async (file) => {
    const reader = await AvroFileReader.open(corpusFile(file));
    expect(reader.wrapped).toBe(true);
    await reader.close();
    expect(await readAll(corpusFile(file))).toEqual([{ value: null }, { value: 100 }]);
  });

  it.each(['avro-1279-codec.avro', 'avro-1279-no-codec.avro'])('%s: longs beyond 2^53 stay exact', async (file) => {
    const rows = await readAll(corpusFile(file));
    const longs = rows.map((r) => r.longField);
    expect(longs).toContain(-(2n ** 63n));
    expect(longs).toContain(2n ** 63n - 1n);
    for (const l of longs) expect(typeof l).toBe('bigint');
  });

  it('avro-1237-bad-union-discriminant.avro: a clear error naming the file, the block and the union index', async () => {
    const err = await readError(corpusFile('avro-1237-bad-union-discriminant.avro'));
    expect(err.message).toContain('avro-1237-bad-union-discriminant.avro');
    expect(err.message).toMatch(/block 0 at byte \d+, record 1/);
    expect(err.message).toContain('union index');
  });

  it('avro-1238-truncated.avro: a clear error naming the file, the offset and truncation', async () => {
    const err = await readError(corpusFile('avro-1238-truncated.avro'));
    expect(err.message).toContain('avro-1238-truncated.avro');
    expect(err.message).toMatch(/byte \d+/);
    expect(err.message).toContain('truncated');
  });

  it('reads the schema from the header alone', async () => {
    const schema = await readAvroSchema(corpusFile('weather.avro'));
    expect(schema).toMatchObject({ type: 'record', name: 'Weather', namespace: 'test' });
  });
});

describe('Avro reader on generated files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fleetwave-avro-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(['deflate', 'null'] as const)('every type round-trips exactly through a %s file of many blocks', async (codec) => {
    const rows = everyTypeRows(300);
    const path = join(dir, `every-${codec}.avro`);
    await writeAvroFile(path, everyTypeSchema, rows, { codec, blockSize: 2048 });
    const reader = await AvroFileReader.open(path);
    expect(reader.codec).toBe(codec);
    const back: AvroRecord[] = [];
    for await (const row of reader.records()) back.push(row);
    expect(reader.blocks).toBeGreaterThan(5);
    await reader.close();
    expect(back).toEqual(rows);
    // Logical types survive in the stored schema.
    expect(JSON.stringify(reader.writerSchema)).toContain('"timestamp-millis"');
  });

  async function weatherCopy(name: string, mutate: (b: Buffer) => Buffer): Promise<string> {
    const bytes = await readFile(corpusFile('weather-deflate.avro'));
    const path = join(dir, name);
    await writeFile(path, mutate(Buffer.from(bytes)));
    return path;
  }

  it('bad magic: a clear error at byte 0', async () => {
    const path = await weatherCopy('bad-magic.avro', (b) => {
      b[0] = 0x58;
      return b;
    });
    const err = await readError(path);
    expect(err.message).toContain('bad-magic.avro');
    expect(err.message).toContain('bad magic at byte 0');
  });

  it('bad sync marker: a clear error naming the block and the byte offset', async () => {
    const path = await weatherCopy('bad-sync.avro', (b) => {
      b[b.length - 1] = (b[b.length - 1] as number) ^ 0xff;
      return b;
    });
    const err = await readError(path);
    expect(err.message).toMatch(/bad-sync\.avro: block 0 at byte \d+: bad sync marker at byte \d+/);
  });

  it('truncated inside a block: a clear error naming the block', async () => {
    const path = await weatherCopy('cut.avro', (b) => b.subarray(0, b.length - 30));
    const err = await readError(path);
    expect(err.message).toMatch(/cut\.avro: block 0 at byte \d+: .*truncated file/);
  });

  it('a snappy block whose CRC32 does not match: a clear error', async () => {
    const bytes = await readFile(corpusFile('weather-snappy.avro'));
    const b = Buffer.from(bytes);
    // The CRC32 is the 4 bytes before the final 16-byte sync marker.
    b[b.length - 17] = (b[b.length - 17] as number) ^ 0x01;
    const path = join(dir, 'bad-crc.avro');
    await writeFile(path, b);
    const err = await readError(path);
    expect(err.message).toMatch(/bad-crc\.avro: block 0 at byte \d+: cannot decompress the snappy block: snappy CRC32 mismatch/);
  });

  it('schema mismatch: data read as an incompatible schema is a clear error', async () => {
    const path = join(dir, 'copy.avro');
    await copyFile(corpusFile('weather.avro'), path);
    const err = await readError(path, { type: 'record', name: 'test.Weather', fields: [{ name: 'station', type: 'int' }] });
    expect(err.message).toContain('copy.avro: schema mismatch');
  });

  it('data that does not match its own schema: a clear error naming the block', async () => {
    // The file claims two int fields, but the records hold a string and a long.
    const path = join(dir, 'lying.avro');
    await writeAvroFile(path, { type: 'record', name: 'R', fields: [{ name: 's', type: 'string' }] }, [{ s: 'a long enough text' }], {
      codec: 'null',
    });
    const b = await readFile(path);
    const text = b.toString('latin1').replace('{"name":"s","type":"string"}', '{"name":"s","type":"int"   }');
    await writeFile(path, Buffer.from(text, 'latin1'));
    const err = await readError(path);
    expect(err.message).toMatch(/lying\.avro: block 0 at byte \d+/);
  });

  it('reading with a compatible reader schema resolves by Avro rules', async () => {
    const rows = await readAll(corpusFile('weather.avro'), {
      type: 'record',
      name: 'test.Weather',
      fields: [
        { name: 'station', type: 'string' },
        { name: 'temp', type: 'long' },
        { name: 'note', type: 'string', default: 'none' },
      ],
    });
    expect(rows[0]).toEqual({ station: '011990-99999', temp: 0n, note: 'none' });
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compatCommand } from '../../../src/cli/commands/compat.js';
import { runCommand } from '../run-command.js';

let dir: string;
const path = (name: string) => join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fleetwave-compat-'));
  const weather = {
    type: 'record',
    name: 'test.Weather',
    fields: [
      { name: 'station', type: 'string' },
      { name: 'time', type: 'long' },
      { name: 'temp', type: 'int' },
    ],
  };
  writeFileSync(path('added.avsc'), JSON.stringify({ ...weather, fields: [...weather.fields, { name: 'unit', type: 'string' }] }));
  writeFileSync(
    path('widened.avsc'),
    JSON.stringify({ ...weather, fields: weather.fields.map((f) => (f.name === 'temp' ? { ...f, type: 'double' } : f)) }),
  );
  writeFileSync(path('broken.avsc'), '{ "type": "record", ');
  copyFileSync('/work/shared/data/avro/weather-deflate.avro', path('weather.avro'));
  writeFileSync(path('not-avro.avro'), 'hello, this is text');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fleetwave compat', () => {
  it("reads the old schema from an .avro file's header and passes a BACKWARD change", async () => {
    const r = await runCommand(compatCommand, ['compat', path('weather.avro'), path('widened.avsc'), '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.verdict).toBe('BACKWARD');
    expect(json.pass).toBe(true);
    expect(json.forward.incompatibilities).toEqual([{ path: 'Weather.temp', reason: "the writer's double cannot be read as int" }]);
  });

  it('exits 1 when the verdict does not reach --require, naming each problem', async () => {
    const r = await runCommand(compatCommand, ['compat', path('weather.avro'), path('added.avsc')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('**FORWARD**');
    expect(r.stdout).toContain('`Weather.unit`: the reader\'s field "unit" has no default');
    expect((await runCommand(compatCommand, ['compat', path('weather.avro'), path('added.avsc'), '--require', 'forward'])).code).toBe(0);
  });

  it('exits 2 on bad input, naming the file', async () => {
    const broken = await runCommand(compatCommand, ['compat', path('weather.avro'), path('broken.avsc')]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain(`${path('broken.avsc')}: not a JSON Avro schema`);
    const magic = await runCommand(compatCommand, ['compat', path('not-avro.avro'), path('added.avsc')]);
    expect(magic.code).toBe(2);
    expect(magic.stderr).toContain('not an Avro container file (bad magic bytes at offset 0)');
    expect((await runCommand(compatCommand, ['compat', path('missing.avsc'), path('added.avsc')])).code).toBe(2);
    expect((await runCommand(compatCommand, ['compat', path('weather.avro'), path('added.avsc'), '--require', 'sideways'])).code).toBe(2);
  });
});

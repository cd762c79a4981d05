/**
 * The dataset gate with the real data path (issue 15): `fleetwave convert` and `fleetwave verify
 * --manifest` on a local lake write the record, `fleetwave run --lake` reads it. A target that does
 * not match its source fails verification and no consumer PR opens; converted again and verified, the
 * rollout goes on.
 */
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { bufferIO } from '../../src/cli/io.js';
import { generatePlayEvents, PLAY_EVENT_SCHEMA_V1, writeAvroFile } from '../../src/demo/play-events.js';
import { openLocalFleet } from '../../src/forge/local/index.js';
import type { MigrationSummary } from '../../src/rollout/model.js';
import { NEW, OLD, buildTestFleet, manifestText, type TestFleet } from '../helpers/local-fleet.js';

jest.setTimeout(600_000);
const fleets: TestFleet[] = [];
afterEach(() => {
  for (const f of fleets.splice(0)) f.cleanup();
});

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = bufferIO();
  const code = await main(args, io);
  return { code, out: io.stdout.join(''), err: io.stderr.join('') };
}

async function prCount(f: TestFleet): Promise<number> {
  const forge = await openLocalFleet(f.fleet);
  let n = 0;
  for (const repo of f.consumers) if (await forge.getPullRequest(repo, 1)) n++;
  return n;
}

describe('the dataset gate after fleetwave verify', () => {
  it('a target that fails verification opens no consumer PR; converted again and verified, the rollout goes on', async () => {
    const f = await buildTestFleet(manifestText({ gate: 'verified' }));
    fleets.push(f);
    const lake = join(f.root, 'lake');
    const source = join(lake, OLD) + '/';
    const target = join(lake, NEW) + '/';
    await writeAvroFile(join(source, 'part-0.avro'), PLAY_EVENT_SCHEMA_V1, generatePlayEvents(200, 1));
    expect((await cli(['convert', source, target])).code).toBe(0);
    // the source is written again with other rows after the conversion: the target no longer matches it
    await writeAvroFile(join(source, 'part-0.avro'), PLAY_EVENT_SCHEMA_V1, generatePlayEvents(150, 2));
    const bad = await cli(['verify', '--manifest', f.manifestPath, source, target]);
    expect(bad.code).not.toBe(0);

    const run = async () => {
      const r = await cli(['run', f.manifestPath, '--fleet', f.fleet, '--state', f.state, '--lake', lake, '--json']);
      return JSON.parse(r.out) as MigrationSummary;
    };
    const paused = await run();
    expect(paused.dataset?.state).toBe('failed');
    expect(paused.state).toBe('paused');
    expect(await prCount(f)).toBe(0);

    expect((await cli(['convert', source, target])).code).toBe(0);
    const good = await cli(['verify', '--manifest', f.manifestPath, source, target]);
    expect(good.code).toBe(0);
    const after = await run();
    expect(after.dataset?.state).toBe('verified');
    expect(after.dataset?.evidence).toMatchObject({ sourceRows: 150, targetRows: 150, checksumsMatch: true });
    expect(await prCount(f)).toBe(f.consumers.length);
  });
});

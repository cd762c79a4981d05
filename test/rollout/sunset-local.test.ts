/**
 * The sunset on a real local fleet (issue 21): with `metadata.sunset` passed, the owners are alerted
 * while consumers still read the old dataset, and `fleetwave status` says the old dataset can be deleted
 * only once every consumer is merged and the rescans after the merges find no reference left.
 */
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bufferIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { oneWaveManifest, smallFleet } from '../helpers/local-fleet.js';

jest.setTimeout(600_000);
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const manifest = oneWaveManifest({ metadata: 'sunset: 2026-01-01' });

describe('the sunset on a local fleet', () => {
  it('warns while consumers read the old dataset and says it can be deleted once none does', async () => {
    const f = await smallFleet(['acme/a', 'acme/b'], "#!/bin/sh\ngrep -q 'data/events/v' config.yaml\n");
    cleanups.push(f.cleanup);
    const { fleet, state } = f;
    const manifestPath = join(f.root, 'events-v2.yaml');
    writeFileSync(manifestPath, manifest);
    const status = async () => {
      const io = bufferIO();
      await main(['status', '--state', state], io);
      return io.stdout.join('\n');
    };

    await main(['run', manifestPath, '--fleet', fleet, '--state', state, '--json'], bufferIO());
    for (let i = 0; i < 4 && !(await status()).includes('COMPLETED'); i++)
      await main(['run', manifestPath, '--fleet', fleet, '--state', state, '--json'], bufferIO());
    const text = await status();
    expect(text).toContain('COMPLETED');
    expect(text).toContain(
      '  old dataset: the old dataset can be deleted: every consumer is migrated, no reference to it is left, and the sunset 2026-01-01 has passed',
    );

    const store = openSqliteStore(state);
    try {
      const alerts = (await store.events({ migration: 'events-v2' })).filter((e) => e.action === 'alert' && e.detail.kind === 'sunset');
      expect(alerts.map((e) => e.detail.action)).toEqual(['trigger', 'resolve']);
      expect(alerts[0]!.detail.summary).toMatch(/went away on 2026-01-01; 2 consumers not migrated yet: acme\/a, acme\/b/);
    } finally {
      await store.close();
    }
  });
});

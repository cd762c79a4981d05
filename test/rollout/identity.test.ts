/**
 * A migration's identity is its source (src/rollout/identity.ts): the first manifest claims the name,
 * a second is refused while the first still declares it, and a manifest that moved takes the claim
 * over with the pull requests of its old source.
 */
import { describe, expect, it } from '@jest/globals';
import { MemoryForge } from '../../src/forge/memory/memory-forge.js';
import { claimIdentity, MigrationClaimedError } from '../../src/rollout/identity.js';
import { SimulatedClock } from '../../src/simulate/clock.js';
import { simulationManifest } from '../../src/simulate/simulate.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { silentLogger } from '../../src/util/log.js';

const OLD_PATH = '.fleetwave/old.yaml';
const A = `acme/data:${OLD_PATH}`;
const B = 'acme/data:.fleetwave/new.yaml';

function setup() {
  const clock = new SimulatedClock();
  const forge = new MemoryForge([{ repo: 'acme/data', files: { [OLD_PATH]: 'metadata:\n  name: simulated-migration\n' } }], {
    clock,
    random: () => 0.5,
  });
  const store = new MemoryStore();
  const deps = { forge, store, logger: silentLogger, now: () => clock.now() };
  return { forge, store, deps, loaded: simulationManifest() };
}

describe('claimIdentity', () => {
  it('claims a free name for the manifest that first uses it', async () => {
    const { deps, loaded, store } = setup();
    const id = await claimIdentity(deps, loaded, { source: A, installation: 7 });
    expect(id.source).toBe(A);
    expect([...id.accepted]).toEqual([A]);
    expect(await store.migrationClaim('simulated-migration')).toMatchObject({ source: A, installation: 7, previousSources: [] });
  });

  it('refuses a second manifest while the first still declares the name, naming it', async () => {
    const { deps, loaded, store } = setup();
    await claimIdentity(deps, loaded, { source: A, installation: 7 });
    const second = claimIdentity(deps, loaded, { source: B, installation: 7 });
    await expect(second).rejects.toThrow(MigrationClaimedError);
    await expect(claimIdentity(deps, loaded, { source: B, installation: 7 })).rejects.toThrow(
      `metadata.name "simulated-migration" is already the migration of the manifest ${A}`,
    );
    expect((await store.migrationClaim('simulated-migration'))!.source).toBe(A);
  });

  it('does not name a manifest of another installation', async () => {
    const { deps, loaded } = setup();
    await claimIdentity(deps, loaded, { source: A, installation: 7 });
    const err = (await claimIdentity(deps, loaded, { source: 'other/repo:m.yaml', installation: 8 }).catch((e: unknown) => e)) as Error;
    expect(err.message).toContain('a manifest of another installation of this App');
    expect(err.message).not.toContain('acme/data');
  });

  it('hands the claim over when the first manifest no longer declares the name, keeping its pull requests', async () => {
    const { deps, loaded, store, forge } = setup();
    await claimIdentity(deps, loaded, { source: A, installation: 7 });
    forge.humanCommit('acme/data', 'main', OLD_PATH, 'metadata:\n  name: something-else\n');
    const id = await claimIdentity(deps, loaded, { source: B, installation: 7 });
    expect([...id.accepted].sort()).toEqual([A, B].sort());
    expect(await store.migrationClaim('simulated-migration')).toMatchObject({ source: B, previousSources: [A] });
  });

  it('a dry run reads the claim and writes none', async () => {
    const { deps, loaded, store } = setup();
    const id = await claimIdentity(deps, loaded, { source: A, dryRun: true });
    expect(id.source).toBe(A);
    expect(await store.migrationClaim('simulated-migration')).toBeNull();
  });
});

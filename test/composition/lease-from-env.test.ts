/**
 * The reconcile lease's timings reach every entry point's reconcile through engineDeps (the App and the
 * workers carrying out its jobs too, not only `fleetwave run`), and the App refuses a bad value at start.
 */
import { describe, expect, it } from '@jest/globals';
import { configFromEnv } from '../../src/app/config.js';
import { engineDeps } from '../../src/composition/engine-deps.js';
import { leaseFromEnv } from '../../src/composition/lease-from-env.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { silentLogger } from '../../src/util/log.js';
import { InputError } from '../../src/util/errors.js';
import type { Forge } from '../../src/forge/port.js';

describe('the reconcile lease from the environment', () => {
  it('reads FLEETWAVE_LEASE_SECONDS and FLEETWAVE_LEASE_WAIT_SECONDS, and leaves the defaults when unset', () => {
    expect(leaseFromEnv({ FLEETWAVE_LEASE_SECONDS: '6', FLEETWAVE_LEASE_WAIT_SECONDS: '1.5' })).toEqual({ ttlMs: 6000, waitMs: 1500 });
    expect(leaseFromEnv({ FLEETWAVE_LEASE_SECONDS: '' })).toEqual({});
  });

  it('is part of the engine deps every entry point builds', () => {
    const deps = engineDeps({
      forge: {} as Forge,
      store: new MemoryStore(),
      logger: silentLogger,
      env: { FLEETWAVE_LEASE_SECONDS: '6' },
    });
    expect(deps.lease).toEqual({ ttlMs: 6000 });
  });

  it('a bad value stops the App at start, naming the variable', () => {
    expect(() => configFromEnv({ FLEETWAVE_LEASE_SECONDS: 'soon' })).toThrow(InputError);
    expect(() => configFromEnv({ FLEETWAVE_LEASE_SECONDS: '0' })).toThrow('FLEETWAVE_LEASE_SECONDS=0: give a number of seconds above 0');
  });
});

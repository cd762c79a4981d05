import { describe, expect, it } from '@jest/globals';
import { openQueue, queuePolicyFromEnv } from '../../src/composition/open-queue.js';
import { InputError } from '../../src/util/errors.js';

describe('the job queue from the store setting and the environment', () => {
  it('reads the policy, and names the variable and the range when a value is wrong', () => {
    expect(queuePolicyFromEnv({})).toEqual({});
    expect(
      queuePolicyFromEnv({ FLEETWAVE_JOB_ATTEMPTS: '3', FLEETWAVE_JOB_BACKOFF_SECONDS: '2', FLEETWAVE_JOB_LEASE_SECONDS: '60' }),
    ).toEqual({
      maxAttempts: 3,
      backoffMs: 2_000,
      leaseMs: 60_000,
    });
    expect(() => queuePolicyFromEnv({ FLEETWAVE_JOB_ATTEMPTS: '0' })).toThrow(InputError);
    expect(() => queuePolicyFromEnv({ FLEETWAVE_JOB_LEASE_SECONDS: '86400' })).toThrow(
      'FLEETWAVE_JOB_LEASE_SECONDS=86400: give a whole number from 1 to 86399',
    );
  });

  it('keeps the queue in the process for a file store', async () => {
    const queue = await openQueue('/tmp/fleetwave-no-such.sqlite', { env: {} });
    expect(queue.location).toBe('in-process');
    await queue.close();
  });
});

/** A tick's outcome with nothing to alert about, for the alerts' tests to override. */
import type { AlertInput } from '../../src/alerts/alert.js';

export const quietTick: AlertInput = {
  migration: 'play-events-v2',
  fleet: 'github:acme',
  owners: ['data-platform'],
  state: 'running',
  reason: null,
  failedWave: null,
  breaker: null,
  reverts: [],
  episode: 0,
  raised: new Map(),
};

/** The App's settings from its environment (beside Probot's own APP_ID, PRIVATE_KEY, WEBHOOK_SECRET …). */
import { InputError } from '../util/errors.js';
import { webhookSinkFromEnv } from '../alerts/webhook-sink.js';
import { breakerPolicyFromEnv } from '../rollout/breaker.js';
import { leaseFromEnv } from '../composition/lease-from-env.js';
import { POLICY_ENV, policyFromEnv } from './manifest-policy.js';
import { type AppConfig, DEFAULT_CONFIG } from './types.js';

function positive(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new InputError(`${name}=${raw}: expected a whole number of at least 0`);
  return n;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const globs = env.FLEETWAVE_MANIFEST_GLOBS?.split(',')
    .map((g) => g.trim())
    .filter(Boolean);
  for (const g of globs ?? []) {
    if (!/^([^*?[\]{}]+\/)?\*\.ya?ml$/.test(g))
      throw new InputError(`FLEETWAVE_MANIFEST_GLOBS: "${g}" must have the form <dir>/*.yaml (a folder without wildcards)`);
  }
  const method = env.FLEETWAVE_MERGE_METHOD ?? DEFAULT_CONFIG.mergeMethod;
  if (method !== 'merge' && method !== 'squash' && method !== 'rebase')
    throw new InputError(`FLEETWAVE_MERGE_METHOD=${method}: expected merge, squash or rebase`);
  const autoMerge = env.FLEETWAVE_AUTO_MERGE || DEFAULT_CONFIG.autoMerge;
  if (autoMerge !== 'native' && autoMerge !== 'api') throw new InputError(`FLEETWAVE_AUTO_MERGE=${autoMerge}: expected native or api`);
  const limits: AppConfig['limits'] = {};
  const perMinute = positive(env, 'FLEETWAVE_WRITES_PER_MINUTE');
  const perHour = positive(env, 'FLEETWAVE_WRITES_PER_HOUR');
  const gap = positive(env, 'FLEETWAVE_WRITE_GAP_MS');
  if (perMinute !== undefined) limits.perMinute = perMinute;
  if (perHour !== undefined) limits.perHour = perHour;
  if (gap !== undefined) limits.minGapMs = gap;
  // The circuit breaker (FLEETWAVE_BREAKER_*), the alert URL and the reconcile lease's timings are read by every reconcile; a bad value fails here, at start.
  breakerPolicyFromEnv(env);
  webhookSinkFromEnv(env);
  leaseFromEnv(env);
  const queueDelayMs = positive(env, 'FLEETWAVE_QUEUE_DELAY_MS') ?? DEFAULT_CONFIG.queueDelayMs;
  const config: AppConfig = {
    manifestGlobs: globs?.length ? globs : DEFAULT_CONFIG.manifestGlobs,
    limits,
    mergeMethod: method,
    autoMerge,
    queueDelayMs,
    manifestPolicy: policyFromEnv(env[POLICY_ENV]),
  };
  if (env.FLEETWAVE_GIT_URL) config.gitBaseUrl = env.FLEETWAVE_GIT_URL;
  return config;
}

/**
 * Who carries out the reconciles webhooks and the periodic reconcile ask for (FLEETWAVE_APP_WORKERS):
 * `inline` (default), the App itself; `external`, `fleetwave worker` processes, from the job queue in
 * the PostgreSQL store (docs/operations.md, "The job queue and workers").
 */
export function appWorkersFromEnv(env: NodeJS.ProcessEnv, stateIsShared: boolean): 'inline' | 'external' {
  const value = env.FLEETWAVE_APP_WORKERS || 'inline';
  if (value !== 'inline' && value !== 'external') throw new InputError(`FLEETWAVE_APP_WORKERS=${value}: expected inline or external`);
  if (value === 'external' && !stateIsShared)
    throw new InputError(
      'FLEETWAVE_APP_WORKERS=external needs the job queue workers share: FLEETWAVE_STATE must be a postgres:// URL (the workers use the same one)',
    );
  return value;
}

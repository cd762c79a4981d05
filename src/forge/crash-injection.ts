/**
 * Fault injection for crash tests: a Forge decorator that crashes right before or right after calls
 * that change the forge. The CLI enables it only through FLEETWAVE_CRASH_AT=<n>[:before|:after] and
 * kills the whole process (SIGKILL: no cleanup, no finally blocks, like a power cut); the simulation
 * crashes at random points by throwing. Both prove that an interrupted run is repaired by the next one.
 */
import type { Forge } from './port.js';

/** The port's methods that change the forge (content-creating requests on GitHub). */
export const MUTATING_METHODS: ReadonlySet<string> = new Set([
  'pushChanges',
  'deleteBranch',
  'openPullRequest',
  'updatePullRequest',
  'mergePullRequest',
  'closePullRequest',
  'revertPullRequest',
  'requestReviewers',
  'comment',
  'rerunChecks',
]);

export function parseCrashSpec(spec: string | undefined): { at: number; when: 'before' | 'after' } | null {
  if (!spec) return null;
  const m = /^(\d+)(?::(before|after))?$/.exec(spec.trim());
  if (!m) return null;
  return { at: Number(m[1]), when: (m[2] as 'before' | 'after' | undefined) ?? 'after' };
}

/** Decides, for the n-th change (1-based), whether to crash before or after it. */
export type CrashPoint = (n: number, when: 'before' | 'after') => boolean;

/** A crash point at exactly the n-th change, before or after it. */
export function crashAt(spec: { at: number; when: 'before' | 'after' }): CrashPoint {
  return (n, when) => n === spec.at && when === spec.when;
}

export function withCrashInjection<F extends Forge>(
  forge: F,
  point: CrashPoint,
  crash: () => never = () => process.kill(process.pid, 'SIGKILL') as never,
): F {
  let count = 0;
  return new Proxy(forge, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof prop !== 'string' || !MUTATING_METHODS.has(prop) || typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const n = ++count;
        if (point(n, 'before')) crash();
        const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        if (point(n, 'after')) crash();
        return result;
      };
    },
  });
}

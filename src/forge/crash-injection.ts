/**
 * Fault injection for crash tests: a Forge decorator that kills the whole process (SIGKILL: no
 * cleanup, no finally blocks, like a power cut) right before or right after the N-th call that
 * changes the forge. Enabled only through FLEETWAVE_CRASH_AT=<n>[:before|:after]; the tests use it to
 * prove that a run killed at any point is repaired by the next one.
 */
import type { Forge } from './port.js';

const MUTATING = new Set(['pushChanges', 'openPullRequest', 'updatePullRequest', 'mergePullRequest', 'closePullRequest', 'revertPullRequest', 'comment']);

export function parseCrashSpec(spec: string | undefined): { at: number; when: 'before' | 'after' } | null {
  if (!spec) return null;
  const m = /^(\d+)(?::(before|after))?$/.exec(spec.trim());
  if (!m) return null;
  return { at: Number(m[1]), when: (m[2] as 'before' | 'after' | undefined) ?? 'after' };
}

export function withCrashInjection<F extends Forge>(forge: F, spec: { at: number; when: 'before' | 'after' }, kill: () => never = () => process.kill(process.pid, 'SIGKILL') as never): F {
  let count = 0;
  return new Proxy(forge, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof prop !== 'string' || !MUTATING.has(prop) || typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        count++;
        if (count === spec.at && spec.when === 'before') kill();
        const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        if (count === spec.at && spec.when === 'after') kill();
        return result;
      };
    },
  });
}

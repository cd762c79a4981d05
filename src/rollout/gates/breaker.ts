/**
 * The fleet's circuit breaker as a gate: open, it lets no open or merge through and pauses the
 * migration until it half-opens; half-open, one action of the fleet goes as its canary. The state
 * machine is src/rollout/breaker.ts; recording the tick's outcomes into it is src/rollout/breaker-tick.ts.
 */
import { gate } from '../breaker.js';
import type { Gate } from './gate.js';

export const breakerGate: Gate = {
  name: 'breaker',
  actions(actions, ctx) {
    if (!ctx.breaker) return { actions: [...actions], reason: null };
    const g = gate(ctx.breaker.record, ctx.migration, actions, ctx.breaker.policy, ctx.now);
    return { actions: g.actions, reason: g.reason, pause: g.pause, waitingUntil: g.waitingUntil, breaker: g.record };
  },
};

/** The failure threshold: a finished wave whose failed share is above `failureThreshold` pauses the migration, unless a human accepted it (`fleetwave resume`). */
import type { Gate } from './gate.js';

export const thresholdGate: Gate = {
  name: 'threshold',
  wave(wave, ctx) {
    if (wave.failedShare <= ctx.policy.failureThreshold || ctx.acceptedWaves.has(wave.index)) return null;
    return {
      pause: `wave ${wave.index} failed ${wave.failed} of ${wave.size} (${pct(wave.failedShare)}), above the failure threshold of ${pct(ctx.policy.failureThreshold)}; fix or close the failed pull requests, then run \`fleetwave resume ${ctx.migration}\``,
    };
  },
};

function pct(x: number): string {
  return `${Math.round(x * 1000) / 10}%`;
}

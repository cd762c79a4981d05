/** Soak: a wave's merges must have stood for `soak` before the next wave starts. */
import type { Gate } from './gate.js';

export const soakGate: Gate = {
  name: 'soak',
  wave(wave, ctx) {
    const { soakMs } = ctx.policy;
    if (soakMs > 0 && wave.lastMerge + soakMs > ctx.now.getTime()) return { waitUntil: new Date(wave.lastMerge + soakMs).toISOString() };
    return null;
  },
};

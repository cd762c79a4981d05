/**
 * Which V8 gets the raised tier-up budget (src/composition/compiler-tiering.ts): only the V8 it was
 * measured on (Node 20's 11.3), and none with FLEETWAVE_COMPILER_TIERING=0. That the flag reaches the
 * compiler's process is observed in test/composition/compiler-code-cache.test.ts.
 */
import { describe, expect, it } from '@jest/globals';
import { compilerTieringFlags } from '../../src/composition/compiler-tiering.js';

describe('compilerTieringFlags', () => {
  it('raises the interrupt budget eightfold on V8 11.3 (Node 20)', () => {
    expect(compilerTieringFlags({}, '11.3.244.8-node.38')).toBe('--interrupt-budget=540672');
  });

  it('leaves a V8 it was not measured on alone', () => {
    expect(compilerTieringFlags({}, '12.4.254.21-node.33')).toBeUndefined();
    expect(compilerTieringFlags({}, '13.6.233.10-node.27')).toBeUndefined();
  });

  it('is off with FLEETWAVE_COMPILER_TIERING=0', () => {
    expect(compilerTieringFlags({ FLEETWAVE_COMPILER_TIERING: '0' }, '11.3.244.8-node.38')).toBeUndefined();
  });
});

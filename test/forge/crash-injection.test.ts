/**
 * The crash-injection decorator (src/forge/crash-injection.ts) counts only the port's mutating calls:
 * a code search goes through untouched, with its `onIncomplete` (a partial answer is still told).
 */
import { describe, expect, it } from '@jest/globals';
import { withCrashInjection } from '../../src/forge/crash-injection.js';
import { MemoryForge } from '../../src/forge/memory/memory-forge.js';
import { SimulatedClock } from '../../src/simulate/clock.js';

describe('withCrashInjection', () => {
  it('passes a code search and its onIncomplete through without counting it as a change', async () => {
    const forge = new MemoryForge(
      [0, 1, 2].map((i) => ({ repo: `acme/c${i}`, files: { 'a.yaml': 'data/events/v1\n' } })),
      { clock: new SimulatedClock(), random: () => 0.5, incompleteSearch: { found: 2 } },
    );
    const counted: number[] = [];
    const wrapped = withCrashInjection(
      forge,
      (n) => (counted.push(n), false),
      () => {
        throw new Error('crash');
      },
    );
    let told = 0;
    expect(await wrapped.searchCode('data/events/v1', { onIncomplete: () => void told++ })).toEqual(['acme/c0', 'acme/c1']);
    expect(told).toBe(1);
    expect(counted).toEqual([]);
  });
});

describe('withCrashInjection and deleteBranch', () => {
  it('counts a branch deletion as a change, and crashes before it when told to', async () => {
    const forge = new MemoryForge([{ repo: 'acme/c0', files: { 'a.yaml': 'data/events/v1\n' } }], {
      clock: new SimulatedClock(),
      random: () => 0.5,
    });
    const base = (await forge.getRepository('acme/c0'))!.headSha;
    const { sha } = await forge.pushChanges({
      repo: 'acme/c0',
      branch: 't',
      baseSha: base,
      edits: [{ path: 'a.yaml', before: null, after: 'v2\n' }],
      message: 'm',
    });
    const wrapped = withCrashInjection(
      forge,
      (n, when) => n === 1 && when === 'before',
      () => {
        throw new Error('crash');
      },
    );
    await expect(wrapped.deleteBranch('acme/c0', 't', sha)).rejects.toThrow('crash');
    expect((await forge.getBranch('acme/c0', 't'))?.sha).toBe(sha);
    await forge.deleteBranch('acme/c0', 't', sha);
    expect(await forge.getBranch('acme/c0', 't')).toBeNull();
  });
});

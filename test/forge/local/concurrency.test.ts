import { describe, expect, it } from '@jest/globals';
import { KeyedMutex, Limiter, mapLimit } from '../../../src/forge/local/concurrency.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('Limiter', () => {
  it('never runs more than its limit, even when newcomers arrive as a task finishes', async () => {
    const limiter = new Limiter(2);
    let running = 0;
    let most = 0;
    const task = async () => {
      running++;
      most = Math.max(most, running);
      await tick();
      running--;
    };
    const all: Promise<void>[] = [];
    for (let i = 0; i < 10; i++) {
      all.push(limiter.run(task));
      if (i % 3 === 0) await tick();
    }
    await Promise.all(all);
    expect(most).toBe(2);
    expect(running).toBe(0);
  });

  it('mapLimit keeps input order and passes errors on', async () => {
    expect(await mapLimit([3, 1, 2], 2, async (n) => n * 10)).toEqual([30, 10, 20]);
    await expect(mapLimit([1, 2], 1, async (n) => (n === 2 ? Promise.reject(new Error('two')) : n))).rejects.toThrow('two');
    expect(() => new Limiter(0)).toThrow(RangeError);
  });
});

describe('KeyedMutex', () => {
  it('runs work on one key one at a time, in order, and other keys alongside; a failure frees the key', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    const work = (key: string, name: string, fail = false) =>
      mutex.run(key, async () => {
        log.push(`${name}+`);
        await tick();
        log.push(`${name}-`);
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([work('a', 'a1', true), work('a', 'a2'), work('b', 'b1')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(log.indexOf('a2+')).toBeGreaterThan(log.indexOf('a1-'));
    expect(log.indexOf('b1+')).toBeLessThan(log.indexOf('a1-'));
  });
});

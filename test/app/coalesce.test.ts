import { describe, expect, it } from '@jest/globals';
import { Coalescer } from '../../src/app/coalesce.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('Coalescer', () => {
  it('runs one job at a time per key and folds a burst into one more run that does the newest work', async () => {
    const c = new Coalescer<string>();
    const gate = deferred();
    const ran: string[] = [];
    let active = 0;
    let maxActive = 0;
    // Counts concurrency of key 'm' only ('x' runs under key 'n', which may overlap with it).
    const job = (name: string, wait?: Promise<void>) => async () => {
      const counted = name !== 'x';
      if (counted) active++;
      maxActive = Math.max(maxActive, active);
      ran.push(name);
      if (wait) await wait;
      if (counted) active--;
      return name;
    };
    const a = c.run('m', job('a', gate.promise));
    const b = c.run('m', job('b'));
    const d = c.run('m', job('d'));
    const other = c.run('n', job('x'));
    gate.resolve();
    expect(await a).toBe('a');
    expect(await b).toBe('d');
    expect(await d).toBe('d');
    expect(await other).toBe('x');
    expect(ran.filter((r) => r !== 'x')).toEqual(['a', 'd']);
    expect(maxActive).toBe(1);
    // Afterwards a new call starts at once.
    expect(await c.run('m', job('e'))).toBe('e');
  });

  it('a failed run does not block the next one', async () => {
    const c = new Coalescer<string>();
    const failing = c.run('m', async () => {
      throw new Error('boom');
    });
    const next = c.run('m', async () => 'ok');
    await expect(failing).rejects.toThrow('boom');
    expect(await next).toBe('ok');
  });
});

/** `--help` names the store default without its password (FLEETWAVE_STATE may be a PostgreSQL URL with one). */
import { afterEach, describe, expect, it } from '@jest/globals';
import { bufferIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

const saved = process.env.FLEETWAVE_STATE;
afterEach(() => {
  if (saved === undefined) delete process.env.FLEETWAVE_STATE;
  else process.env.FLEETWAVE_STATE = saved;
});

describe('the store option in --help', () => {
  it.each(['status', 'run', 'store', 'worker'])('%s --help shows FLEETWAVE_STATE with its password as ***', async (command) => {
    process.env.FLEETWAVE_STATE = 'postgres://fleetwave:s3cret-pw@db.internal:5432/fleet';
    const io = bufferIO();
    const args = command === 'store' ? ['store', 'migrate', '--help'] : [command, '--help'];
    expect(await main(args, io)).toBe(0);
    const help = io.stdout.join('');
    expect(help).not.toContain('s3cret-pw');
    expect(help).toContain('postgres://fleetwave:***@db.internal:5432/fleet');
  });
});

describe('the queue needs a store other processes share', () => {
  it('worker refuses a file store and a concurrency under 1, saying what to give', async () => {
    const io = bufferIO();
    expect(await main(['worker', '--state', '/tmp/fleetwave-nowhere.sqlite'], io)).toBe(2);
    expect(io.stderr.join('')).toContain('fleetwave worker serves the job queue other processes share, in PostgreSQL');
    const io2 = bufferIO();
    expect(await main(['worker', '--state', 'postgres://db/x', '--concurrency', '0'], io2)).toBe(2);
    expect(io2.stderr.join('')).toContain('--concurrency 0: give a whole number of at least 1');
  });
});

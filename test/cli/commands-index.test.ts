import { describe, expect, it } from '@jest/globals';
import { bufferIO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { commands } from '../../src/cli/commands/index.js';

describe('the CLI command list', () => {
  it('names each command as the command it loads calls itself', async () => {
    for (const entry of commands) expect((await entry.load()).name).toBe(entry.name);
    expect(new Set(commands.map((c) => c.name)).size).toBe(commands.length);
  });

  it('lists every command in the help, and a command asked for by name has its own help', async () => {
    const io = bufferIO();
    expect(await main(['--help'], io)).toBe(0);
    const help = io.stdout.join('');
    for (const entry of commands) expect(help).toMatch(new RegExp(`^\\s+${entry.name}\\b`, 'm'));
    const one = bufferIO();
    expect(await main(['convert', '--help'], one)).toBe(0);
    expect(one.stdout.join('')).toContain('Usage: fleetwave convert');
  });

  it('an unknown command is bad input, with the list of commands to choose from', async () => {
    const io = bufferIO();
    expect(await main(['convrt'], io)).toBe(2);
    expect(io.stderr.join('')).toMatch(/unknown command 'convrt'[\s\S]*convert/);
  });
});

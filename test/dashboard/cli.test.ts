import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { reportCommand } from '../../src/cli/commands/report.js';
import { parsePort, serveDashboard } from '../../src/cli/commands/serve.js';
import { bufferIO } from '../../src/cli/io.js';
import { InputError } from '../../src/util/errors.js';
import { MIGRATION, recordMigration } from './recorded-migration.js';

let dir: string;
let state: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fleetwave-report-cli-'));
  state = join(dir, 'fleetwave.sqlite');
  await (await recordMigration(state, join(dir, 'fleet'))).store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function report(args: string[]) {
  const io = bufferIO();
  let exit = -1;
  const program = new Command('fleetwave').exitOverride();
  reportCommand.register(program, io, (code) => (exit = code));
  await program.parseAsync(['report', ...args], { from: 'user' });
  return { io, exit };
}

describe('fleetwave report', () => {
  it('prints Markdown with the Mermaid burndown by default', async () => {
    const { io, exit } = await report([MIGRATION, '--state', state]);
    expect(exit).toBe(0);
    const text = io.stdout.join('\n');
    expect(text).toContain('## play-events-v2: paused');
    expect(text).toContain('6 of 9 consumers still on the old dataset; 2 references left in 4 rescanned consumers.');
    expect(text).toMatch(/```mermaid\nxychart-beta\n/);
  });

  it('writes a self-contained HTML report atomically, and the JSON model with --json', async () => {
    const out = join(dir, 'reports', 'play-events.html');
    const { io } = await report([MIGRATION, '--state', state, '--html', out, '--json']);
    const json = JSON.parse(io.stdout.join('\n')) as { html: string; burndown: { remaining: number } };
    expect(json.html).toBe(out);
    expect(json.burndown.remaining).toBe(6);
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<svg');
    expect(html).toContain('A static report.');
    // Self-contained: no stylesheet, script or image fetched from anywhere.
    expect(html).not.toMatch(/<link |<script|<img |src=|url\(/);
    expect(readdirSync(join(dir, 'reports'))).toEqual(['play-events.html']); // no temp file left
  });

  it('says which migrations exist when the name is wrong, and refuses a missing store', async () => {
    await expect(report(['nope', '--state', state])).rejects.toThrow(/no migration named nope .*known: play-events-v2/);
    await expect(report([MIGRATION, '--state', join(dir, 'absent.sqlite')])).rejects.toThrow(InputError);
    expect(existsSync(join(dir, 'absent.sqlite'))).toBe(false);
  });
});

describe('fleetwave serve', () => {
  it('serves the store until stopped', async () => {
    const io = bufferIO();
    const stop = new AbortController();
    const serving = serveDashboard({ state, port: '0', host: '127.0.0.1' }, io, stop.signal);
    for (let i = 0; i < 100 && io.stdout.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    const url = /dashboard: (\S+)/.exec(io.stdout[0] ?? '')?.[1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const res = await fetch(`${url}migrations/${MIGRATION}`, { headers: { accept: 'application/json' } });
    expect(((await res.json()) as { state: string }).state).toBe('paused');
    stop.abort();
    await serving;
    await expect(fetch(url!)).rejects.toThrow();
  });

  it('refuses a bad port and a port in use with what to do', async () => {
    expect(() => parsePort('http')).toThrow(/expected a port number/);
    expect(() => parsePort('70000')).toThrow(InputError);
    const io = bufferIO();
    const stop = new AbortController();
    const first = serveDashboard({ state, port: '0', host: '127.0.0.1' }, io, stop.signal);
    for (let i = 0; i < 100 && io.stdout.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    const port = new URL(/dashboard: (\S+)/.exec(io.stdout[0]!)![1]!).port;
    await expect(serveDashboard({ state, port, host: '127.0.0.1' }, bufferIO(), new AbortController().signal)).rejects.toThrow(
      /port \d+ on 127.0.0.1 is in use: pass another --port/,
    );
    stop.abort();
    await first;
  });
});

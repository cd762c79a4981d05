/**
 * Runs the Action bundle in a child process the way a GitHub runner runs dist/index.js:
 * each input as an `INPUT_<NAME>` variable (upper-cased, spaces as underscores, hyphens kept), the
 * GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, GITHUB_WORKSPACE as the working folder. Returns the
 * exit code, stdout (where workflow commands such as `::error file=…::` go), the outputs parsed from
 * the GITHUB_OUTPUT file, and the job summary's Markdown.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');
/** The bundle `npm test` builds before the tests (test/setup/bundle-action.mjs): what a release puts in dist/. */
export const bundleDir = join(repoRoot, 'build', 'action');
export const bundlePath = join(bundleDir, 'index.js');

export interface ActionRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  /** The raw GITHUB_OUTPUT file. */
  outputFile: string;
  summary: string;
}

/** The runner's name for an input: `INPUT_` + upper case, spaces to underscores, hyphens kept. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** Parses the GITHUB_OUTPUT file: `name<<delimiter` NL value NL `delimiter` (and plain `name=value`). */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]!);
      if (i >= lines.length) throw new Error(`GITHUB_OUTPUT: no closing delimiter ${delimiter} for ${name}`);
      out[name!] = value.join('\n');
    } else if (line.includes('=')) out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
  }
  return out;
}

/** `bundle`: another copy of the bundle's index.js (e.g. the bundle copied where no node_modules is, as on a runner). */
export async function runAction(
  inputs: Record<string, string>,
  options: { workspace: string; env?: Record<string, string>; bundle?: string },
): Promise<ActionRun> {
  const files = mkdtempSync(join(tmpdir(), 'fleetwave-runner-'));
  try {
    const outputPath = join(files, 'output.txt');
    const summaryPath = join(files, 'summary.md');
    writeFileSync(outputPath, '');
    writeFileSync(summaryPath, '');
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: options.workspace,
      GITHUB_OUTPUT: outputPath,
      GITHUB_STEP_SUMMARY: summaryPath,
      RUNNER_TEMP: files,
      ...options.env,
    };
    for (const [name, value] of Object.entries(inputs)) env[inputVariable(name)] = value;
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((done, fail) => {
      const child = spawn(process.execPath, [options.bundle ?? bundlePath], {
        cwd: options.workspace,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', fail);
      child.on('close', (c) => done({ code: c, stdout, stderr }));
    });
    const outputFile = readFileSync(outputPath, 'utf8');
    return { code, stdout, stderr, outputs: parseOutputFile(outputFile), outputFile, summary: readFileSync(summaryPath, 'utf8') };
  } finally {
    rmSync(files, { recursive: true, force: true });
  }
}

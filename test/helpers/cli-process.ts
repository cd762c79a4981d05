/**
 * Runs the real CLI (or the App) in a child process (for crash tests: a process that can be killed for real).
 * The CLI and the App are bundled from src/ with esbuild into a temporary file beside the project, so the test
 * needs no prior `npm run build`; packages stay external and resolve from the project's node_modules.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');
const bundles = new Map<string, Promise<string>>();

/** Bundles the script `source` (imports by absolute path) once per test process, as `<name>.mjs`. */
function bundleOnce(name: string, source: string): Promise<string> {
  let bundled = bundles.get(name);
  if (!bundled) {
    bundled = (async () => {
      const dir = join(root, 'test-output', `cli-${process.pid}`);
      mkdirSync(dir, { recursive: true });
      const entry = join(dir, `${name}-entry.ts`);
      writeFileSync(entry, source);
      const outfile = join(dir, `${name}.mjs`);
      await build({
        entryPoints: [entry],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        packages: 'external',
        sourcemap: 'inline',
        logLevel: 'error',
      });
      // A custom codemod's child script is read beside the code that starts it (src/codemod/custom/runner.ts,
      // as build/ and the Action's dist/ hold it): beside the bundle too.
      copyFileSync(join(root, 'src', 'codemod', 'custom', 'worker.ts'), join(dir, 'worker.ts'));
      return outfile;
    })();
    bundles.set(name, bundled);
  }
  return bundled;
}

export function cliBundle(): Promise<string> {
  return bundleOnce(
    'fleetwave',
    `import { main } from '${join(root, 'src', 'cli', 'main.ts')}';\nprocess.exitCode = await main(process.argv.slice(2));\n`,
  );
}

/** The App's entry (src/app/main.ts, what `npm start` runs), bundled the same way. */
export function appBundle(): Promise<string> {
  return bundleOnce('app', `import '${join(root, 'src', 'app', 'main.ts')}';\n`);
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[], env: Record<string, string> = {}, cwd = root): Promise<CliResult> {
  const script = await cliBundle();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
  });
}

export interface CliProcess {
  child: ChildProcess;
  /** stdout and stderr so far. */
  output(): string;
  /** Resolves when the process ends. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `script` (a bundle) and returns at once. */
function startScript(script: string, args: string[], env: Record<string, string>, cwd: string): CliProcess {
  const child = spawn(process.execPath, [script, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((ok) =>
    child.on('close', (code, signal) => ok({ code, signal })),
  );
  return { child, output: () => out, exited };
}

/** Starts the CLI and returns at once (a long-running command: `worker`, `serve`). */
export async function startCli(args: string[], env: Record<string, string> = {}, cwd = root): Promise<CliProcess> {
  return startScript(await cliBundle(), args, env, cwd);
}

/** Starts the App (src/app/main.ts under Probot's environment: APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, PORT …) and returns at once. */
export async function startApp(env: Record<string, string>, cwd = root): Promise<CliProcess> {
  return startScript(await appBundle(), [], env, cwd);
}

/** Running a mode in process: an ActionIO that records what the mode does, and the workspace it runs in. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ActionIO, AnnotationPosition } from '../../src/action/io.js';

/** An ActionIO that records what the mode does, with the runner's environment given. */
export function recordingIO(inputs: Record<string, string>, env: NodeJS.ProcessEnv) {
  const rec = {
    outputs: {} as Record<string, string>,
    summary: '',
    errors: [] as string[],
    warnings: [] as string[],
    secrets: [] as string[],
    info: [] as string[],
  };
  const io: ActionIO = {
    input: (name) => (inputs[name] ?? '').trim(),
    env,
    setOutput: (name, value) => void (rec.outputs[name] = String(value)),
    info: (m) => void rec.info.push(m),
    warning: (m: string, _w?: AnnotationPosition) => void rec.warnings.push(m),
    error: (m: string, _w?: AnnotationPosition) => void rec.errors.push(m),
    setSecret: (v) => void rec.secrets.push(v),
    summary: async (md) => void (rec.summary += md),
  };
  return { io, rec };
}

/** A workspace (GITHUB_WORKSPACE) holding the manifest at `path`, as actions/checkout leaves it. */
export function manifestWorkspace(path: string, text: string): { dir: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'fleetwave-action-ws-'));
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * What a mode of the Action talks through: its inputs, outputs, log lines, annotations and the job
 * summary. `coreIO` is the runner's (@actions/core: INPUT_* variables, the GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY files, `::error file=…::` workflow commands); tests may pass their own.
 */
import * as core from '@actions/core';
import { resolve } from 'node:path';
import { InputError } from '../util/errors.js';

export interface AnnotationPosition {
  /** Path relative to the repository root, as GitHub shows it in the diff. */
  file?: string;
  startLine?: number;
  startColumn?: number;
  title?: string;
}

export interface ActionIO {
  /** The input as given (trimmed); '' when not given. */
  input(name: string): string;
  /** The runner's environment: GITHUB_REPOSITORY, GITHUB_WORKSPACE, RUNNER_TEMP, GITHUB_API_URL … */
  env: NodeJS.ProcessEnv;
  setOutput(name: string, value: string | number | boolean): void;
  info(message: string): void;
  warning(message: string, where?: AnnotationPosition): void;
  error(message: string, where?: AnnotationPosition): void;
  /** Masks a value in every later log line. */
  setSecret(value: string): void;
  /** Appends Markdown to the job summary. */
  summary(markdown: string): Promise<void>;
}

/** The result of one mode: `failed` fails the step with that message. */
export interface ModeOutcome {
  failed?: string;
}

export type ModeRun = (io: ActionIO) => Promise<ModeOutcome>;

export function coreIO(env: NodeJS.ProcessEnv = process.env): ActionIO {
  return {
    input: (name) => core.getInput(name),
    env,
    setOutput: (name, value) => core.setOutput(name, value),
    info: (message) => core.info(message),
    warning: (message, where) => core.warning(message, where ?? {}),
    error: (message, where) => core.error(message, where ?? {}),
    setSecret: (value) => core.setSecret(value),
    summary: async (markdown) => {
      // Without GITHUB_STEP_SUMMARY (a run outside GitHub) the Markdown goes to the log instead.
      if (!env.GITHUB_STEP_SUMMARY) return core.info(markdown);
      await core.summary.addRaw(markdown, true).write();
    },
  };
}

export function requiredInput(io: ActionIO, name: string, mode: string): string {
  const value = io.input(name);
  if (!value) throw new InputError(`mode ${mode} needs the input \`${name}\` (see action.yml)`);
  return value;
}

export function booleanInput(io: ActionIO, name: string): boolean {
  const value = io.input(name).toLowerCase();
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw new InputError(`input \`${name}\`: "${io.input(name)}" is not true or false`);
}

/** A number input within [min, max] (integers only when `integer`), or undefined when not given. */
export function numberInput(io: ActionIO, name: string, range: { min: number; max?: number; integer?: boolean }): number | undefined {
  const raw = io.input(name);
  if (raw === '') return undefined;
  const n = Number(raw);
  const ok = Number.isFinite(n) && n >= range.min && (range.max === undefined || n <= range.max) && (!range.integer || Number.isInteger(n));
  if (!ok) {
    const what = `${range.integer ? 'a whole number' : 'a number'} from ${range.min}${range.max === undefined ? ' up' : ` to ${range.max}`}`;
    throw new InputError(`input \`${name}\`: "${raw}" is not ${what}`);
  }
  return n;
}

/** The folder the Action works in (`working-directory`, relative to the workspace), absolute. */
export function workingDirectory(io: ActionIO): string {
  return resolve(io.env.GITHUB_WORKSPACE ?? process.cwd(), io.input('working-directory') || '.');
}

/** A path input resolved against the working directory. */
export function pathIn(io: ActionIO, path: string): string {
  return resolve(workingDirectory(io), path);
}

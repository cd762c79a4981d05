/**
 * When V8 optimises the TypeScript compiler's functions. By default, on Node 20 (V8 11.3), TurboFan
 * is asked to optimise a function once it has run about 66 KB of bytecode (`--interrupt-budget=67584`);
 * the compiler's large functions get there within the first few hundred milliseconds and are
 * optimised on background threads, work that a codemod run over one repository (1–2 s) does not
 * earn back. Eight times that budget, only the functions that stay hot are optimised: on the
 * renameField benchmark (docs/codemods.md) the first repository of a process took 0.75–1.15 s of CPU
 * instead of 1.16–1.98 s, and later repositories of the same process no more than before.
 *
 * V8's flags are process-wide, so this is set only when the compiler is first loaded
 * (compiler-code-cache.ts): a process that never runs a codemod keeps V8's defaults. Measured on
 * V8 11.3 only (Node 20); other versions keep their defaults. `FLEETWAVE_COMPILER_TIERING=0` turns it off.
 * Node documents `v8.setFlagsFromString` after start-up as possibly without effect
 * (https://nodejs.org/api/v8.html#v8setflagsfromstringflags); this flag is read each time a
 * function's budget is reset, so it takes effect for the code that runs afterwards.
 */
import { setFlagsFromString } from 'node:v8';

/** The V8 versions (major.minor) the budget below was measured on, and the flags for each. */
const MEASURED: Record<string, string> = { '11.3': '--interrupt-budget=540672' };

/** The flags for this process's V8, or undefined (another V8, or FLEETWAVE_COMPILER_TIERING=0). */
export function compilerTieringFlags(env: NodeJS.ProcessEnv = process.env, v8Version = process.versions.v8): string | undefined {
  if (env.FLEETWAVE_COMPILER_TIERING === '0') return undefined;
  return MEASURED[v8Version.split('.').slice(0, 2).join('.')];
}

/** Sets `flags` (from `compilerTieringFlags`) for the rest of the process. */
export function applyCompilerTiering(flags: string): void {
  setFlagsFromString(flags);
}

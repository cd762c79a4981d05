import type { CliCommand } from '../command.js';

/** A command by name, its module loaded only when it runs. */
export interface CommandEntry {
  name: string;
  load(): Promise<CliCommand>;
  /** Streams a dataset: runs with glibc's mmap threshold fixed, so its memory stays flat (src/composition/allocator.ts). */
  streamsData?: true;
}

/**
 * Every command of the CLI; add a command: one file in this folder, one line here. Each is imported
 * only when asked for, so `fleetwave convert` does not load the TypeScript compiler, Octokit or the
 * dashboard: loading every command took 163 MiB of RSS before any work, 45 MiB now.
 */
export const commands: CommandEntry[] = [
  { name: 'validate', load: async () => (await import('./validate.js')).validateCommand },
  { name: 'plan', load: async () => (await import('./plan.js')).planCommand },
  { name: 'trial', load: async () => (await import('./trial.js')).trialCommand },
  { name: 'run', load: async () => (await import('./run.js')).runCommand },
  { name: 'status', load: async () => (await import('./status.js')).statusCommand },
  { name: 'resume', load: async () => (await import('./resume.js')).resumeCommand },
  { name: 'demo', load: async () => (await import('./demo.js')).demoCommand },
  { name: 'simulate', load: async () => (await import('./simulate.js')).simulateCommand },
  { name: 'rollback', load: async () => (await import('./rollback.js')).rollbackCommand },
  { name: 'approve', load: async () => (await import('./approve.js')).approveCommand },
  { name: 'compat', load: async () => (await import('./compat.js')).compatCommand },
  { name: 'convert', load: async () => (await import('./convert.js')).convertCommand, streamsData: true },
  { name: 'verify', load: async () => (await import('./verify.js')).verifyCommand, streamsData: true },
  { name: 'backfill', load: async () => (await import('./backfill.js')).backfillCommand, streamsData: true },
  { name: 'serve', load: async () => (await import('./serve.js')).serveCommand },
  { name: 'report', load: async () => (await import('./report.js')).reportCommand },
  { name: 'codemod', load: async () => (await import('./codemod.js')).codemodCommand },
  { name: 'impact', load: async () => (await import('./impact.js')).impactCommand },
  { name: 'agent', load: async () => (await import('./agent.js')).agentCommand },
  { name: 'breaker', load: async () => (await import('./breaker.js')).breakerCommand },
  { name: 'store', load: async () => (await import('./store.js')).storeCommand },
  { name: 'worker', load: async () => (await import('./worker.js')).workerCommand },
];

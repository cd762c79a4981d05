/** Runs one CLI command the way src/cli/main.ts does (exit codes, error mapping), with output captured. */
import { Command, CommanderError } from 'commander';
import type { CliCommand } from '../../src/cli/command.js';
import { bufferIO } from '../../src/cli/io.js';
import { FleetwaveError, exitCodeFor } from '../../src/util/errors.js';

export async function runCommand(command: CliCommand, argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = bufferIO();
  let code = 0;
  const program = new Command('fleetwave').exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  command.register(program, io, (c) => (code = c));
  for (const sub of program.commands) sub.exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) code = err.exitCode === 0 ? 0 : 2;
    else if (err instanceof FleetwaveError) {
      io.err(`fleetwave: ${err.message}`);
      code = exitCodeFor(err);
    } else throw err;
  }
  return { code, stdout: io.stdout.join(''), stderr: io.stderr.join('') };
}

import { Command, CommanderError } from 'commander';
import { fixMmapThreshold } from '../composition/allocator.js';
import { FleetwaveError, exitCodeFor } from '../util/errors.js';
import { VERSION } from '../version.js';
import { commands } from './commands/index.js';
import { processIO, type CliIO } from './io.js';

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  let exitCode = 0;
  const program = new Command('fleetwave')
    .description('Carry a dataset migration across a fleet of repositories, in canary waves.')
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  // The command asked for alone (its module only); all of them for help or an unknown name.
  const asked = commands.find((c) => c.name === argv[0]);
  const loaded = asked ? [await asked.load()] : await Promise.all(commands.map((c) => c.load()));
  if (asked?.streamsData) await fixMmapThreshold();
  for (const command of loaded) command.register(program, io, (code) => (exitCode = code));
  for (const sub of program.commands) sub.exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; a bad flag or missing argument is bad input.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof FleetwaveError) {
      io.err(`fleetwave: ${err.message}`);
      return exitCodeFor(err);
    }
    io.err(`fleetwave: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return 1;
  }
  return exitCode;
}

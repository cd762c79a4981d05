import type { Command } from 'commander';
import type { CliIO } from './io.js';

/**
 * One CLI command, in a file of its own under commands/. `register` adds it to the program; its
 * action returns the process exit code (0 ok, 1 failed, 2 bad input, 3 paused).
 */
export interface CliCommand {
  name: string;
  register(program: Command, io: CliIO, setExit: (code: number) => void): void;
}

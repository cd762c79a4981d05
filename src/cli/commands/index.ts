import type { CliCommand } from '../command.js';
import { validateCommand } from './validate.js';
import { compatCommand } from './compat.js';
import { convertCommand } from './convert.js';
import { verifyCommand } from './verify.js';
import { backfillCommand } from './backfill.js';

/** Every command of the CLI; add a command: one file in this folder, one line here. */
export const commands: CliCommand[] = [
  validateCommand,
  compatCommand,
  convertCommand,
  verifyCommand,
  backfillCommand,
];

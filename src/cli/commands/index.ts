import type { CliCommand } from '../command.js';
import { codemodCommand } from './codemod.js';
import { approveCommand } from './approve.js';
import { compatCommand } from './compat.js';
import { convertCommand } from './convert.js';
import { demoCommand } from './demo.js';
import { impactCommand } from './impact.js';
import { planCommand } from './plan.js';
import { reportCommand } from './report.js';
import { resumeCommand } from './resume.js';
import { rollbackCommand } from './rollback.js';
import { runCommand } from './run.js';
import { serveCommand } from './serve.js';
import { simulateCommand } from './simulate.js';
import { statusCommand } from './status.js';
import { validateCommand } from './validate.js';
import { verifyCommand } from './verify.js';
import { backfillCommand } from './backfill.js';
import { breakerCommand } from './breaker.js';

/** Every command of the CLI; add a command: one file in this folder, one line here. */
export const commands: CliCommand[] = [
  validateCommand,
  planCommand,
  runCommand,
  statusCommand,
  resumeCommand,
  demoCommand,
  simulateCommand,
  rollbackCommand,
  approveCommand,
  compatCommand,
  convertCommand,
  verifyCommand,
  backfillCommand,
  serveCommand,
  reportCommand,
  codemodCommand,
  impactCommand,
  breakerCommand,
];

/**
 * The GitHub Action's entry (action.yml → dist/index.js, bundled by scripts/bundle.mjs): read the
 * `mode` input, run that mode (src/action/modes/), fail the step when it says so or throws.
 */
import * as core from '@actions/core';
import { FleetwaveError } from '../util/errors.js';
import { coreIO } from './io.js';
import { MODES } from './modes/index.js';

async function main(): Promise<void> {
  const io = coreIO();
  const mode = io.input('mode');
  const run = Object.hasOwn(MODES, mode) ? MODES[mode] : undefined;
  if (!run) {
    core.setFailed(`input \`mode\`: "${mode}" is not one of ${Object.keys(MODES).join(', ')}`);
    return;
  }
  try {
    const outcome = await run(io);
    if (outcome.failed) core.setFailed(outcome.failed);
  } catch (err) {
    // Fleetwave's own errors say what was wrong and what to do; anything else is a bug: show the stack.
    if (!(err instanceof FleetwaveError) && err instanceof Error && err.stack) core.info(err.stack);
    core.setFailed(err instanceof Error ? err.message : String(err));
  }
}

await main();

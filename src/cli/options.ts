import { resolve } from 'node:path';

/** Where the embedded store lives unless `--state` says otherwise. */
export function defaultStatePath(): string {
  return resolve(process.env.FLEETWAVE_STATE ?? '.fleetwave/fleetwave.sqlite');
}

/** Exit codes of `run`, `demo` and `status` by migration state. */
export function exitCodeForState(state: string): number {
  switch (state) {
    case 'completed':
      return 0;
    case 'paused':
      return 3;
    case 'running':
      return 4;
    default:
      return 1;
  }
}

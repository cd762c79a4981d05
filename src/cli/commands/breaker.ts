import { existsSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { openStore } from '../../composition/open-store.js';
import { setBreakerState } from '../../metrics/registry.js';
import { breakerPolicyFromEnv, halfOpenAt, resetBreaker, windowCounts } from '../../rollout/breaker.js';
import type { Store } from '../../store/port.js';
import { InputError } from '../../util/errors.js';
import { writeEvent } from '../../store/journal-events.js';
import type { CliCommand } from '../command.js';
import { stateOption } from '../options.js';

interface BreakerOptions {
  state: string;
  fleet?: string;
  reset?: boolean;
  by: string;
  json?: boolean;
}

/** The breaker's key: a fleet folder as `run` resolves it, another key as given, else the newest migration's fleet. */
async function breakerKey(store: Store, fleet: string | undefined, statePath: string): Promise<string> {
  if (fleet) return existsSync(fleet) && statSync(fleet).isDirectory() ? resolve(fleet) : fleet;
  const newest = (await store.migrations())[0];
  if (!newest) throw new InputError(`the store ${statePath} has no migration yet, so no fleet: pass --fleet <dir>`);
  return newest.fleet;
}

/** `breaker`: show the fleet's circuit breaker; `--reset` closes it (journalled with who). */
export const breakerCommand: CliCommand = {
  name: 'breaker',
  register(program, io, setExit) {
    program
      .command('breaker')
      .description("show the fleet's circuit breaker (exit 0 closed, 3 open or half-open); --reset closes it")
      .addOption(stateOption())
      .option('--fleet <dir>', 'the fleet (default: the fleet of the newest migration in the store)')
      .option('--reset', 'close the breaker now and clear its window (journalled for each migration of the fleet)')
      .option('--by <name>', 'who resets (journalled)', userInfo().username)
      .option('--json', 'one JSON object: key, state, openedAt, reason, halfOpenAt, canary, window {failures, outcomes}, policy')
      .action(async (opts: BreakerOptions) => {
        const store = await openStore(opts.state, { mustExist: true });
        try {
          const key = await breakerKey(store, opts.fleet, opts.state);
          const policy = breakerPolicyFromEnv(process.env);
          const now = new Date();
          let record = await store.getBreaker(key);
          if (opts.reset) {
            const was = record.state;
            record = resetBreaker(record, now);
            await store.setBreaker(record);
            setBreakerState(key, record.state);
            const migrations = (await store.migrations()).filter((r) => r.fleet === key);
            for (const m of migrations.length ? migrations : [{ migration: key, manifestHash: '' }]) {
              await writeEvent(
                store,
                { at: now.toISOString(), migration: m.migration, manifestHash: m.manifestHash },
                { target: null, action: 'breaker-reset', outcome: 'ok', detail: { by: opts.by, fleet: key, was } },
              );
            }
          }
          const window = policy ? windowCounts(record, policy, now) : { failures: 0, outcomes: 0 };
          const halfOpen = policy ? (halfOpenAt(record, policy)?.toISOString() ?? null) : null;
          if (opts.json) {
            io.out(
              JSON.stringify(
                {
                  key,
                  state: record.state,
                  openedAt: record.openedAt,
                  reason: record.reason,
                  halfOpenAt: halfOpen,
                  canary: record.canary,
                  window,
                  policy,
                  updatedAt: record.updatedAt,
                },
                null,
                2,
              ),
            );
          } else {
            const lines = [`circuit breaker of ${key}: ${record.state}${opts.reset ? ` (reset by ${opts.by})` : ''}`];
            if (!policy) lines.push('  disabled (FLEETWAVE_BREAKER=off): nothing is held back');
            if (record.state !== 'closed') lines.push(`  opened at ${record.openedAt}: ${record.reason ?? 'too many failures'}`);
            if (halfOpen) lines.push(`  half-open at ${halfOpen}: one canary is then let through`);
            if (record.canary)
              lines.push(
                `  canary: ${record.canary.action} on ${record.canary.target} of ${record.canary.migration} (since ${record.canary.at})`,
              );
            if (policy) {
              lines.push(
                `  window (${policy.windowMs / 60_000} min): ${window.failures} failures in ${window.outcomes} outcomes; opens at ${policy.minFailures} failures and ${Math.round(policy.failureRatio * 100)}%`,
              );
            }
            if (record.state !== 'closed') lines.push('  `fleetwave breaker --reset` closes it now');
            io.out(lines.join('\n'));
          }
          setExit(record.state === 'closed' ? 0 : 3);
        } finally {
          await store.close();
        }
      });
  },
};

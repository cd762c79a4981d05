import { openStore } from '../../composition/open-store.js';
import { InputError } from '../../util/errors.js';
import { renderRunSummary } from '../../report/run-summary.js';
import { shownSummary } from '../../report/dashboard-model.js';
import type { MigrationSummary } from '../../rollout/model.js';
import type { CliCommand } from '../command.js';
import { exitCodeForState, stateOption } from '../options.js';

export const statusCommand: CliCommand = {
  name: 'status',
  register(program, io, setExit) {
    program
      .command('status [migration]')
      .description("show a migration's state as of its last run (the newest migration when none is named)")
      .addOption(stateOption())
      .option('--json', 'one JSON object: the migration summary, plus `migrations` (every migration in the store)')
      .action(async (migration: string | undefined, opts: { state: string; json?: boolean }) => {
        const store = await openStore(opts.state, { mustExist: true });
        try {
          const all = await store.migrations();
          const chosen = migration ? all.find((r) => r.migration === migration) : all[0];
          if (!chosen) {
            throw new InputError(
              migration
                ? `no migration named ${migration} in ${opts.state}; known: ${all.map((r) => r.migration).join(', ') || 'none'}`
                : `the store ${opts.state} has no migration yet`,
            );
          }
          // A run that handed its change sets to jobs has no summary of its own: the one before it shows.
          const summary =
            chosen.state === 'waiting-for-changes'
              ? shownSummary(await store.runs({ migration: chosen.migration }))
              : (chosen.summary as MigrationSummary | null);
          const state = summary?.state ?? chosen.state ?? 'running';
          const list = all.map((r) => ({ migration: r.migration, state: r.state, startedAt: r.startedAt, finishedAt: r.finishedAt }));
          // The fleet's circuit breaker (`fleetwave breaker` shows it in full).
          const b = await store.getBreaker(chosen.fleet);
          const breaker = { state: b.state, openedAt: b.openedAt, reason: b.reason, canary: b.canary };
          if (opts.json) {
            io.out(
              JSON.stringify(
                {
                  ...(summary ?? {
                    migration: chosen.migration,
                    state,
                    fleet: chosen.fleet,
                    manifest: chosen.manifestPath,
                    store: store.location,
                    targets: [],
                  }),
                  lastRun: { startedAt: chosen.startedAt, finishedAt: chosen.finishedAt },
                  migrations: list,
                  breaker,
                },
                null,
                2,
              ),
            );
          } else {
            io.out(summary ? renderRunSummary(summary) : `migration ${chosen.migration}: ${state} (no summary recorded)`);
            io.out(
              `\n  last run: ${chosen.startedAt} → ${chosen.finishedAt ?? 'did not finish'}${chosen.state === 'waiting-for-changes' ? ' (waiting for its change sets, computed by workers)' : ''}`,
            );
            io.out(
              `  circuit breaker: ${b.state}${b.state !== 'closed' ? ` since ${b.openedAt}: ${b.reason ?? ''} (fleetwave breaker)` : ''}`,
            );
            if (list.length > 1)
              io.out(
                `  other migrations: ${list
                  .filter((l) => l.migration !== chosen.migration)
                  .map((l) => `${l.migration} (${l.state})`)
                  .join(', ')}`,
              );
          }
          setExit(exitCodeForState(state));
        } finally {
          await store.close();
        }
      });
  },
};

import { userInfo } from 'node:os';
import { openStore } from '../../composition/open-store.js';
import type { MigrationSummary } from '../../rollout/model.js';
import { writeEvent } from '../../store/journal-events.js';
import type { CliCommand } from '../command.js';
import { lastRunOf } from '../last-run.js';
import { stateOption } from '../options.js';

/** `resume`: clear a human pause and accept the failures of the waves finished so far. */
export const resumeCommand: CliCommand = {
  name: 'resume',
  register(program, io, setExit) {
    program
      .command('resume <migration...>')
      .description(
        'let paused migrations go on: clears a manual pause and accepts the failed share of every wave finished so far; run the migration again afterwards',
      )
      .addOption(stateOption())
      .option('--by <name>', 'who resumes (journalled)', userInfo().username)
      .action(async (migrations: string[], opts: { state: string; by: string }) => {
        const store = await openStore(opts.state, { mustExist: true });
        try {
          for (const name of migrations) {
            const run = await lastRunOf(store, name);
            const summary = run.summary as MigrationSummary | null;
            const finished = (summary?.waves ?? []).filter((w) => w.state === 'finished').map((w) => w.index);
            const control = await store.getControl(name);
            const acceptedWaves = [...new Set([...control.acceptedWaves, ...finished])].sort((a, b) => a - b);
            await store.setControl({ ...control, pausedBy: null, pausedReason: null, acceptedWaves, updatedAt: new Date().toISOString() });
            await writeEvent(
              store,
              { at: new Date().toISOString(), migration: name, manifestHash: run.manifestHash },
              { target: null, action: 'resume', outcome: 'ok', detail: { by: opts.by, acceptedWaves } },
            );
            io.out(
              `resumed ${name}${finished.length ? ` (accepted the failures of wave${finished.length > 1 ? 's' : ''} ${finished.join(', ')})` : ''}; run it again to go on: fleetwave run ${run.manifestPath} --fleet ${run.fleet}`,
            );
          }
          setExit(0);
        } finally {
          await store.close();
        }
      });
    program
      .command('pause <migration>')
      .description('pause a migration: nothing new opens or merges until `fleetwave resume`')
      .addOption(stateOption())
      .option('--by <name>', 'who pauses (journalled)', userInfo().username)
      .option('--reason <text>', 'why')
      .action(async (name: string, opts: { state: string; by: string; reason?: string }) => {
        const store = await openStore(opts.state);
        try {
          const control = await store.getControl(name);
          await store.setControl({ ...control, pausedBy: opts.by, pausedReason: opts.reason ?? null, updatedAt: new Date().toISOString() });
          const run = (await store.runs({ migration: name, limit: 1 }))[0];
          await writeEvent(
            store,
            { at: new Date().toISOString(), migration: name, manifestHash: run?.manifestHash ?? '' },
            { target: null, action: 'pause', outcome: 'ok', detail: { by: opts.by, reason: opts.reason ?? null, manual: true } },
          );
          io.out(`paused ${name}`);
          setExit(0);
        } finally {
          await store.close();
        }
      });
  },
};

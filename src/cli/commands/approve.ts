import { userInfo } from 'node:os';
import { loadManifest } from '../../manifest/load.js';
import { openStore } from '../../composition/open-store.js';
import { InputError } from '../../util/errors.js';
import { writeEvent } from '../../store/journal-events.js';
import type { CliCommand } from '../command.js';
import { lastRunOf } from '../last-run.js';
import { stateOption } from '../options.js';

/**
 * `approve`: phase two of a two-phase migration. The approval is bound to the hash of the manifest as
 * it is now; a changed manifest needs a new approval, and approvals expire (`rollout.approvals.expiresAfter`).
 */
export const approveCommand: CliCommand = {
  name: 'approve',
  register(program, io, setExit) {
    program
      .command('approve <migration>')
      .description("approve a two-phase migration's green wave for merging (bound to the manifest's current hash)")
      .addOption(stateOption())
      .option('--by <name>', 'who approves: must be one of rollout.approvals.from', userInfo().username)
      .action(async (name: string, opts: { state: string; by: string }) => {
        const store = await openStore(opts.state, { mustExist: true });
        try {
          const run = await lastRunOf(store, name);
          const loaded = await loadManifest(run.manifestPath);
          const approvers = loaded.manifest.rollout.approvals?.from ?? [loaded.manifest.metadata.owner];
          if (!approvers.includes(opts.by)) {
            throw new InputError(
              `${opts.by} cannot approve ${name}: approvers are ${approvers.join(', ')} (rollout.approvals.from in ${loaded.path})`,
            );
          }
          await writeEvent(
            store,
            { at: new Date().toISOString(), migration: name, manifestHash: loaded.hash },
            { target: null, action: 'approve', outcome: 'ok', detail: { by: opts.by, manifestHash: loaded.hash } },
          );
          io.out(`approved ${name} as ${opts.by} for manifest ${loaded.hash.slice(0, 12)}; run the migration again to merge`);
          setExit(0);
        } finally {
          await store.close();
        }
      });
  },
};

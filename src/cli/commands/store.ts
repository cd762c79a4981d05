import { writeFileSync } from 'node:fs';
import { openStore } from '../../composition/open-store.js';
import { readHistory, type StoreHistory } from '../../store/history.js';
import { InputError, StateError } from '../../util/errors.js';
import type { CliCommand } from '../command.js';
import { STATE_HELP, stateOption } from '../options.js';

/** The format of `store export`'s file. */
export const EXPORT_FORMAT = 'fleetwave-store-export';

/**
 * `store export`: the store's history as one JSON file (journal with its ids, runs, controls, breakers,
 * pending reconciles, claims). `store migrate`: the same history copied into another, empty store —
 * a SQLite file into PostgreSQL, say — in one transaction, then counted on both sides. docs/store.md,
 * "Moving a store".
 */
export const storeCommand: CliCommand = {
  name: 'store',
  register(program, io, setExit) {
    const store = program.command('store').description('export a store, or move its history into another (SQLite → PostgreSQL)');
    store
      .command('export')
      .description("write the store's history (journal, runs, controls, breakers, queue, claims) as JSON")
      .addOption(stateOption())
      .option('--out <file>', 'where to write it (default: standard output)')
      .action(async (opts: { state: string; out?: string }) => {
        const from = await openStore(opts.state, { mustExist: true });
        try {
          const history = await readHistory(from);
          const text = `${JSON.stringify({ format: EXPORT_FORMAT, version: 1, from: from.location, exportedAt: new Date().toISOString(), ...history })}\n`;
          if (opts.out) {
            writeFileSync(opts.out, text);
            io.err(`exported ${counts(history)} from ${from.location} to ${opts.out}`);
          } else io.out(text.trimEnd());
          setExit(0);
        } finally {
          await from.close();
        }
      });
    store
      .command('migrate')
      .description('copy every record of one store into another, empty one, ids kept (e.g. --to postgres://…)')
      .requiredOption('--to <store>', 'the new store: a file (SQLite) or a postgres:// URL; must hold no journal and no runs')
      .addOption(stateOption(`the store to copy (${STATE_HELP})`, '--from <file>'))
      .action(async (opts: { from: string; to: string }) => {
        const from = await openStore(opts.from, { mustExist: true, setting: '--from' });
        try {
          const to = await openStore(opts.to, { setting: '--to' });
          try {
            if (!to.importHistory) throw new InputError(`--to ${to.location}: history moves into SQLite or PostgreSQL only`);
            const history = await readHistory(from);
            await to.importHistory(history);
            // Counted on both sides: what the new store answers is what the old one held.
            const copied = await readHistory(to);
            const same = (a: StoreHistory, b: StoreHistory) =>
              a.events.length === b.events.length &&
              a.runs.length === b.runs.length &&
              a.events.at(-1)?.id === b.events.at(-1)?.id &&
              a.claims.length === b.claims.length &&
              a.pending.length === b.pending.length;
            if (!same(history, copied))
              throw new StateError(
                `${to.location} does not answer what ${from.location} held: ${counts(copied)} against ${counts(history)}`,
              );
            io.out(
              `copied ${counts(history)} from ${from.location} to ${to.location}; point --state (or FLEETWAVE_STATE) at the new store`,
            );
            setExit(0);
          } finally {
            await to.close();
          }
        } finally {
          await from.close();
        }
      });
  },
};

function counts(h: StoreHistory): string {
  return `${h.events.length} events, ${h.runs.length} runs, ${h.controls.length} controls, ${h.breakers.length} breakers, ${h.pending.length} pending reconciles, ${h.claims.length} claims`;
}

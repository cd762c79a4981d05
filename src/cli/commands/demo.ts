import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildDemoFleet, demoWorkCopy } from '../../demo/build-demo-fleet.js';
import { loadManifest } from '../../manifest/load.js';
import { renderDemoVerificationLines, renderDemoVerificationMarkdown } from '../../demo/verification-report.js';
import { renderRunSummary } from '../../report/run-summary.js';
import { openSqliteStore } from '../../store/sqlite/sqlite-store.js';
import { InputError } from '../../util/errors.js';
import { writeEvent } from '../../store/journal-events.js';
import type { CliCommand } from '../command.js';
import { exitCodeForState } from '../options.js';
import { runLocal } from './run.js';

export const demoCommand: CliCommand = {
  name: 'demo',
  register(program, io, setExit) {
    program
      .command('demo')
      .description('build a demo fleet (a dataset repository and 20+ TypeScript consumers with real tests) and run a whole migration on it')
      .option('--dir <dir>', 'where to build it (must be empty or absent; default: a new temporary folder)')
      .option('--json', 'one JSON object: migration, state, fleet, manifest, store, targets, verification (of v2 against v1) …')
      .option(
        '--agent',
        'the second mode: the manifest adds an agent rule (a scripted agent) for the two consumers the rules leave blocked (docs/demo.md)',
      )
      .action(async (opts: { dir?: string; json?: boolean; agent?: boolean }) => {
        const dir = opts.dir ? resolve(opts.dir) : mkdtempSync(join(tmpdir(), 'fleetwave-demo-'));
        if (existsSync(dir) && readdirSync(dir).length > 0) throw new InputError(`--dir ${dir} is not empty: give an empty or new folder`);
        mkdirSync(dir, { recursive: true });
        const progress = (text: string) => io.isTTY && io.err(text);
        progress(`building the demo fleet in ${dir} …`);
        // The fleet, v1 of the lake, and v2 converted from it by Fleetwave's convert and checked by its verify.
        // With --agent its manifest repository holds an agent rule for the two blocked consumers (src/demo/demo-agent.ts).
        const demo = await buildDemoFleet({ dir, agent: opts.agent });
        const verification = demo.verification;
        // Shown before any consumer gets a pull request: the data must be right before code moves to it.
        progress(renderDemoVerificationMarkdown(verification));
        if (!verification.pass) {
          const failed = {
            state: 'failed',
            reason: 'v2 did not pass verification; no pull request was opened',
            verification,
            demo: { dir, lake: demo.lakeDir },
          };
          io.out(
            opts.json
              ? JSON.stringify(failed, null, 2)
              : [...renderDemoVerificationLines(verification), `  demo folder: ${dir}`].join('\n'),
          );
          setExit(1);
          return;
        }
        // The dataset owner's working copy of the repository that holds the manifest.
        const work = demoWorkCopy(dir);
        execFileSync('git', ['clone', '--quiet', join(demo.fleetDir, `${demo.manifestRepo}.git`), work], { stdio: 'ignore' });
        const loaded = await loadManifest(join(work, demo.manifestPath));
        progress(`fleet: ${demo.consumers.length} consumers; running ${loaded.manifest.metadata.name} …`);
        // The conversion and its verification are part of the migration's history (dashboard, /metrics).
        const store = openSqliteStore(join(dir, 'fleetwave.sqlite'));
        const at = new Date().toISOString();
        const context = { at, migration: loaded.manifest.metadata.name, manifestHash: loaded.hash };
        await writeEvent(store, context, {
          target: null,
          action: 'convert',
          outcome: 'ok',
          detail: { rows: verification.targetRows, files: demo.v2Files.length },
        });
        await writeEvent(store, context, {
          target: null,
          action: 'verify',
          outcome: 'ok',
          detail: { pass: verification.pass, sourceRows: verification.sourceRows, targetRows: verification.targetRows },
        });
        await store.close();
        const summary = await runLocal(
          loaded,
          { fleet: demo.fleetDir, state: join(dir, 'fleetwave.sqlite'), lake: demo.lakeDir, manifestRepo: demo.manifestRepo },
          io,
        );
        const result = {
          ...summary,
          verification,
          demo: {
            dir,
            lake: demo.lakeDir,
            v2Files: demo.v2Files,
            expectedRewritten: demo.expectedRewritten,
            expectedBlocked: demo.expectedBlocked,
          },
        };
        const text = [
          ...renderDemoVerificationLines(verification),
          '',
          renderRunSummary(summary),
          `  demo folder: ${dir}`,
          `  look at it: fleetwave status --state ${join(dir, 'fleetwave.sqlite')}`,
        ];
        io.out(opts.json ? JSON.stringify(result, null, 2) : text.join('\n'));
        setExit(exitCodeForState(summary.state));
      });
  },
};

import { resolve } from 'node:path';
import { openStore } from '../../composition/open-store.js';
import { renderBurndownMermaid } from '../../report/burndown-mermaid.js';
import { renderMigrationHtml } from '../../report/dashboard-html.js';
import { migrationPage, type MigrationPage } from '../../report/dashboard-model.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import type { CliCommand } from '../command.js';
import { lastRunOf } from '../last-run.js';
import { stateOption } from '../options.js';

interface ReportOptions {
  state: string;
  html?: string;
  json?: boolean;
}

/** The report of one migration from the store: its page model, as the dashboard shows it. */
export async function loadReport(statePath: string, migration: string, now: Date): Promise<MigrationPage> {
  const store = await openStore(statePath, { mustExist: true });
  try {
    await lastRunOf(store, migration);
    const runs = await store.runs({ migration });
    return migrationPage({ runs, events: await store.events({ migration }), now });
  } finally {
    await store.close();
  }
}

export const reportCommand: CliCommand = {
  name: 'report',
  register(program, io, setExit) {
    program
      .command('report <migration>')
      .description(
        "a migration's report: without options, Markdown with a Mermaid burndown (for an issue or PR); --html writes a self-contained page",
      )
      .addOption(stateOption())
      .option('--html <file>', 'write a static, self-contained HTML report to this file (written whole or not at all)')
      .option('--json', 'print the report as JSON (the dashboard page model: summary, waves, targets, failures, blocked, burndown)')
      .action(async (migration: string, opts: ReportOptions) => {
        const now = new Date();
        const page = await loadReport(opts.state, migration, now);
        if (opts.html) {
          const out = resolve(opts.html);
          await writeFileAtomic(out, renderMigrationHtml(page, { standalone: true, generatedAt: now.toISOString() }));
          if (!opts.json) io.out(`wrote ${out}`);
        }
        if (opts.json) io.out(JSON.stringify(opts.html ? { ...page, html: resolve(opts.html) } : page, null, 2));
        else if (!opts.html) {
          const b = page.burndown;
          io.out(
            [
              `## ${page.migration}: ${page.state}${page.reason ? ` (${page.reason})` : ''}`,
              '',
              `${b.remaining} of ${b.total} consumers still on the old dataset${b.references ? `; ${b.references.remaining} references left in ${b.references.rescanned} rescanned consumers` : ''}.`,
              '',
              renderBurndownMermaid(b, { title: page.migration }),
            ].join('\n'),
          );
        }
        setExit(0);
      });
  },
};

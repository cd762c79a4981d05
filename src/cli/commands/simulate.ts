import { InvalidArgumentError } from 'commander';
import { simulate } from '../../simulate/simulate.js';
import type { CliCommand } from '../command.js';

function rate(name: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError(`${name} is a probability from 0 to 1, got ${v}`);
    return n;
  };
}
function count(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000) throw new InvalidArgumentError(`a whole number from 1 to 1,000,000, got ${v}`);
  return n;
}

export const simulateCommand: CliCommand = {
  name: 'simulate',
  register(program, io, setExit) {
    program
      .command('simulate')
      .description(
        'run the real rollout engine against an in-memory forge with scripted failures and a simulated clock (GitHub content limits: 80/min, 500/h)',
      )
      .option('--targets <n>', 'consumer repositories', count, 1000)
      .option('--fail-rate <p>', 'share of consumers whose checks fail under the change', rate('--fail-rate'), 0.1)
      .option('--flaky-rate <p>', 'share of consumers whose first check run fails', rate('--flaky-rate'), 0.05)
      .option(
        '--api-fault-rate <p>',
        'probability that a request fails (half of them after the change was made)',
        rate('--api-fault-rate'),
        0.05,
      )
      .option('--crash-rate <p>', 'probability of a crash around each change made to the forge', rate('--crash-rate'), 0.02)
      .option('--seed <n>', 'seed of the pseudo-random choices', (v) => Number(v), 1)
      .option('--json', 'print the figures as JSON')
      .action(
        async (opts: {
          targets: number;
          failRate: number;
          flakyRate: number;
          apiFaultRate: number;
          crashRate: number;
          seed: number;
          json?: boolean;
        }) => {
          const r = await simulate({
            targets: opts.targets,
            failRate: opts.failRate,
            flakyRate: opts.flakyRate,
            apiFaultRate: opts.apiFaultRate,
            crashRate: opts.crashRate,
            seed: opts.seed,
          });
          if (opts.json) io.out(JSON.stringify({ ...r, pullRequests: undefined }, null, 2));
          else {
            io.out(`simulated ${r.targets} targets (seed ${opts.seed}): ${r.state}${r.reason ? ` — ${r.reason}` : ''}`);
            io.out(`  merged ${r.merged}, failed ${r.failed}, reverted ${r.reverted}, skipped ${r.skipped}, still planned ${r.planned}`);
            io.out(`  duplicate PRs ${r.duplicatePRs}, lost targets ${r.lostTargets}, crashes survived ${r.crashes}`);
            io.out(
              `  ${r.requests} requests (${r.requestsPerTarget} per target), ${r.simulatedHours} simulated hours (${r.rateLimitWaitHours} h waiting for rate limits)`,
            );
          }
          setExit(r.duplicatePRs > 0 || r.lostTargets > 0 ? 1 : 0);
        },
      );
  },
};

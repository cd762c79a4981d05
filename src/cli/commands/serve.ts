import { createDashboardServer } from '../../dashboard/server.js';
import { openStore } from '../../composition/open-store.js';
import { openQueue, sharedQueue } from '../../composition/open-queue.js';
import { InputError } from '../../util/errors.js';
import { createLogger } from '../../util/log.js';
import type { CliCommand } from '../command.js';
import type { CliIO } from '../io.js';
import { stateOption } from '../options.js';

export interface ServeOptions {
  state: string;
  port: string;
  host: string;
  basePath?: string;
}

export function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535)
    throw new InputError(`--port ${text}: expected a port number from 0 to 65535 (0: any free port)`);
  return port;
}

/** Serve the dashboard until `signal` aborts; resolves once the server is closed. */
export async function serveDashboard(opts: ServeOptions, io: CliIO, signal: AbortSignal): Promise<void> {
  const port = parsePort(opts.port);
  const store = await openStore(opts.state, { mustExist: true });
  // On PostgreSQL, the job queue and its workers too (/queue, and in /metrics).
  const queue = sharedQueue(opts.state) ? await openQueue(opts.state) : undefined;
  const dashboard = createDashboardServer({
    store,
    basePath: opts.basePath,
    logger: createLogger({ name: 'fleetwave-dashboard' }),
    ...(queue ? { queue } : {}),
  });
  try {
    let url: string;
    try {
      ({ url } = await dashboard.listen(port, opts.host));
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'EADDRINUSE')
        throw new InputError(`port ${port} on ${opts.host} is in use: pass another --port (0 picks a free one)`, { cause: err });
      if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
        throw new InputError(`cannot listen on host ${opts.host}: pass an address of this machine with --host (default 127.0.0.1)`, {
          cause: err,
        });
      throw err;
    }
    io.out(`dashboard: ${url}  (store ${store.location}; JSON with Accept: application/json; metrics at ${url}metrics)`);
    io.err('press Ctrl-C to stop');
    await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
  } finally {
    await dashboard.close();
    await queue?.close();
    await store.close();
  }
}

export const serveCommand: CliCommand = {
  name: 'serve',
  register(program, io, setExit) {
    program
      .command('serve')
      .description('serve the web dashboard (migrations, waves, targets, burndown; JSON twins; /metrics) for a store, until Ctrl-C')
      .addOption(stateOption())
      .option('--port <port>', 'port to listen on (0: any free port)', '8080')
      .option('--host <host>', 'address to listen on; 127.0.0.1 keeps it on this machine', '127.0.0.1')
      .option('--base-path <path>', 'serve under this path, e.g. /fleetwave behind a proxy')
      .action(async (opts: ServeOptions) => {
        const stop = new AbortController();
        const onSignal = () => stop.abort();
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        try {
          await serveDashboard(opts, io, stop.signal);
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
        setExit(0);
      });
  },
};

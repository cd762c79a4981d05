import { destination, pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured logs (pino, as Probot does). Tokens and keys are redacted wherever they appear in a log
 * object. The CLI logs to stderr so that `--json` output on stdout stays machine-readable.
 */
export function createLogger(options: { level?: string; name?: string } = {}): Logger {
  return pino(
    {
      name: options.name ?? 'fleetwave',
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      redact: {
        paths: ['token', '*.token', 'auth', '*.auth', 'privateKey', '*.privateKey', 'headers.authorization', '*.headers.authorization'],
        censor: '[redacted]',
      },
    },
    destination(2),
  );
}

/** A logger that drops everything; for tests and for pure code paths that take an optional logger. */
export const silentLogger: Logger = pino({ level: 'silent' });

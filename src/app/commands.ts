/** `/fleetwave <command>` comments in a tracking issue, parsed. Pure. */

export type FleetwaveCommand =
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'retry'; repo: string }
  | { kind: 'approve' }
  | { kind: 'rollback' }
  /** A trial run of every target, or of a sample of `sample` (lowest risk first). */
  | { kind: 'trial'; sample?: number };

export type ParsedCommand = { ok: true; command: FleetwaveCommand } | { ok: false; error: string } | null;

export const COMMAND_HELP =
  '`/fleetwave pause`, `/fleetwave resume`, `/fleetwave retry <owner/repo>`, `/fleetwave approve`, `/fleetwave rollback`, `/fleetwave trial [sample size]`';

/** The first line starting with `/fleetwave` (null: the comment is not a command). */
export function parseCommand(body: string | null | undefined): ParsedCommand {
  const line = (body ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => /^\/fleetwave(\s|$)/.test(l));
  if (!line) return null;
  const [, verb = '', ...rest] = line.split(/\s+/);
  switch (verb) {
    case 'pause':
    case 'resume':
    case 'approve':
    case 'rollback':
      return rest.length ? { ok: false, error: `\`/fleetwave ${verb}\` takes no argument` } : { ok: true, command: { kind: verb } };
    case 'retry': {
      const repo = rest[0];
      if (!repo || rest.length > 1 || !/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repo)) {
        return { ok: false, error: '`/fleetwave retry` needs one repository as owner/name, e.g. `/fleetwave retry acme/recs`' };
      }
      return { ok: true, command: { kind: 'retry', repo } };
    }
    case 'trial': {
      if (rest.length === 0) return { ok: true, command: { kind: 'trial' } };
      const n = Number(rest[0]);
      if (rest.length > 1 || !/^\d+$/.test(rest[0]!) || n < 1)
        return { ok: false, error: '`/fleetwave trial` takes at most a sample size, a whole number, e.g. `/fleetwave trial 5`' };
      return { ok: true, command: { kind: 'trial', sample: n } };
    }
    default:
      return { ok: false, error: `unknown command \`${verb || '(none)'}\`; the commands are ${COMMAND_HELP}` };
  }
}

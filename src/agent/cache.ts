/**
 * The agent's cache, in the state folder: by (consumer head, prompt hash, command, and the rules' edits
 * the agent starts from). `outcome.json` is the finished step: a re-run of the migration returns it and
 * never calls the agent again (so an open agent PR is not changed). `turn-N.json` is what the agent
 * left on turn N, saved as soon as it exits: a run that crashed after it resumes from there without
 * calling the agent again for that turn. Files are written whole (src/util/atomic-write.ts).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentOutcome, AgentRequest } from '../codemod/agent/port.js';
import { writeFileAtomicSync } from '../util/atomic-write.js';

/** What the agent left after one turn, before anything was thrown away. */
export interface SavedTurn {
  files: Record<string, string | null>;
  exitCode: number | null;
  timedOut: boolean;
  ms: number;
  output: string;
}

export function cacheKey(request: AgentRequest): string | undefined {
  if (!request.headSha) return undefined;
  const { params } = request;
  const h = createHash('sha256');
  h.update(
    JSON.stringify([
      'fleetwave-agent-1',
      request.repo,
      request.headSha,
      request.prompt.hash,
      params.command,
      params.judge ?? null,
      params.paths,
      params.maxTurns,
      params.maxChangedLines,
      request.baseEdits.map((e) => [e.path, e.after]),
    ]),
  );
  return h.digest('hex');
}

export class AgentCache {
  constructor(private readonly dir: string) {}

  private folder(key: string): string {
    return join(this.dir, key.slice(0, 2), key);
  }

  private read<T>(key: string, name: string): T | undefined {
    try {
      return JSON.parse(readFileSync(join(this.folder(key), name), 'utf8')) as T;
    } catch {
      return undefined;
    }
  }

  private write(key: string, name: string, value: unknown): void {
    mkdirSync(this.folder(key), { recursive: true });
    writeFileAtomicSync(join(this.folder(key), name), JSON.stringify(value));
  }

  outcome(key: string): AgentOutcome | undefined {
    return this.read<AgentOutcome>(key, 'outcome.json');
  }

  saveOutcome(key: string, outcome: AgentOutcome): void {
    this.write(key, 'outcome.json', outcome);
  }

  turn(key: string, turn: number): SavedTurn | undefined {
    return this.read<SavedTurn>(key, `turn-${turn}.json`);
  }

  saveTurn(key: string, turn: number, saved: SavedTurn): void {
    this.write(key, `turn-${turn}.json`, saved);
  }
}

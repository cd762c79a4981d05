/**
 * Checks the schema cannot express, over a manifest that passed the schema: the relations between
 * fields (waves that shrink, a canary that is excluded, a transform that uses a field an earlier step
 * dropped). Each problem carries the path of the value at fault.
 */
import picomatch from 'picomatch';
import type { PathProblem } from './issues.js';
import type { Manifest } from './types.js';
import { formatPath } from './yaml-positions.js';

function problem(path: PropertyKey[], message: string): PathProblem {
  return { path, at: 'value', message: `${formatPath(path)}: ${message}` };
}

/** Wave sizes are cumulative: a count after a larger count, or a share after a larger share, shrinks. */
function checkWaves(m: Pick<Manifest, 'rollout'>): PathProblem[] {
  const problems: PathProblem[] = [];
  let lastCount: { value: number; index: number } | undefined;
  let lastShare: { value: number; index: number; text: string } | undefined;
  m.rollout.waves.forEach((size, index) => {
    if (typeof size === 'number') {
      if (lastCount && size < lastCount.value) {
        problems.push(
          problem(
            ['rollout', 'waves', index],
            `wave sizes are cumulative (how many targets are done after each wave), so they must not decrease: ${size} comes after ${lastCount.value} (rollout.waves[${lastCount.index}])`,
          ),
        );
      }
      lastCount = { value: size, index };
    } else {
      const share = Number(size.slice(0, -1));
      if (lastShare && share < lastShare.value) {
        problems.push(
          problem(
            ['rollout', 'waves', index],
            `wave sizes are cumulative (the share of the fleet done after each wave), so they must not decrease: ${size} comes after ${lastShare.text} (rollout.waves[${lastShare.index}])`,
          ),
        );
      }
      lastShare = { value: share, index, text: size };
    }
  });
  return problems;
}

/** Named canaries must be consumers the rollout may touch, each named once. */
function checkCanaries(m: Pick<Manifest, 'rollout' | 'consumers'>): PathProblem[] {
  const canary = m.rollout.canary;
  if (!Array.isArray(canary)) return [];
  const problems: PathProblem[] = [];
  const seen = new Map<string, number>();
  canary.forEach((target, index) => {
    const path = ['rollout', 'canary', index];
    const first = seen.get(target);
    if (first !== undefined) problems.push(problem(path, `canary ${target} is listed twice (first at rollout.canary[${first}])`));
    else seen.set(target, index);
    // A workspace target (`owner/name/<folder>`) is matched by its repository.
    const repo = target.split('/').slice(0, 2).join('/');
    if (repo !== target && m.consumers.workspaces === undefined)
      problems.push(
        problem(path, `canary ${target} names a workspace folder, but consumers.workspaces is not set: name the repository (${repo})`),
      );
    const excludedBy = m.consumers.exclude.find((pattern) => picomatch.isMatch(repo, pattern));
    if (excludedBy !== undefined) {
      problems.push(
        problem(
          path,
          `canary ${repo} is excluded by consumers.exclude '${excludedBy}'; an excluded repository never gets a PR, so it cannot go first`,
        ),
      );
    } else if (m.consumers.include.length && !m.consumers.include.some((pattern) => picomatch.isMatch(repo, pattern))) {
      problems.push(
        problem(path, `canary ${repo} is not matched by consumers.include (${m.consumers.include.join(', ')}); it would never get a PR`),
      );
    }
  });
  return problems;
}

/** A repository named twice among the explicit discovery lists. */
function checkDiscoveryRepos(m: Pick<Manifest, 'consumers'>): PathProblem[] {
  const problems: PathProblem[] = [];
  const seen = new Map<string, string>();
  m.consumers.discover.forEach((source, i) => {
    if (!('repos' in source)) return;
    source.repos.forEach((repo, j) => {
      const where = `consumers.discover[${i}].repos[${j}]`;
      const first = seen.get(repo);
      if (first !== undefined)
        problems.push(problem(['consumers', 'discover', i, 'repos', j], `${repo} is listed twice (first at ${first})`));
      else seen.set(repo, where);
    });
  });
  return problems;
}

interface FieldFate {
  kind: 'dropped' | 'renamed';
  to?: string;
  step: number;
}

/**
 * The transform runs in order: a step that names a field an earlier step dropped or renamed away
 * would fail on every record. The verify key and checksum columns must survive the transform too.
 */
function checkTransform(m: Pick<Manifest, 'dataset'>): PathProblem[] {
  const problems: PathProblem[] = [];
  const fates = new Map<string, FieldFate>();
  const fateOf = (field: string): { field: string; fate: FieldFate } | undefined => {
    for (const [name, fate] of fates) if (field === name || field.startsWith(`${name}.`)) return { field: name, fate };
    return undefined;
  };
  const use = (field: string, path: PropertyKey[]) => {
    const gone = fateOf(field);
    if (!gone) return;
    const by = `dataset.transform[${gone.fate.step}]`;
    problems.push(
      problem(
        path,
        gone.fate.kind === 'dropped'
          ? `field '${field}' was dropped by ${by}; a later step cannot use it`
          : `field '${gone.field}' was renamed to '${gone.fate.to}' by ${by}; later steps use the new name`,
      ),
    );
  };
  m.dataset.transform.forEach((step, index) => {
    const base: PropertyKey[] = ['dataset', 'transform', index];
    const s = step as Record<string, unknown>;
    if ('rename' in s) {
      const { from, to } = s.rename as { from: string; to: string };
      use(from, [...base, 'rename', 'from']);
      if (from === to) problems.push(problem([...base, 'rename', 'to'], `renames '${from}' to itself`));
      else {
        fates.set(from, { kind: 'renamed', to, step: index });
        fates.delete(to);
      }
    } else if ('cast' in s) use((s.cast as { field: string }).field, [...base, 'cast', 'field']);
    else if ('default' in s) use((s.default as { field: string }).field, [...base, 'default', 'field']);
    else if ('drop' in s) {
      const drop = s.drop as string | string[];
      const fields = Array.isArray(drop) ? drop.map((f, j) => ({ f, path: [...base, 'drop', j] })) : [{ f: drop, path: [...base, 'drop'] }];
      for (const { f, path } of fields) {
        use(f, path);
        fates.set(f, { kind: 'dropped', step: index });
      }
    }
  });
  const verify = m.dataset.verify;
  const dropped = (field: string) => {
    const gone = fateOf(field);
    return gone?.fate.kind === 'dropped' ? gone.fate.step : undefined;
  };
  if (verify.key !== undefined) {
    const step = dropped(verify.key);
    if (step !== undefined)
      problems.push(
        problem(
          ['dataset', 'verify', 'key'],
          `the key '${verify.key}' is dropped by dataset.transform[${step}], so old and new rows could not be matched on it`,
        ),
      );
  }
  if (Array.isArray(verify.checksums)) {
    verify.checksums.forEach((column, index) => {
      const step = dropped(column);
      if (step !== undefined)
        problems.push(
          problem(
            ['dataset', 'verify', 'checksums', index],
            `column '${column}' is dropped by dataset.transform[${step}]; it has no checksum in the new data`,
          ),
        );
    });
  }
  return problems;
}

function checkDataset(m: Pick<Manifest, 'dataset'>): PathProblem[] {
  const problems: PathProblem[] = [];
  const trim = (uri: string) => uri.replace(/\/+$/, '');
  if (trim(m.dataset.source.uri) === trim(m.dataset.target.uri)) {
    problems.push(
      problem(
        ['dataset', 'target', 'uri'],
        `the target is the source (${m.dataset.source.uri}); write the migrated data to a new location`,
      ),
    );
  }
  const backfill = m.dataset.backfill;
  if (backfill && backfill.from > backfill.to) {
    problems.push(problem(['dataset', 'backfill', 'to'], `the backfill ends (${backfill.to}) before it starts (${backfill.from})`));
  }
  return problems;
}

/** Rules that generate from the dataset's schema need `dataset.schema` to name it. */
function checkSchemaRules(m: Pick<Manifest, 'dataset' | 'changes'>): PathProblem[] {
  if (m.dataset.schema !== undefined) return [];
  return m.changes.flatMap((change, index) =>
    'schemaTypes' in change
      ? [
          problem(
            ['changes', index, 'schemaTypes'],
            "schemaTypes generates from the dataset's Avro schema, but dataset.schema names none; add dataset.schema: <path of the .avsc in this repository>",
          ),
        ]
      : [],
  );
}

/**
 * `dataset.target.table` moves the source table, so the source must be named; a `sql` rule rewrites
 * references to `dataset.source.table`, so it needs one.
 */
function checkTables(m: Pick<Manifest, 'dataset' | 'changes'>): PathProblem[] {
  const problems: PathProblem[] = [];
  if (m.dataset.target.table !== undefined && m.dataset.source.table === undefined)
    problems.push(
      problem(
        ['dataset', 'target', 'table'],
        'the target table moves the source table, but dataset.source.table names none; add dataset.source.table: <the table SQL reads now>',
      ),
    );
  if (m.dataset.source.table === undefined)
    m.changes.forEach((change, index) => {
      if ('sql' in change)
        problems.push(
          problem(
            ['changes', index, 'sql'],
            "the sql rule rewrites references to the dataset's table, but dataset.source.table names none; add dataset.source.table (e.g. analytics.events.play_events_v1)",
          ),
        );
    });
  return problems;
}

/** One `agent` entry at most: the agent step runs once, after every rule (a second would be ignored). */
function checkAgents(m: Pick<Manifest, 'changes'>): PathProblem[] {
  const at = m.changes.flatMap((change, index) => ('agent' in change ? [index] : []));
  return at
    .slice(1)
    .map((index) =>
      problem(
        ['changes', index, 'agent'],
        `a manifest has at most one agent rule (the first is changes[${at[0]}]); put what this one asks in that one`,
      ),
    );
}

type Section = keyof Manifest;

/** Each check with the top-level sections it reads. */
const checks: { needs: readonly Section[]; run(m: Manifest): PathProblem[] }[] = [
  { needs: ['dataset'], run: checkDataset },
  { needs: ['dataset'], run: checkTransform },
  { needs: ['consumers'], run: checkDiscoveryRepos },
  { needs: ['rollout', 'consumers'], run: checkCanaries },
  { needs: ['dataset', 'changes'], run: checkSchemaRules },
  { needs: ['dataset', 'changes'], run: checkTables },
  { needs: ['changes'], run: checkAgents },
  { needs: ['rollout'], run: checkWaves },
];

/**
 * Every relation check whose sections are present in `m`. A manifest that failed the schema passes
 * its valid sections here, so that its relation problems are reported with the schema problems.
 */
export function checkManifest(m: Partial<Manifest>): PathProblem[] {
  return checks.filter((c) => c.needs.every((section) => m[section] !== undefined)).flatMap((c) => c.run(m as Manifest));
}

import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { ruleNames } from '../../src/manifest/change-rules.js';
import { loadManifest, parseManifest } from '../../src/manifest/load.js';
import { InputError, ValidationError, type Problem } from '../../src/util/errors.js';

const example = 'manifests/play-events-v2.yaml';
const dir = mkdtempSync(join(tmpdir(), 'fleetwave-manifest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The problems of a text that must not validate. */
function problemsOf(text: string, file = 'm.yaml'): Problem[] {
  try {
    parseManifest(text, file);
  } catch (err) {
    if (err instanceof ValidationError) return err.problems;
    throw err;
  }
  throw new Error('expected a ValidationError');
}

const valid = readFileSync(example, 'utf8');

describe('parseManifest', () => {
  it('reads the example manifest, fills defaults and hashes the bytes', async () => {
    const loaded = await loadManifest(example);
    expect(loaded.manifest.metadata.name).toBe('play-events-v2');
    expect(loaded.manifest.metadata.sunset).toBe('2027-03-01');
    expect(loaded.manifest.rollout.waves).toEqual([1, '10%', '50%', '100%']);
    expect(loaded.manifest.dataset.verify.key).toBe('event_id');
    expect(loaded.hash).toBe(createHash('sha256').update(readFileSync(example)).digest('hex'));
    expect(loaded.text).toBe(valid);
    expect(loaded.path).toBe(example);

    const minimal = parseManifest(
      [
        'apiVersion: fleetwave/v1',
        'kind: DatasetMigration',
        'metadata: { name: m, owner: me }',
        'dataset:',
        '  source: { uri: a/, format: avro }',
        '  target: { uri: b/, format: parquet }',
        'consumers:',
        '  discover: [{ repos: [acme/x] }]',
      ].join('\n'),
      'min.yaml',
    ).manifest;
    expect(minimal.rollout).toEqual({
      canary: 1,
      waves: ['100%'],
      soak: '0s',
      timezone: 'UTC',
      holidays: [],
      rebaseWhen: 'conflicted',
      sunsetWarnings: ['30d', '7d', '1d'],
      maxOpenPRs: 25,
      failureThreshold: '20%',
      automerge: true,
      checksGrace: '15m',
      withoutChecks: 'wait',
      revertOnFailure: true,
      retryFailedChecks: 1,
      tierOrder: ['experimental', 'low', 'standard', 'production', 'high', 'critical'],
      defaultTier: 'standard',
      requireApprovalFor: [],
    });
    expect(minimal.dataset.target.compression).toBe('zstd');
    expect(minimal.changes).toEqual([]);
    expect(minimal.metadata.sensitive).toBe(false);
  });

  it('reports every problem of a file at once, each with its line, column and path', () => {
    const text = valid
      .replace('apiVersion: fleetwave/v1', 'apiVersion: fleetwave/v2')
      .replace('  owner: data-platform\n', '  ownr: data-platform\n')
      .replace('maxOpenPRs: 25', 'maxOpenPRs: many')
      .replace('  soak: 30m', '  soak: 30 minutes');
    const problems = problemsOf(text);
    const at = (path: string) => problems.find((p) => p.path === path);
    expect(at('apiVersion')).toMatchObject({ file: 'm.yaml', line: 3, col: 13 });
    expect(at('apiVersion')?.message).toContain("expected fleetwave/v1 (the only manifest version), got string 'fleetwave/v2'");
    expect(at('metadata.ownr')).toMatchObject({ line: 7, col: 3 });
    expect(at('metadata.ownr')?.message).toContain("unknown key 'ownr' (did you mean 'owner'?)");
    expect(at('metadata.owner')).toMatchObject({ line: 5, col: 1 });
    expect(at('metadata.owner')?.message).toContain("missing required field 'owner'");
    expect(at('rollout.soak')?.message).toContain("got string '30 minutes'");
    expect(at('rollout.maxOpenPRs')?.message).toContain("expected a number, got string 'many'");
    expect(problems).toHaveLength(5);
    // Sorted by position; the error's text is one `file:line:col: message` line per problem.
    const lines = problems.map((p) => p.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    expect(() => parseManifest(text, 'm.yaml')).toThrow(/^m\.yaml:3:13: apiVersion: expected fleetwave\/v1/);
  });

  it('names every registered rule for an unknown rule, with the closest one', () => {
    const text = valid.replace('  - replace: {', '  - replcae: {');
    const [problem] = problemsOf(text);
    expect(problem?.message).toContain("unknown rule 'replcae' (did you mean 'replace'?); rules: ");
    for (const name of ruleNames) expect(problem?.message).toContain(name);
    expect(problem).toMatchObject({ line: 36, col: 5, path: 'changes[0].replcae' });
  });

  it('checks relations the schema cannot: shrinking waves, an excluded canary, a dropped verify key', () => {
    const text = valid
      .replace('waves: [1, 10%, 50%, 100%]', 'waves: [1, 50%, 10%]')
      .replace('canary: [acme/recs-sandbox]', 'canary: [acme/archived-recs]')
      .replace('key: event_id', 'key: legacy_flag');
    const problems = problemsOf(text);
    expect(problems.map((p) => [p.path, p.line, p.col])).toEqual([
      ['dataset.verify.key', 22, 10],
      ['rollout.canary[0]', 41, 12],
      ['rollout.waves[2]', 42, 19],
    ]);
    expect(problems[0]?.message).toContain('dropped by dataset.transform[2]');
    expect(problems[1]?.message).toContain("excluded by consumers.exclude 'acme/archived-*'");
    expect(problems[2]?.message).toContain('10% comes after 50%');
  });

  it('takes a workspace target as a canary only when consumers.workspaces splits repositories', () => {
    const named = valid.replace('canary: [acme/recs-sandbox]', 'canary: [acme/mono/packages/billing]');
    const [problem] = problemsOf(named);
    expect(problem).toMatchObject({ path: 'rollout.canary[0]' });
    expect(problem?.message).toContain('names a workspace folder, but consumers.workspaces is not set: name the repository (acme/mono)');
    const split = named.replace('consumers:\n', 'consumers:\n  workspaces: ["packages/*"]\n');
    expect(split).not.toBe(named);
    expect(parseManifest(split, 'm.yaml').manifest.rollout.canary).toEqual(['acme/mono/packages/billing']);
  });
  it('follows anchors and aliases: values are shared, a problem is placed where the alias is used', () => {
    const text = [
      'apiVersion: fleetwave/v1',
      'kind: DatasetMigration',
      'metadata: { name: m, owner: &team data-platform }',
      'dataset:',
      '  source: { uri: a/, format: avro }',
      '  target: { uri: b/, format: parquet }',
      'consumers:',
      '  discover: [{ repos: [acme/x] }]',
      'changes:',
      '  - replace: { from: a, to: b, files: &globs ["**/*.ts"] }',
      '  - replace: { from: c, to: d, files: *globs }',
      'rollout:',
      '  soak: &s 5m',
      '  approvals: { required: 1, from: [*team] }',
      '',
    ].join('\n');
    const { manifest } = parseManifest(text, 'a.yaml');
    expect(manifest.changes[1]).toEqual({ replace: { from: 'c', to: 'd', files: ['**/*.ts'], regex: false } });
    expect(manifest.rollout.approvals?.from).toEqual(['data-platform']);
    const problems = problemsOf(text.replace('from: [*team]', 'from: *s'), 'a.yaml');
    expect(problems).toEqual([
      {
        file: 'a.yaml',
        line: 14,
        col: 35,
        path: 'rollout.approvals.from',
        message: "rollout.approvals.from: expected a list, got string '5m'",
      },
    ]);
  });
});

describe('hostile or broken YAML', () => {
  it('refuses a billion-laughs document on its alias budget', () => {
    let bomb = 'a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
    for (let i = 1; i < 10; i++)
      bomb += `a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]\n`;
    const problems = problemsOf(bomb);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toContain('alias bomb');
    expect(problems[0]).toMatchObject({ line: 2, col: 10 });
  });

  it('refuses nesting beyond the depth cap, in flow and in block style, before composing', () => {
    const flow = problemsOf(`apiVersion: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`);
    expect(flow).toEqual([
      { file: 'm.yaml', line: 1, col: 77, path: '', message: expect.stringContaining('nesting deeper than 64 levels') },
    ]);
    let block = 'a:\n';
    for (let i = 1; i < 100; i++) block += `${' '.repeat(i)}- k:\n`;
    expect(problemsOf(block)[0]?.message).toContain('nesting deeper than 64 levels');
  });

  it('refuses a file over 1 MiB without reading it', async () => {
    const big = join(dir, 'big.yaml');
    writeFileSync(big, `# ${'x'.repeat(1024 * 1024)}\n`);
    await expect(loadManifest(big)).rejects.toThrow(/big\.yaml:1:1: the file is 1048579 bytes; a manifest may be at most 1048576 bytes/);
    expect(problemsOf(readFileSync(big, 'utf8'))[0]?.message).toContain('at most 1048576 bytes');
  });

  it('says what is wrong with a missing, non-UTF-8, empty or multi-document file', async () => {
    await expect(loadManifest(join(dir, 'nope.yaml'))).rejects.toThrow(InputError);
    await expect(loadManifest(join(dir, 'nope.yaml'))).rejects.toThrow(/no such file/);
    const latin1 = join(dir, 'latin1.yaml');
    writeFileSync(latin1, Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]));
    await expect(loadManifest(latin1)).rejects.toThrow(/not UTF-8/);
    expect(problemsOf('')[0]?.message).toContain('the manifest is empty');
    expect(problemsOf('a: 1\n---\nb: 2\n')[0]).toMatchObject({ line: 2, col: 1, message: expect.stringContaining('exactly one document') });
  });
});

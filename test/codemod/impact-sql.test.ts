/**
 * Impact analysis of SQL (issue 17, deliver 4): each column read is resolved to its table with the sql
 * rule's scope resolution, on the consumer as the pull request leaves it.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { analyzeImpact } from '../../src/codemod/impact.js';
import { CodemodEngine } from '../../src/codemod/engine.js';
import { manifestWith, removeDir, tempDir, writeTree } from './helpers.js';

const temps: string[] = [];
afterAll(() => temps.forEach(removeDir));

function consumer(files: Record<string, string>): string {
  const dir = tempDir('fw-impact-sql-');
  temps.push(dir);
  writeTree(dir, files);
  return dir;
}

const dataset = {
  source: { uri: 'data/play-events/v1/', format: 'avro', table: 'analytics.events.play_events_v1' },
  target: { uri: 'data/play-events/v2/', format: 'parquet', table: 'analytics.events.play_events_v2' },
  transform: [{ rename: { from: 'user_id', to: 'userId' } }, { drop: 'legacy_flag' }],
};
const where = (fs: { file?: string; line?: number; field?: string; severity: string }[]) =>
  fs.map((f) => [f.file, f.line, f.field, f.severity]);

describe('SQL impact analysis', () => {
  it('blocks reads of the dataset’s dropped and not-rewritten columns only, through joins and CTEs; another table’s same-named column is no read', async () => {
    const dir = consumer({
      'q/join.sql': [
        'SELECT p.legacy_flag, e.event_id',
        'FROM analytics.events.play_events_v1 e',
        'JOIN analytics.users.profiles p ON p.user_id = e.user_id',
        'WHERE e.legacy_flag',
        '',
      ].join('\n'),
      'q/cte.sql': 'WITH c AS (SELECT * FROM events.play_events_v1)\nSELECT legacy_flag FROM c\n',
      'q/other.sql': 'SELECT legacy_flag, user_id FROM analytics.users.profiles\n',
    });
    const findings = await analyzeImpact({ dir, manifest: manifestWith([], dataset) });
    expect(where(findings)).toEqual([
      ['q/cte.sql', 2, 'legacy_flag', 'blocking'],
      ['q/join.sql', 3, 'user_id', 'blocking'],
      ['q/join.sql', 4, 'legacy_flag', 'blocking'],
    ]);
    expect(findings[1]!.message).toBe(
      'q/join.sql:3:50: reads `user_id`, which dataset.transform[0] renames to `userId`, and no change rule rewrote this read (add a renameField rule or change it by hand) (SQL column)',
    );
  });

  it('after the sql rule, renamed reads are gone and each dropped read is said once (the rule’s finding)', async () => {
    const dir = consumer({
      'dbt_project.yml': 'name: p\n',
      'models/sources.yml': 'version: 2\nsources:\n  - name: events\n    database: analytics\n    tables:\n      - name: play_events_v1\n',
      'models/stg.sql': "select user_id, legacy_flag\nfrom {{ source('events', 'play_events_v1') }}\n",
    });
    const manifest = manifestWith([{ sql: { dialect: 'bigquery' } }], dataset);
    const changes = await new CodemodEngine().compute({ manifest, repo: 'acme/x', dir });
    expect(changes.edits.map((e) => e.path)).toEqual(['models/sources.yml', 'models/stg.sql']);
    const impact = await analyzeImpact({ dir, manifest, changes });
    expect(impact).toEqual([]);
    expect(where(changes.findings)).toEqual([['models/stg.sql', 1, 'legacy_flag', 'blocking']]);
  });

  it('follows dbt lineage through SELECT *: a model downstream of a star over the source reads the dataset’s columns', async () => {
    const dir = consumer({
      'dbt_project.yml': 'name: p\n',
      'models/sources.yml': 'version: 2\nsources:\n  - name: events\n    database: analytics\n    tables:\n      - name: play_events_v1\n',
      'models/stg.sql': "select * from {{ source('events', 'play_events_v1') }}\n",
      'models/mart.sql': "select s.user_id, u.legacy_flag\nfrom {{ ref('stg') }} s\njoin {{ ref('users') }} u on u.id = s.user_id\n",
    });
    const findings = await analyzeImpact({ dir, manifest: manifestWith([], dataset) });
    expect(where(findings)).toEqual([
      ['models/mart.sql', 1, 'user_id', 'blocking'],
      ['models/mart.sql', 3, 'user_id', 'blocking'],
    ]);
  });

  it('without dataset.source.table, says SQL was not checked; a file the grammar cannot read is a warning', async () => {
    const dir = consumer({
      'q/a.sql': 'SELECT legacy_flag FROM play_events_v1\n',
      'q/b.sql': 'SELECT legacy_flag FROM play_events_v1 WHERE (\n',
    });
    const none = await analyzeImpact({ dir, manifest: manifestWith([], { transform: dataset.transform }) });
    expect(none).toEqual([expect.objectContaining({ severity: 'info', message: expect.stringContaining('2 SQL file(s) not checked') })]);
    const findings = await analyzeImpact({ dir, manifest: manifestWith([], dataset) });
    expect(where(findings)).toEqual([
      ['q/a.sql', 1, 'legacy_flag', 'blocking'],
      ['q/b.sql', 2, undefined, 'warning'],
    ]);
    expect(findings[1]!.message).toContain('the ansi grammar (postgresql) cannot read it');
  });
});

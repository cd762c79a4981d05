/**
 * The sql rule end to end as the rollout runs it: the change applier (engine + impact analysis) over a
 * dbt consumer, then the pull request body's code-change section: the rule's summary, the blocking
 * read of a dropped column with its place, once.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { createChangeApplier } from '../../../src/codemod/engine.js';
import { renderChangesSection } from '../../../src/report/pr-body-changes.js';
import { manifestWith, removeDir, tempDir, writeTree } from '../helpers.js';

const temps: string[] = [];
afterAll(() => temps.forEach(removeDir));

describe('sql rule in the PR body', () => {
  it('lists the files it changed and the blocking finding (file:line), from the change applier the rollout uses', async () => {
    const dir = tempDir('fw-sql-pr-');
    temps.push(dir);
    writeTree(dir, {
      'dbt_project.yml': 'name: plays\n',
      'models/sources.yml': 'version: 2\nsources:\n  - name: events\n    schema: events\n    tables:\n      - name: play_events_v1\n',
      'models/stg_plays.sql': "select e.user_id, e.legacy_flag\nfrom {{ source('events', 'play_events_v1') }} as e\n",
      'queries/other.sql': 'SELECT user_id, legacy_flag FROM analytics.users.profiles\n',
    });
    const manifest = manifestWith([{ sql: { dialect: 'bigquery' } }], {
      source: { uri: 'data/play-events/v1/', format: 'avro', table: 'analytics.events.play_events_v1' },
      target: { uri: 'data/play-events/v2/', format: 'parquet', table: 'analytics.events.play_events_v2' },
      transform: [{ rename: { from: 'user_id', to: 'userId' } }, { drop: 'legacy_flag' }],
    });
    const set = await createChangeApplier().compute({ manifest, repo: 'acme/plays', dir });
    expect(set.edits.map((e) => [e.path, e.after])).toEqual([
      [
        'models/sources.yml',
        'version: 2\nsources:\n  - name: events\n    schema: events\n    tables:\n      - name: play_events_v1\n        identifier: play_events_v2\n',
      ],
      ['models/stg_plays.sql', "select e.userId as user_id, e.legacy_flag\nfrom {{ source('events', 'play_events_v1') }} as e\n"],
    ]);
    expect(set.findings.filter((f) => f.severity === 'blocking')).toHaveLength(1);
    const md = renderChangesSection(set, manifest);
    expect(md).toContain('**sql** — sql (bigquery): table and column references in **/*.sql');
    expect(md).toContain('`models/stg_plays.sql:1` field `legacy_flag`: models/stg_plays.sql:1:21: reads `legacy_flag`');
  });
});

/**
 * Two `sql` rules in one manifest, one per dialect (BigQuery jobs, DuckDB dbt models): each rewrites
 * its own files, the dbt source moves with the rule that rewrites the project's models, and impact
 * analysis reads each file with the dialect of the rule whose files take it.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { CodemodEngine } from '../../../src/codemod/engine.js';
import { analyzeImpact } from '../../../src/codemod/impact.js';
import { manifestWith, removeDir, tempDir, writeTree } from '../helpers.js';

const temps: string[] = [];
afterAll(() => temps.forEach(removeDir));

const dataset = {
  source: { uri: 'data/play-events/v1/', format: 'avro', table: 'analytics.events.play_events_v1' },
  target: { uri: 'data/play-events/v2/', format: 'parquet', table: 'analytics.events.play_events_v2' },
  transform: [{ rename: { from: 'user_id', to: 'userId' } }],
};

describe('several sql rules', () => {
  it('the rule whose files take the models moves the dbt source and rewrites them; the jobs rule leaves the YAML alone', async () => {
    const dir = tempDir('fw-sql-rules-');
    temps.push(dir);
    writeTree(dir, {
      'dbt_project.yml': 'name: p\n',
      'models/sources.yml':
        'version: 2\nsources:\n  - name: events\n    database: analytics\n    schema: events\n    tables:\n      - name: play_events_v1\n',
      'models/stg.sql': "select user_id from {{ source('events', 'play_events_v1') }}\n",
      'jobs/j.sql': 'SELECT e.user_id FROM `analytics.events.play_events_v1` AS e GROUP BY ALL\n',
    });
    const manifest = manifestWith(
      [{ sql: { dialect: 'duckdb', files: ['models/**'] } }, { sql: { dialect: 'bigquery', files: ['jobs/**'] } }],
      dataset,
    );
    const changes = await new CodemodEngine().compute({ manifest, repo: 'acme/x', dir });
    const after = new Map(changes.edits.map((e) => [e.path, e.after]));
    expect([...after.keys()].sort()).toEqual(['jobs/j.sql', 'models/sources.yml', 'models/stg.sql']);
    expect(after.get('models/stg.sql')).toBe("select userId as user_id from {{ source('events', 'play_events_v1') }}\n");
    expect(after.get('models/sources.yml')).toContain('identifier: play_events_v2');
    expect(after.get('jobs/j.sql')).toBe('SELECT e.userId AS user_id FROM `analytics.events.play_events_v2` AS e GROUP BY ALL\n');
    const findings = await analyzeImpact({ dir, manifest, changes });
    expect(findings.filter((f) => f.severity !== 'info')).toEqual([]);
  });
});

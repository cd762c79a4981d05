/**
 * The sql rule's scope resolution, construct by construct, on the rule's own output (in memory): which
 * references follow the rename, which are another table's, which findings say so.
 */
import { describe, expect, it } from '@jest/globals';
import { dbtRelationCall, maskJinja } from '../../../src/codemod/sql/jinja.js';
import { after, runSqlCase } from './run.js';

const q = (sql: string, more: Partial<Parameters<typeof after>[0]> = {}) => after({ files: { 'q.sql': sql }, ...more });

describe('sql rule: scope resolution', () => {
  it('a qualifier naming the table (no alias) moves with it; a struct field of another column stays', () => {
    expect(q('SELECT events.play_events_v1.user_id, payload.user_id FROM events.play_events_v1')).toBe(
      'SELECT events.play_events_v2.userId AS user_id, payload.user_id FROM events.play_events_v2',
    );
  });

  it('correlated subqueries: an inner unqualified name is the inner table’s when it may have it, the outer alias otherwise', () => {
    expect(
      q('SELECT e.user_id FROM play_events_v1 e WHERE EXISTS (SELECT 1 FROM blocked b WHERE b.user_id = e.user_id AND user_id > 0)'),
    ).toBe(
      'SELECT e.userId AS user_id FROM play_events_v2 e WHERE EXISTS (SELECT 1 FROM blocked b WHERE b.user_id = e.userId AND user_id > 0)',
    );
  });

  it('ORDER BY an output alias keeps it; ORDER BY the column inside a CTE follows', () => {
    expect(q('WITH c AS (SELECT user_id FROM play_events_v1 ORDER BY user_id) SELECT user_id FROM c ORDER BY user_id')).toBe(
      'WITH c AS (SELECT userId FROM play_events_v2 ORDER BY userId) SELECT userId AS user_id FROM c ORDER BY user_id',
    );
  });

  it('an explicit alias in a CTE fixes the name: outer reads of it stay', () => {
    expect(q('WITH c AS (SELECT e.user_id AS who FROM play_events_v1 e) SELECT who FROM c')).toBe(
      'WITH c AS (SELECT e.userId AS who FROM play_events_v2 e) SELECT who FROM c',
    );
  });

  it('a table that is not the dataset (other schema, other name) is left alone', () => {
    const sql = 'SELECT user_id FROM archive.play_events_v1; SELECT user_id FROM play_events_v10';
    expect(q(sql)).toBe(sql);
  });

  it('comments and strings that mention the column or the table stay', () => {
    expect(
      q('-- user_id of play_events_v1\nSELECT \'user_id\', /* user_id */ user_id FROM play_events_v1 WHERE x = "play_events_v1"'),
    ).toBe(
      '-- user_id of play_events_v1\nSELECT \'user_id\', /* user_id */ userId AS user_id FROM play_events_v2 WHERE x = "play_events_v1"',
    );
  });

  it('reads of a dropped column are blocking with file:line:col; a cast column compared with another column is a warning (with a literal of its kind, not); nothing is guessed in a file that does not parse', () => {
    const out = runSqlCase({
      files: {
        'a.sql': 'SELECT e.ts\nFROM play_events_v1 e\nWHERE e.legacy_flag AND e.amount = e.fee AND e.amount > 3',
        'b.sql': 'SELECT user_id FROM play_events_v1 WHERE (',
      },
    });
    expect([...out.files.keys()]).toEqual(['a.sql']);
    expect(out.files.get('a.sql')).toBe('SELECT e.ts\nFROM play_events_v2 e\nWHERE e.legacy_flag AND e.amount = e.fee AND e.amount > 3');
    expect(out.findings.map((f) => [f.severity, f.file, f.line, f.message.split(': ')[0]])).toEqual([
      ['blocking', 'a.sql', 3, 'a.sql:3:9'],
      ['warning', 'a.sql', 3, 'a.sql:3:27'],
      ['warning', 'b.sql', 1, 'skipped at b.sql:1:43'],
    ]);
    expect(out.findings[0]!.message).toContain('reads `legacy_flag`, which dataset.transform[1] drops');
    expect(out.findings[2]!.message).toContain('the bigquery grammar (bigquery) cannot read it');
  });

  it('without dataset.source.table, nothing changes and a warning says why', () => {
    const out = runSqlCase({ files: { 'q.sql': 'SELECT user_id FROM play_events_v1' }, source: '' });
    expect(out.files.size).toBe(0);
    expect(out.findings).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringContaining('dataset.source.table is not set') }),
    ]);
  });

  it('a rename chain and a rename then drop are read from dataset.transform once', () => {
    const transform = [
      { rename: { from: 'user_id', to: 'uid' } },
      { rename: { from: 'uid', to: 'user_key' } },
      { rename: { from: 'ts', to: 'event_ts' } },
      { drop: 'event_ts' },
    ];
    const out = runSqlCase({ files: { 'q.sql': 'SELECT e.user_id, e.ts FROM play_events_v1 e' }, transform });
    expect(out.files.get('q.sql')).toBe('SELECT e.user_key AS user_id, e.ts FROM play_events_v2 e');
    expect(out.findings).toEqual([expect.objectContaining({ severity: 'blocking', field: 'ts' })]);
  });
});

describe('Jinja masking', () => {
  it('keeps every offset: expressions become identifiers, statements, comments and config become spaces', () => {
    const sql = "{{ config(materialized='view') }}\nselect a from {{ source('s', 't') }} {# c #}\n{% if x %}where b{% endif %}";
    const m = maskJinja(sql);
    expect(m.text).toHaveLength(sql.length);
    expect(m.text.split('\n').map((l) => l.length)).toEqual(sql.split('\n').map((l) => l.length));
    const line = m.text.split('\n')[1]!;
    expect(line.startsWith(`select a from j${'_'.repeat("{{ source('s', 't') }}".length - 1)} `)).toBe(true);
    expect(m.text.split('\n')[0]!.trim()).toBe('');
    expect([...m.exprs.values()].map((e) => e.code)).toEqual(["source('s', 't')"]);
    expect(m.text.trim().endsWith('where b')).toBe(true);
  });

  it('reads source() and ref() calls, with either quote; anything else is no relation', () => {
    expect(dbtRelationCall(`source("events", 'play_events_v1')`)).toEqual({ kind: 'source', source: 'events', table: 'play_events_v1' });
    expect(dbtRelationCall(`ref('stg_plays')`)).toEqual({ kind: 'ref', model: 'stg_plays' });
    expect(dbtRelationCall(`ref('pkg', 'stg_plays')`)).toEqual({ kind: 'ref', model: 'stg_plays' });
    expect(dbtRelationCall('var("x")')).toBeUndefined();
  });
});

describe('sql rule: BigQuery star modifiers', () => {
  it('* EXCEPT (c) and * REPLACE (x AS c) name the star’s columns: renamed with it; a dropped one is a blocking read', () => {
    const out = runSqlCase({
      files: {
        'q.sql':
          'SELECT * EXCEPT (user_id, legacy_flag) FROM play_events_v1;\nSELECT e.* REPLACE (UPPER(e.user_id) AS user_id) FROM play_events_v1 e',
      },
    });
    expect(out.files.get('q.sql')).toBe(
      'SELECT * EXCEPT (userId, legacy_flag) FROM play_events_v2;\nSELECT e.* REPLACE (UPPER(e.userId) AS userId) FROM play_events_v2 e',
    );
    expect(out.findings.map((f) => [f.severity, f.message.split(': ')[0]])).toEqual([
      ['blocking', 'q.sql:1:27'],
      ['warning', 'q.sql:1:8'],
      ['warning', 'q.sql:2:8'],
    ]);
    expect(out.findings[1]!.message).toContain('its output changes: `amount` becomes decimal');
  });
});

describe('sql rule: dbt sources', () => {
  const project = (yml: string, model: string) => ({
    files: { 'dbt/dbt_project.yml': 'name: p\n', 'dbt/models/src.yml': yml, 'dbt/models/m.sql': model },
  });

  it('an existing identifier is updated; a database written with Jinja is matched on the known parts', () => {
    const yml = [
      'version: 2',
      'sources:',
      '  - name: raw',
      '    database: "{{ env_var(\'DBT_DB\') }}"',
      '    schema: events',
      '    tables:',
      '      - name: plays',
      '        identifier: play_events_v1',
      '        columns:',
      '          - name: "user_id"',
      '            description: "{{ doc(\'user_id\') }}"',
      '',
    ].join('\n');
    const out = runSqlCase(project(yml, "select p.user_id from {{ source('raw', 'plays') }} p\n"));
    expect(out.files.get('dbt/models/src.yml')).toBe(
      yml.replace('identifier: play_events_v1', 'identifier: play_events_v2').replace('- name: "user_id"', '- name: "userId"'),
    );
    expect(out.files.get('dbt/models/m.sql')).toBe("select p.userId as user_id from {{ source('raw', 'plays') }} p\n");
  });

  it('a source of another schema with the same table name is not the dataset', () => {
    const yml =
      'version: 2\nsources:\n  - name: archive\n    tables:\n      - name: play_events_v1\n        columns:\n          - name: user_id\n';
    const out = runSqlCase(project(yml, "select user_id from {{ source('archive', 'play_events_v1') }}\n"));
    expect(out.files.size).toBe(0);
  });
});

describe('sql rule: a statement that exposes a CTE through *', () => {
  const model = [
    "with source as (select * from {{ source('events', 'play_events_v1') }}),",
    'renamed as (select user_id, ts from source),',
    'final as (select * from renamed)',
    'select * from final',
    '',
  ].join('\n');
  const files = {
    'dbt_project.yml': 'name: p\n',
    'models/src.yml': 'version: 2\nsources:\n  - name: events\n    database: analytics\n    tables:\n      - name: play_events_v1\n',
    'models/stg.sql': model,
  };

  it('keeps the name where the CTE selects it (the model’s output does not change)', () => {
    expect(runSqlCase({ files }).files.get('models/stg.sql')).toBe(model.replace('select user_id, ts', 'select userId as user_id, ts'));
  });

  it('with renameOutputs the new name flows out', () => {
    expect(runSqlCase({ files, renameOutputs: true }).files.get('models/stg.sql')).toBe(
      model.replace('select user_id, ts', 'select userId, ts'),
    );
  });
});

describe('sql rule: USING with another relation', () => {
  it('an inner join becomes ON, and the merged column is read from the table', () => {
    expect(q('select user_id, p.country from play_events_v1 as e join profiles p using (user_id) where user_id > 0')).toBe(
      'select e.userId as user_id, p.country from play_events_v2 as e join profiles p on e.userId = p.user_id where e.userId > 0',
    );
  });

  it('the table on the right of an inner join: ON keeps the join’s order', () => {
    expect(q('SELECT p.country FROM profiles p JOIN play_events_v1 e USING (user_id)')).toBe(
      'SELECT p.country FROM profiles p JOIN play_events_v2 e ON p.user_id = e.userId',
    );
  });

  it('a FULL JOIN is left with a warning', () => {
    const out = runSqlCase({ files: { 'q.sql': 'SELECT user_id FROM play_events_v1 e FULL JOIN profiles p USING (user_id)' } });
    expect(out.files.get('q.sql')).toBe('SELECT user_id FROM play_events_v2 e FULL JOIN profiles p USING (user_id)');
    expect(out.findings).toEqual([
      expect.objectContaining({ severity: 'warning', message: expect.stringContaining('a FULL JOIN merges both sides') }),
    ]);
  });
});

describe('sql rule: statements other than SELECT', () => {
  it('reads the queries inside DML and DDL, and never fails on a statement it does not rewrite', () => {
    const files = {
      'a.sql': 'CREATE OR REPLACE VIEW marts.v AS SELECT user_id FROM play_events_v1;',
      'b.sql': 'INSERT INTO marts.daily (user_id) SELECT e.user_id FROM play_events_v1 e;',
      'c.sql': 'DELETE FROM marts.daily WHERE user_id IN (SELECT user_id FROM play_events_v1);',
      'd.sql': 'DECLARE d DATE DEFAULT CURRENT_DATE();\nSELECT user_id FROM play_events_v1 WHERE DATE(ts) = d;',
      'e.sql': '-- only a comment about play_events_v1\n',
      'f.sql':
        'MERGE marts.users t USING (SELECT user_id FROM play_events_v1) s ON t.user_id = s.user_id WHEN NOT MATCHED THEN INSERT (user_id) VALUES (s.user_id);',
    };
    const out = runSqlCase({ files });
    expect(Object.fromEntries(out.files)).toEqual({
      'a.sql': 'CREATE OR REPLACE VIEW marts.v AS SELECT userId AS user_id FROM play_events_v2;',
      'b.sql': 'INSERT INTO marts.daily (user_id) SELECT e.userId AS user_id FROM play_events_v2 e;',
      'c.sql': 'DELETE FROM marts.daily WHERE user_id IN (SELECT userId FROM play_events_v2);',
      'd.sql': 'DECLARE d DATE DEFAULT CURRENT_DATE();\nSELECT userId AS user_id FROM play_events_v2 WHERE DATE(ts) = d;',
      'f.sql':
        'MERGE marts.users t USING (SELECT userId AS user_id FROM play_events_v2) s ON t.user_id = s.user_id WHEN NOT MATCHED THEN INSERT (user_id) VALUES (s.user_id);',
    });
    expect(out.findings).toEqual([]);
  });
});

describe('sql rule: new names the dialect would fold', () => {
  it('Postgres quotes a name with capitals; Snowflake a mixed-case one; BigQuery neither', () => {
    const sql = 'SELECT e.user_id FROM events.play_events_v1 e';
    expect(q(sql, { dialect: 'postgres' })).toBe('SELECT e."userId" AS user_id FROM events.play_events_v2 e');
    expect(q(sql, { dialect: 'snowflake' })).toBe('SELECT e."userId" AS user_id FROM events.play_events_v2 e');
    expect(q(sql, { dialect: 'bigquery' })).toBe('SELECT e.userId AS user_id FROM events.play_events_v2 e');
    const lower = { transform: [{ rename: { from: 'user_id', to: 'user_key' } }] };
    expect(q('SELECT E.USER_ID FROM EVENTS.PLAY_EVENTS_V1 E', { dialect: 'snowflake', ...lower })).toBe(
      'SELECT E.USER_KEY AS USER_ID FROM EVENTS.PLAY_EVENTS_V2 E',
    );
  });
});

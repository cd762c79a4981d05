/**
 * Property: applying the sql rule twice equals applying it once, over seeded random queries built from
 * the constructs the rule resolves (aliases, CTEs, subqueries, joins with another table that has the
 * same column, USING, windows, QUALIFY, quoting, comments, strings, dbt Jinja). Also on every query:
 * the result still parses, the other table's `u.user_id` is never touched, and no reference to the
 * dataset's old column name is left on the dataset's alias. Seeded (mulberry32), so a failure repeats.
 */
import { describe, expect, it } from '@jest/globals';
import { analyzeSql } from '../../../src/codemod/sql/analyze.js';
import { tableNameParts } from '../../../src/manifest/table-name.js';
import { mulberry32 } from '../../../src/simulate/prng.js';
import { runSqlCase, type SqlCase } from './run.js';

const SOURCES_YML = `version: 2
sources:
  - name: events
    database: analytics
    tables:
      - name: play_events_v1
        columns:
          - name: user_id
            tests: [not_null]
`;

function query(random: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const table = pick([
    'analytics.events.play_events_v1',
    '`analytics.events.play_events_v1`',
    'events.play_events_v1',
    '`events`.`play_events_v1`',
    'play_events_v1',
    "{{ source('events', 'play_events_v1') }}",
  ]);
  const col = pick(['user_id', '`user_id`', 'USER_ID']);
  const join = pick([
    '',
    '\n  JOIN analytics.users.profiles u ON u.user_id = e.user_id',
    '\n  LEFT JOIN analytics.users.profiles AS u USING (country)',
    '\n  JOIN analytics.users.profiles u USING (user_id)',
    '\n  LEFT JOIN analytics.users.profiles u USING (user_id)',
    '\n  RIGHT JOIN analytics.users.profiles u USING (user_id)',
  ]);
  const where = pick(['', "\n  WHERE e.ts > '2026-01-01' -- user_id kept\n    AND e.kind != 'user_id'", '\n  WHERE e.user_id IS NOT NULL']);
  const uCol = join ? ', u.user_id AS profile_user' : '';
  let inner = `SELECT e.${col}, e.ts, e.amount${uCol}\n  FROM ${table} AS e${join}${where}`;
  const wrap = pick(['none', 'cte', 'subquery', 'cte-star']);
  if (wrap === 'cte') inner = `WITH c AS (\n  ${inner}\n)\nSELECT c.user_id, c.ts FROM c`;
  else if (wrap === 'subquery') inner = `SELECT s.user_id, s.ts FROM (\n  ${inner}\n) AS s`;
  else if (wrap === 'cte-star') inner = `WITH c AS (SELECT * FROM ${table})\nSELECT user_id, ts FROM c`;
  const tail = pick([
    '',
    '\nQUALIFY ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY ts DESC) = 1',
    '\nWINDOW w AS (PARTITION BY user_id ORDER BY ts)',
    '\nORDER BY user_id',
  ]);
  return `${pick(['', '{{ config(materialized="table") }}\n', '/* daily */\n'])}${inner}${tail}\n`;
}

describe('the sql rule is idempotent (seeded random queries)', () => {
  const dataset = {
    source: tableNameParts('analytics.events.play_events_v1'),
    target: tableNameParts('analytics.events.play_events_v2'),
    columns: [],
    kept: [],
  };

  it('applying it twice equals applying it once, and the result still parses, over 300 queries', () => {
    const random = mulberry32(17);
    let changed = 0;
    for (let i = 0; i < 300; i++) {
      const sql = query(random);
      const files = { 'dbt_project.yml': 'name: p\n', 'models/sources.yml': SOURCES_YML, 'models/q.sql': sql };
      const c: SqlCase = { files };
      const once = runSqlCase(c);
      const first = { ...files, ...Object.fromEntries(once.files) };
      const twice = runSqlCase({ files: first });
      const context = `query ${i}:\n${sql}\nafter one run:\n${first['models/q.sql']}`;
      expect({ context, edits: [...twice.files].filter(([p, t]) => first[p as keyof typeof first] !== t) }).toEqual({ context, edits: [] });
      const out = first['models/q.sql'];
      if (out !== sql) changed++;
      expect({ context, parses: analyzeSql(out, 'models/q.sql', 'bigquery', dataset, []).ok }).toEqual({ context, parses: true });
      // The other table's column is never renamed (a USING rewritten to ON adds one more `u.user_id`).
      expect({ context, other: out.split('u.user_id').length >= sql.split('u.user_id').length }).toEqual({ context, other: true });
      expect({ context, left: /\be\.(`?)user_id\b/i.test(out) }).toEqual({ context, left: false });
    }
    expect(changed).toBeGreaterThan(250);
  });
});

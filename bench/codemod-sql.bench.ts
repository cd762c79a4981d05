/**
 * The `sql` rule's benchmark (issue 17). Generates a dbt project of 2,000 models (~40 lines each):
 * staging models that read the dataset through `{{ source('events', 'play_events_v1') }}` (CTEs, a
 * join with a users source that has its own `user_id`, a window, QUALIFY, Jinja blocks), BigQuery
 * jobs that name `` `analytics.events.play_events_v1` `` directly, and marts that read other models
 * through `{{ ref() }}` with same-named columns; plus the sources YAML. Then, each in its own process
 * after the same warm-up, over the same files:
 *   - sql:     the codemod engine with `sql: { dialect: bigquery }` (the table moves, user_id → userId,
 *              legacy_flag dropped: blocking findings);
 *   - replace: the baseline, the text-only `replace` of the table name over the same `**\/*.sql` files.
 * Two project shapes in the same run: READERS (default 15%) of the models read the dataset, and all of
 * them do (every model parsed). Printed: files/s (wall), files per CPU-second, peak RSS, files parsed
 * and changed, findings. Nothing is asserted.
 *
 *   npm run bench -- codemod-sql
 * Environment: MODELS (default 2000), READERS (share of models that read the dataset, default 0.15).
 * `node build/bench/codemod-sql.bench.js generate <dir>` writes the project alone.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'sql-parser-cst';
import { CodemodEngine } from '../src/codemod/engine.js';
import { manifestSchema } from '../src/manifest/schema.js';
import type { Manifest } from '../src/manifest/types.js';
import { compareModes, recordCodemodRun } from './codemod-run.js';
import { printTable } from './measure.js';

const MODELS = Number(process.env.MODELS ?? 2000);
const READERS = Number(process.env.READERS ?? 0.15);

const SOURCES = `version: 2

sources:
  - name: events
    database: analytics
    tables:
      - name: play_events_v1
        description: One row per play.
        columns:
          - name: user_id
            tests: [not_null]
          - name: legacy_flag
          - name: ts
            tests: [not_null]
      - name: users
        columns:
          - name: user_id
            tests: [unique, not_null]
`;

function stagingModel(i: number): string {
  return `{{ config(materialized='incremental', unique_key='event_id') }}
{# staging model ${i}: plays with the user's country #}
with plays as (
    select
        e.event_id,
        e.user_id,
        e.ts,
        e.amount,
        e.legacy_flag
    from {{ source('events', 'play_events_v1') }} as e
    where e.ts > timestamp '2026-01-01'
    {% if is_incremental() %}
      and e.ts > (select max(ts) from {{ this }})
    {% endif %}
),

users as (
    select user_id, country, created_at
    from {{ source('events', 'users') }}
),

joined as (
    select
        plays.event_id,
        plays.user_id,
        plays.ts,
        plays.amount,
        users.country,
        users.user_id as profile_user
    from plays
    left join users on users.user_id = plays.user_id
    where plays.legacy_flag is null or plays.amount > ${i % 50}
)

select
    user_id,
    country,
    count(*) as plays,
    sum(amount) as total,
    row_number() over (partition by country order by sum(amount) desc) as rnk
from joined
group by user_id, country
qualify rnk <= 100
`;
}

function bigqueryJob(i: number): string {
  return `-- job ${i}: daily plays per user (user_id in a comment stays)
WITH recent AS (
  SELECT e.user_id, e.event_id, e.ts, u.user_id AS profile_user
  FROM \`analytics.events.play_events_v1\` AS e
  JOIN \`analytics\`.users.profiles u ON u.user_id = e.user_id
  WHERE e.ts > TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL ${(i % 30) + 1} DAY)
    AND e.kind != 'user_id'
),
ranked AS (
  SELECT user_id, ts, ROW_NUMBER() OVER w AS rn
  FROM recent
  WINDOW w AS (PARTITION BY user_id ORDER BY ts DESC)
)
SELECT user_id, COUNT(*) AS plays, MAX(ts) AS last_ts
FROM ranked
WHERE rn <= 10
GROUP BY user_id
ORDER BY plays DESC
`;
}

function martModel(i: number): string {
  const lines = [
    `{{ config(materialized='table') }}`,
    `-- mart ${i}: reads other models; its user_id columns are theirs`,
    `with base as (`,
    `    select user_id, country, plays, total`,
    `    from {{ ref('stg_plays_${i % 7}') }}`,
    `),`,
    `accounts as (`,
    `    select user_id, plan, signup_date`,
    `    from {{ ref('dim_accounts') }}`,
    `)`,
    `select`,
    `    base.user_id,`,
    `    accounts.plan,`,
    `    sum(base.plays) as plays,`,
    `    sum(base.total) as total,`,
    `    min(accounts.signup_date) as first_signup`,
    `from base`,
    `join accounts on accounts.user_id = base.user_id`,
    `where base.country is not null`,
    `group by 1, 2`,
  ];
  for (let k = 0; lines.length < 40; k++) lines.push(`-- note ${k}: totals are in cents, plays counted once per event`);
  return `${lines.join('\n')}\n`;
}

function generate(dir: string, readers: number): { readers: number } {
  mkdirSync(join(dir, 'models/staging'), { recursive: true });
  mkdirSync(join(dir, 'models/marts'), { recursive: true });
  mkdirSync(join(dir, 'jobs'), { recursive: true });
  writeFileSync(join(dir, 'dbt_project.yml'), "name: plays\nversion: '1.0'\nprofile: plays\nmodel-paths: [models]\n");
  writeFileSync(join(dir, 'models/staging/sources.yml'), SOURCES);
  const every = readers >= 1 ? 1 : Math.max(1, Math.round(1 / readers));
  let n = 0;
  for (let i = 0; i < MODELS; i++) {
    const reads = i % every === 0;
    if (reads) n++;
    if (reads && i % 3 === 0) writeFileSync(join(dir, 'jobs', `job_${i}.sql`), bigqueryJob(i));
    else if (reads) writeFileSync(join(dir, 'models/staging', `stg_plays_${i}.sql`), stagingModel(i));
    else writeFileSync(join(dir, 'models/marts', `mart_${i}.sql`), martModel(i));
  }
  return { readers: n };
}

function manifest(mode: string): Manifest {
  return manifestSchema.parse({
    apiVersion: 'fleetwave/v1',
    kind: 'DatasetMigration',
    metadata: { name: 'bench', owner: 'bench' },
    dataset: {
      source: { uri: 'data/play-events/v1/', format: 'avro', table: 'analytics.events.play_events_v1' },
      target: { uri: 'data/play-events/v2/', format: 'parquet', table: 'analytics.events.play_events_v2' },
      transform: [{ rename: { from: 'user_id', to: 'userId' } }, { drop: 'legacy_flag' }],
      gate: 'none',
    },
    consumers: { discover: [{ repos: ['acme/bench'] }] },
    changes:
      mode === 'sql'
        ? [{ sql: { dialect: 'bigquery' } }]
        : [{ replace: { from: 'play_events_v1', to: 'play_events_v2', files: ['**/*.sql'] } }],
  });
}

async function child(mode: string, dir: string): Promise<void> {
  // Start-up, the same for both modes: the engine's modules (the parser among them) and one parse.
  parse('select 1', { dialect: 'bigquery', includeRange: true });
  await recordCodemodRun(dir, mode, () => new CodemodEngine().compute({ manifest: manifest(mode), repo: 'acme/bench', dir }));
}

function parent(): void {
  const rows = compareModes({
    script: fileURLToPath(import.meta.url),
    shares: [READERS, 1],
    modes: ['sql', 'replace'],
    generate: (dir, share) => ({ ...generate(dir, share), described: `a dbt project of ${MODELS} models` }),
    files: MODELS + 2,
    size: { models: MODELS },
  });
  printTable(rows);
  console.log('goal: sql ≥ 500 files/s, peak RSS ≤ 400 MiB (files = models + dbt_project.yml + sources.yml)');
}

const [mode, dir] = process.argv.slice(2);
if (mode === 'generate' && dir)
  generate(dir, READERS); // the project alone, to look at
else if (mode && dir) await child(mode, dir);
else parent();

import { PYTHON_CHECK_PY, pythonCheckScript, SQL_CHECK_MJS } from './data-consumer-checks.js';
import { DATASET_V1, TABLE_V1 } from './play-events.js';

/**
 * The demo's data consumers: the dataset as data teams read it — by its warehouse table
 * (`analytics.events.play_events_v1`) in SQL, or by table or lake path in Python. The `sql` rule
 * migrates the SQL ones (dbt models and their sources YAML, BigQuery-style jobs), the `python` rule
 * the Python ones; acme/legacy-clients reads the dropped legacy_flag, so impact analysis blocks it.
 * Their checks run without a warehouse (src/demo/data-consumer-checks.ts).
 */

export type DataConsumerKind = 'dbt' | 'bigquery' | 'pandas' | 'pyspark';

export interface DataConsumerSpec {
  /** `acme/<name>`. */
  repo: string;
  kind: DataConsumerKind;
  /** One line for the README. */
  description: string;
  /** The dataset columns its code reads. */
  reads: string[];
  /** Its own files (the README, the check and its package.json are added by dataConsumerFiles). */
  files: Record<string, string>;
}

const GITIGNORE = 'node_modules\n__pycache__/\ntarget/\n';

/** A SQL repository's package.json: `npm test` runs the check (DuckDB over the lake). */
function sqlPackageJson(name: string, description: string): string {
  return `${JSON.stringify(
    {
      name: `@acme/${name}`,
      version: '1.0.0',
      private: true,
      description,
      type: 'module',
      scripts: { test: 'node ci/check.mjs' },
      // Installed by the platform team's shared toolchain; the demo's checks link Fleetwave's node_modules.
      devDependencies: { '@duckdb/node-api': '^1.4.0', avsc: '^5.7.9', yaml: '^2.9.1' },
    },
    null,
    2,
  )}\n`;
}

const DBT: DataConsumerSpec = {
  repo: 'acme/listening-dbt',
  kind: 'dbt',
  description: 'dbt project (dbt-bigquery) of the listening analytics: a staging model over play events, marts per track and country.',
  reads: ['event_id', 'user_id', 'track_id', 'ms_played', 'country', 'ts'],
  files: {
    'dbt_project.yml': `name: listening
version: "1.0.0"
config-version: 2
profile: listening

model-paths: ["models"]
test-paths: ["tests"]

models:
  listening:
    staging:
      +materialized: view
    marts:
      +materialized: table
`,
    'models/sources.yml': `version: 2

sources:
  - name: events
    description: Play events, owned by data-platform (acme/play-events).
    database: analytics
    schema: events
    tables:
      - name: play_events_v1
        description: One row per play of a track.
        columns:
          - name: event_id
            tests: [unique, not_null]
          - name: user_id
            description: Who played the track.
            tests: [not_null]
          - name: track_id
            tests: [not_null]
`,
    'models/staging/stg_plays.sql': `{{ config(materialized='view') }}

-- Plays as the rest of the project sees them: one row per play, the source's column names kept.
with source as (

    select * from {{ source('events', 'play_events_v1') }}

),

renamed as (

    select
        event_id,
        user_id,
        track_id,
        ms_played,
        coalesce(country, 'unknown') as country,
        ts as played_at
    from source
    where ms_played >= 0

)

select * from renamed
`,
    'models/marts/track_reach.sql': `-- How many listeners each track reached, and how long it was played.
select
    track_id,
    count(distinct user_id) as listeners,
    count(*) as plays,
    sum(ms_played) as ms_played
from {{ ref('stg_plays') }}
group by track_id
`,
    'models/marts/country_minutes.sql': `-- Minutes listened per country ('unknown' when the client sent none).
select
    country,
    count(*) as plays,
    round(sum(ms_played) / 60000.0, 1) as minutes
from {{ ref('stg_plays') }}
group by country
`,
    'tests/assert_reach_adds_up.sql': `-- Every play is counted once: the track mart adds up to the staging model.
select r.plays as mart_plays, s.plays as staged_plays
from (select sum(plays) as plays from {{ ref('track_reach') }}) as r
cross join (select count(*) as plays from {{ ref('stg_plays') }}) as s
where r.plays <> s.plays
`,
    'tests/assert_listeners_played.sql': `-- A listener of a track played it: no track has more listeners than plays, none has none.
select track_id, listeners, plays
from {{ ref('track_reach') }}
where listeners > plays or listeners < 1
`,
    'tests/assert_source_plays_have_a_listener.sql': `-- The source gives every play a listener and a non-negative duration.
select event_id
from {{ source('events', 'play_events_v1') }}
where user_id is null or ms_played < 0
`,
  },
};

const BIGQUERY: DataConsumerSpec = {
  repo: 'acme/bq-reports',
  kind: 'bigquery',
  description: 'Scheduled BigQuery reports (BigQuery Runner jobs): daily listeners, top listeners, VIP plays.',
  reads: ['user_id', 'ms_played', 'ts'],
  files: {
    'jobs/daily_listeners.sql': `-- Daily listeners and plays (BigQuery Runner, daily; destination reports.daily_listeners).
SELECT
  CAST(e.ts AS DATE) AS day,
  COUNT(DISTINCT e.user_id) AS listeners,
  COUNT(*) AS plays
FROM \`${TABLE_V1}\` AS e
GROUP BY day
ORDER BY day
`,
    'jobs/top_listeners.sql': `-- The ten listeners with the most listening time, for the weekly newsletter.
SELECT user_id, SUM(ms_played) AS ms_played, COUNT(*) AS plays
FROM \`${TABLE_V1}\`
GROUP BY user_id
ORDER BY ms_played DESC, user_id
LIMIT 10
`,
    'jobs/vip_plays.sql': `-- Plays of the VIP listeners (the list lives here until CRM exports it): vip.user_id is not the events' column.
WITH vip AS (
  SELECT 'u-0001' AS user_id UNION ALL SELECT 'u-0002' UNION ALL SELECT 'u-0003'
)
SELECT vip.user_id, COUNT(*) AS plays, SUM(e.ms_played) AS ms_played
FROM \`${TABLE_V1}\` AS e
JOIN vip ON e.user_id = vip.user_id
GROUP BY vip.user_id
`,
    'jobs/checks/plays_add_up.sql': `-- Every play is in exactly one day of the daily report.
SELECT d.plays AS reported, t.plays AS played
FROM (SELECT SUM(plays) AS plays FROM daily_listeners) AS d
CROSS JOIN (SELECT COUNT(*) AS plays FROM \`${TABLE_V1}\`) AS t
WHERE d.plays <> t.plays
`,
    'jobs/checks/top_listener_is_top.sql': `-- The first of the top listeners listened longest of all.
SELECT top.ms_played, best.ms
FROM (SELECT MAX(ms_played) AS ms_played FROM top_listeners) AS top
CROSS JOIN (
  SELECT MAX(ms) AS ms
  FROM (SELECT user_id, SUM(ms_played) AS ms FROM \`${TABLE_V1}\` GROUP BY user_id) AS per_user
) AS best
WHERE top.ms_played <> best.ms
`,
  },
};

const LEGACY_CLIENTS: DataConsumerSpec = {
  repo: 'acme/legacy-clients',
  kind: 'bigquery',
  description: "The legacy client's sunset report (BigQuery Runner job): its share of plays per country.",
  reads: ['legacy_flag', 'country'],
  files: {
    'jobs/legacy_share.sql': `-- Plays from the legacy client per country, for its sunset dashboard.
SELECT country, COUNTIF(legacy_flag) AS legacy_plays, COUNT(*) AS plays
FROM \`${TABLE_V1}\`
WHERE country IS NOT NULL
GROUP BY country
`,
    'jobs/checks/legacy_within_plays.sql': `-- The legacy client's plays are some of the plays.
SELECT country, legacy_plays, plays
FROM legacy_share
WHERE legacy_plays > plays OR legacy_plays < 0
`,
  },
};

const PANDAS: DataConsumerSpec = {
  repo: 'acme/churn-pandas',
  kind: 'pandas',
  description: 'Churn signals (pandas): listeners whose weekly listening time fell by half, read from the warehouse through DuckDB.',
  reads: ['user_id', 'ms_played', 'ts'],
  files: {
    'jobs/churn.py': `"""Listeners at risk of churning: their listening time in the last week fell below a share of the first week's (pandas)."""
import duckdb
import pandas as pd

EVENTS_TABLE = "${TABLE_V1}"


def at_risk(con: duckdb.DuckDBPyConnection, drop: float = 0.5) -> list[str]:
    """Listeners whose minutes in the last week are below \`drop\` times their minutes in the first week."""
    plays = con.table(EVENTS_TABLE).select("user_id", "ms_played", "ts").df()
    plays.columns = ["listener", "ms_played", "ts"]  # this job's names, whatever the warehouse calls them
    plays = plays[plays["ms_played"] >= 0]
    plays["week"] = pd.to_datetime(plays["ts"]).dt.strftime("%G-W%V")
    weekly = plays.groupby(["listener", "week"])["ms_played"].sum().unstack(fill_value=0)
    first, last = weekly.columns.min(), weekly.columns.max()
    falling = weekly[weekly[last] < drop * weekly[first]]
    return sorted(falling.index)
`,
    'tests/__init__.py': '',
    'tests/test_churn.py': `"""Runs with pandas and duckdb (python3 ci/check.py pandas duckdb skips it otherwise, and says so)."""
import json
import os
import pathlib
import unittest

import duckdb

from jobs.churn import at_risk


def warehouse() -> duckdb.DuckDBPyConnection:
    """The lake's catalog as DuckDB tables under their warehouse names (Avro needs DuckDB's avro extension)."""
    lake = pathlib.Path(os.environ["FLEETWAVE_LAKE"])
    con = duckdb.connect()
    for name, table in json.loads((lake / "warehouse" / "catalog.json").read_text())["tables"].items():
        database, schema, _ = name.split(".")
        con.execute(f"ATTACH IF NOT EXISTS ':memory:' AS {database}")
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {database}.{schema}")
        files = str(lake / table["location"] / f"*.{table['format']}")
        if table["format"] == "avro":
            try:
                con.execute("INSTALL avro; LOAD avro")
            except duckdb.Error as err:
                raise unittest.SkipTest(f"DuckDB's avro extension is not available ({err}); the Avro table cannot be read")
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_{table['format']}('{files}')")
    return con


class AtRiskTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.con = warehouse()

    def test_at_risk_are_listeners(self) -> None:
        found = at_risk(self.con)
        self.assertEqual(found, sorted(set(found)))
        self.assertTrue(all(user.startswith("u-") for user in found), found)

    def test_nobody_falls_below_nothing(self) -> None:
        self.assertEqual(at_risk(self.con, drop=0), [])

    def test_a_higher_bar_finds_more(self) -> None:
        self.assertLessEqual(len(at_risk(self.con, 0.25)), len(at_risk(self.con, 0.75)))
`,
  },
};

const PYSPARK: DataConsumerSpec = {
  repo: 'acme/sessions-pyspark',
  kind: 'pyspark',
  description: 'Nightly PySpark job: plays, listening time and distinct tracks per listener and day, from the lake.',
  reads: ['user_id', 'track_id', 'ms_played', 'ts'],
  files: {
    'jobs/sessions.py': `"""Listening per listener and day (PySpark, nightly)."""
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

# Lake paths are relative to the lake's root: the scheduler starts jobs there.
EVENTS = "${DATASET_V1}/"


def daily_sessions(spark: SparkSession) -> DataFrame:
    """Plays, listening time and distinct tracks per listener and day."""
    events = spark.read.format("avro").load(EVENTS)
    plays = events.where(F.col("ms_played") >= 0).select("user_id", "track_id", "ms_played", F.to_date(F.col("ts")).alias("day"))
    return (
        plays.groupBy("user_id", "day")
        .agg(F.count("*").alias("plays"), F.sum("ms_played").alias("ms_played"), F.countDistinct("track_id").alias("tracks"))
        .orderBy("user_id", "day")
    )
`,
    'tests/__init__.py': '',
    'tests/test_sessions.py': `"""Runs with pyspark (python3 ci/check.py pyspark skips it otherwise, and says so)."""
import os
import unittest

import pyspark
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from jobs.sessions import daily_sessions


class DailySessionsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        os.chdir(os.environ["FLEETWAVE_LAKE"])  # the job's paths are relative to the lake's root
        avro = f"org.apache.spark:spark-avro_2.12:{pyspark.__version__}"
        cls.spark = SparkSession.builder.master("local[1]").config("spark.jars.packages", avro).getOrCreate()

    @classmethod
    def tearDownClass(cls) -> None:
        cls.spark.stop()

    def test_every_play_is_in_one_session(self) -> None:
        sessions = daily_sessions(self.spark)
        events = self.spark.read.format("avro").load("${DATASET_V1}/")
        self.assertEqual(sessions.agg(F.sum("plays")).first()[0], events.where(F.col("ms_played") >= 0).count())

    def test_one_row_per_listener_and_day(self) -> None:
        sessions = daily_sessions(self.spark)
        self.assertEqual(sessions.count(), sessions.select(*sessions.columns[:2]).distinct().count())

    def test_tracks_at_most_plays(self) -> None:
        sessions = daily_sessions(self.spark)
        self.assertEqual(sessions.where(F.col("tracks") > F.col("plays")).count(), 0)
`,
  },
};

/** The data consumers, in name order of nothing in particular: discovery sorts them. */
export const DATA_CONSUMERS: readonly DataConsumerSpec[] = [DBT, BIGQUERY, LEGACY_CLIENTS, PANDAS, PYSPARK];

/** The Python modules each Python kind's tests need (its check skips them, and says so, without). */
const PYTHON_REQUIRES: Record<'pandas' | 'pyspark', string[]> = { pandas: ['pandas', 'duckdb'], pyspark: ['pyspark'] };

/** Every file of a data consumer's repository. */
export function dataConsumerFiles(spec: DataConsumerSpec): Record<string, string> {
  const name = spec.repo.split('/')[1]!;
  const reads = spec.reads.map((f) => `\`${f}\``).join(', ');
  const files: Record<string, string> = { ...spec.files, '.gitignore': GITIGNORE };
  if (spec.kind === 'dbt' || spec.kind === 'bigquery') {
    files['README.md'] =
      `# ${name}\n\n${spec.description}\n\nReads \`${TABLE_V1}\` (columns: ${reads}).\n\n` +
      `Checked without a warehouse: DuckDB runs the SQL over the data lake's files (ci/check.mjs).\n\n    FLEETWAVE_LAKE=/path/to/lake npm test\n`;
    files['package.json'] = sqlPackageJson(name, spec.description);
    files['ci/check.mjs'] = SQL_CHECK_MJS;
  } else {
    const requires = PYTHON_REQUIRES[spec.kind];
    files['README.md'] =
      `# ${name}\n\n${spec.description}\n\nReads the play-events dataset (columns: ${reads}).\n\n` +
      `Checked by .fleetwave/check: every file compiles, and the tests run when python3 can import ${requires.join(', ')} ` +
      `(otherwise the check says they were skipped: then only the syntax was checked).\n\n    FLEETWAVE_LAKE=/path/to/lake .fleetwave/check\n`;
    files['.fleetwave/check'] = pythonCheckScript(requires);
    files['ci/check.py'] = PYTHON_CHECK_PY;
  }
  return files;
}

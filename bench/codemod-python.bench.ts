/**
 * The `python` rule's benchmark (issue 17). Generates a Python repository of FILES modules (~40 lines
 * each): PySpark jobs reading the dataset by URI (format("avro"), a module-level path, a join with a
 * users table that has its own `user_id`), pandas scripts on pandavro, polars notebooks on
 * `pl.read_avro`, and modules that never name the dataset (helpers, other datasets' jobs). Then, each in
 * its own process after the same warm-up (the engine's modules and one parse), over the same files:
 *   - python:  the codemod engine with `python: {}` (reads move and switch to Parquet, user_id → userId,
 *              legacy_flag dropped: blocking findings);
 *   - replace: the baseline, the text-only `replace` of the dataset's URI over the same `**\/*.py` files.
 * Two shapes in the same run: READERS (default 15%) of the modules read the dataset, and all do (every
 * module parsed). Printed: files/s (wall), files per CPU-second, peak RSS, files changed, findings.
 * Nothing is asserted.
 *
 *   npm run bench -- codemod-python
 * Environment: FILES (default 2000), READERS (default 0.15).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CodemodEngine } from '../src/codemod/engine.js';
import { parsePython } from '../src/codemod/python/parser.js';
import { manifestSchema } from '../src/manifest/schema.js';
import type { Manifest } from '../src/manifest/types.js';
import { compareModes, recordCodemodRun } from './codemod-run.js';
import { printTable } from './measure.js';

const FILES = Number(process.env.FILES ?? 2000);
const READERS = Number(process.env.READERS ?? 0.15);
const URI = 's3://lake/play-events/v1/';

function sparkJob(i: number): string {
  return `"""Job ${i}: plays per user and country (user_id in a docstring stays)."""
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

EVENTS = "${URI}"
USERS = "s3://lake/users/v3/"


def run(spark: SparkSession, day: str):
    events = spark.read.format("avro").load(EVENTS)
    users = spark.read.parquet(USERS).select("user_id", "country")
    plays = (
        events.where(F.col("ts") >= F.lit(day))
        .filter(F.col("legacy_flag").isNull())
        .select("event_id", "user_id", "ts", F.col("amount"))
    )
    per_user = plays.groupBy("user_id").agg(F.count("*").alias("plays"), F.sum("amount").alias("total"))
    ranked = per_user.orderBy(F.col("total").desc()).limit(${(i % 90) + 10})
    joined = ranked.join(users, ranked.userId == users.user_id, "left")
    return joined.select("plays", "total", "country")


def explain(spark: SparkSession):
    df = spark.read.format("avro").load(EVENTS)
    df.printSchema()
    return df.select("user_id").distinct().count()
`;
}

function pandasScript(i: number): string {
  return `# script ${i}: a daily extract on pandavro
import pandavro as pdx
import pandas as pd

frame = pdx.read_avro("${URI}dt=2026-12-0${i % 9}/part-0.avro")
frame = frame[frame["amount"] > ${i % 100}]
top = frame.sort_values(by=["user_id", "ts"]).drop_duplicates(subset=["user_id"])
top[["user_id", "amount"]].to_csv("out/top_${i}.csv", index=False)
users = pd.read_csv("users.csv")
print(users["user_id"].nunique(), len(top))
`;
}

function polarsNotebook(i: number): string {
  return `import polars as pl

df = pl.read_avro("${URI}part-${i}.avro", columns=["user_id", "ts", "amount"])
summary = (
    df.filter(pl.col("amount") > ${i % 50})
    .group_by("user_id")
    .agg(pl.col("amount").sum().alias("total"))
    .sort("total", descending=True)
)
print(summary.head(10))
print(df.user_id.n_unique())
`;
}

function unrelated(i: number): string {
  const lines = [
    `"""Module ${i}: helpers for another dataset; its user_id columns are its own."""`,
    'import pandas as pd',
    '',
    '',
    `def load_accounts_${i}(path: str) -> pd.DataFrame:`,
    '    accounts = pd.read_parquet(path, columns=["user_id", "plan", "signup_date"])',
    '    accounts = accounts[accounts["plan"] != "free"]',
    '    return accounts.sort_values("user_id")',
    '',
  ];
  for (let k = 0; lines.length < 40; k++) lines.push(`# note ${k}: amounts are in cents, one row per account`);
  return `${lines.join('\n')}\n`;
}

function generate(dir: string, readers: number): { readers: number } {
  for (const d of ['jobs', 'scripts', 'notebooks', 'lib']) mkdirSync(join(dir, d), { recursive: true });
  const every = readers >= 1 ? 1 : Math.max(1, Math.round(1 / readers));
  let n = 0;
  for (let i = 0; i < FILES; i++) {
    if (i % every !== 0) {
      writeFileSync(join(dir, 'lib', `accounts_${i}.py`), unrelated(i));
      continue;
    }
    n++;
    if (i % 3 === 0) writeFileSync(join(dir, 'jobs', `job_${i}.py`), sparkJob(i));
    else if (i % 3 === 1) writeFileSync(join(dir, 'scripts', `extract_${i}.py`), pandasScript(i));
    else writeFileSync(join(dir, 'notebooks', `nb_${i}.py`), polarsNotebook(i));
  }
  return { readers: n };
}

function manifest(mode: string): Manifest {
  return manifestSchema.parse({
    apiVersion: 'fleetwave/v1',
    kind: 'DatasetMigration',
    metadata: { name: 'bench', owner: 'bench' },
    dataset: {
      source: { uri: URI, format: 'avro' },
      target: { uri: 's3://lake/play-events/v2/', format: 'parquet' },
      transform: [{ rename: { from: 'user_id', to: 'userId' } }, { drop: 'legacy_flag' }],
      gate: 'none',
    },
    consumers: { discover: [{ repos: ['acme/bench'] }] },
    changes: mode === 'python' ? [{ python: {} }] : [{ replace: { from: URI, to: 's3://lake/play-events/v2/', files: ['**/*.py'] } }],
  });
}

async function child(mode: string, dir: string): Promise<void> {
  // Start-up, the same for both modes: the engine's modules, the parser and one parse.
  (await parsePython('x = 1\n'))?.delete();
  await recordCodemodRun(dir, mode, () => new CodemodEngine().compute({ manifest: manifest(mode), repo: 'acme/bench', dir }));
}

function parent(): void {
  const rows = compareModes({
    script: fileURLToPath(import.meta.url),
    shares: [READERS, 1],
    modes: ['python', 'replace'],
    generate: (dir, share) => ({ ...generate(dir, share), described: `a Python repository of ${FILES} modules` }),
    files: FILES,
    size: { files: FILES },
  });
  printTable(rows);
  console.log('goal: python ≥ 500 files/s, peak RSS ≤ 400 MiB');
}

const [mode, dir] = process.argv.slice(2);
if (mode === 'generate' && dir) generate(dir, READERS);
else if (mode && dir) await child(mode, dir);
else parent();

/**
 * Property: applying the python rule twice equals applying it once, over seeded random scripts built
 * from the shapes the rule follows (readers by URI, path name or table; PySpark, pandas and polars
 * chains; subscripts, column lists, attributes, keywords, col(); another dataset's frame with the same
 * column; comments, docstrings, SQL strings). Also on every script: the result still parses, the other
 * frame's "user_id" is never touched, and the result names only the new location. Seeded (mulberry32),
 * so a failure repeats.
 */
import { describe, expect, it } from '@jest/globals';
import { parsePython } from '../../../src/codemod/python/parser.js';
import { runPython } from '../../../src/codemod/rules/python.js';
import type { TransformStep } from '../../../src/data/transform/schema.js';
import { pythonParams } from '../../../src/manifest/change-rules.js';
import { mulberry32 } from '../../../src/simulate/prng.js';

const transform: TransformStep[] = [{ rename: { from: 'user_id', to: 'userId' } }, { drop: 'legacy_flag' }];

function script(random: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const read = pick([
    'spark.read.format("avro").load("s3://lake/play-events/v1/")',
    'spark.read.load(EVENTS, format="avro")',
    'spark.table("analytics.events.play_events_v1")',
    'pl.read_avro("s3://lake/play-events/v1/part-0.avro")',
    'pl.scan_parquet("s3://lake/play-events/v2/")',
    'pd.read_parquet("s3://lake/play-events/v1/", columns=["user_id", "ts"])',
  ]);
  const op = () =>
    pick([
      '.select("user_id", "ts")',
      '.filter(F.col("user_id") > 0)',
      '.groupBy("user_id").agg(F.count("*").alias("n"))',
      '.sort_values(by=["user_id"])',
      '.drop_duplicates(subset=["user_id"])',
      '.rename(columns={"user_id": "uid"})',
      '.where("user_id > 10")',
      '.head(5)',
      '.select(pl.col("user_id"))',
    ]);
  const use = () =>
    pick([
      'print(df["user_id"])',
      'print(df.user_id)',
      'print(df[["user_id", "ts"]])',
      'print(other["user_id"], other.user_id)',
      '# user_id stays in a comment',
      '"""user_id in a docstring"""',
      'x = df.join(other, on="user_id")',
    ]);
  const lines = [
    'import polars as pl',
    'import pandas as pd',
    'from pyspark.sql import functions as F',
    'EVENTS = "s3://lake/play-events/v1/"',
    'other = pd.read_csv("users.csv")',
    `df = ${read}${Array.from({ length: Math.floor(random() * 3) }, op).join('')}`,
    ...Array.from({ length: 1 + Math.floor(random() * 4) }, use),
  ];
  return `${lines.join('\n')}\n`;
}

async function apply(text: string): Promise<string> {
  const out = await runPython(pythonParams.parse({}), {
    migration: 'm',
    dataset: {
      transform,
      source: { uri: 's3://lake/play-events/v1/', format: 'avro', table: 'analytics.events.play_events_v1' },
      target: { uri: 's3://lake/play-events/v2/', format: 'parquet', table: 'analytics.events.play_events_v2' },
    },
    repo: 'acme/x',
    dir: '/nonexistent',
    paths: ['job.py'],
    read: () => text,
  });
  return out.files.get('job.py') ?? text;
}

describe('the python rule, as a property', () => {
  it('applying it twice equals applying it once, and the result parses, moves every read and leaves the other frame alone', async () => {
    const random = mulberry32(20261207);
    for (let i = 0; i < 200; i++) {
      const before = script(random);
      const once = await apply(before);
      const twice = await apply(once);
      expect({ i, twice }).toEqual({ i, twice: once });
      const tree = await parsePython(once);
      expect({ i, error: tree?.rootNode.hasError }).toEqual({ i, error: false });
      tree?.delete();
      expect({ i, old: once.includes('play-events/v1') || once.includes('play_events_v1') }).toEqual({ i, old: false });
      expect(once).toContain('other = pd.read_csv("users.csv")');
      if (before.includes('print(other["user_id"], other.user_id)')) expect(once).toContain('print(other["user_id"], other.user_id)');
    }
  });
});

/**
 * The `python` rule in memory (src/codemod/rules/python.ts): each construct it follows, what it must
 * leave alone, its findings at file:line:col, and a second run that changes nothing.
 */
import { describe, expect, it } from '@jest/globals';
import { runPython } from '../../../src/codemod/rules/python.js';
import type { RepoRuleOutput } from '../../../src/codemod/rules/rule.js';
import type { TransformStep } from '../../../src/data/transform/schema.js';
import { pythonParams } from '../../../src/manifest/change-rules.js';

const transform: TransformStep[] = [
  { rename: { from: 'user_id', to: 'userId' } },
  { drop: 'legacy_flag' },
  { cast: { field: 'amount', to: { type: 'decimal', precision: 12, scale: 2 } } },
];

function run(files: Record<string, string>, table = true): Promise<RepoRuleOutput> {
  const map = new Map(Object.entries(files));
  return runPython(pythonParams.parse({}), {
    migration: 'm',
    dataset: {
      transform,
      source: { uri: 's3://lake/play-events/v1/', format: 'avro', ...(table ? { table: 'analytics.events.play_events_v1' } : {}) },
      target: { uri: 's3://lake/play-events/v2/', format: 'parquet', ...(table ? { table: 'analytics.events.play_events_v2' } : {}) },
    },
    repo: 'acme/x',
    dir: '/nonexistent',
    paths: [...map.keys()].sort(),
    read: (p) => map.get(p),
  });
}

async function after(text: string): Promise<{ text: string; out: RepoRuleOutput }> {
  const out = await run({ 'job.py': text });
  return { text: out.files.get('job.py') ?? text, out };
}

describe('the python rule', () => {
  it('follows a frame through assignments and chains: subscripts, column lists, attributes, keywords, dict keys', async () => {
    const { text } = await after(
      [
        'import pandas as pd',
        'df = pd.read_parquet("s3://lake/play-events/v1/", columns=["user_id", "ts"])',
        'df2 = df[df["user_id"] > 0]',
        'pairs = df2[["user_id", "ts"]].sort_values(by=["user_id"]).rename(columns={"user_id": "uid"})',
        'print(df2.user_id.nunique(), df.groupby("user_id").agg({"user_id": "count"}))',
      ].join('\n'),
    );
    expect(text).toBe(
      [
        'import pandas as pd',
        'df = pd.read_parquet("s3://lake/play-events/v2/", columns=["userId", "ts"])',
        'df2 = df[df["userId"] > 0]',
        'pairs = df2[["userId", "ts"]].sort_values(by=["userId"]).rename(columns={"userId": "uid"})',
        'print(df2.userId.nunique(), df.groupby("userId").agg({"userId": "count"}))',
      ].join('\n'),
    );
  });

  it('never touches a same-named column of another frame, a comment, or a string that is no column', async () => {
    const source = [
      'import pandas as pd',
      'users = pd.read_parquet("s3://lake/users/")',
      'events = pd.read_parquet("s3://lake/play-events/v1/")',
      '# user_id is the key',
      'print(users["user_id"], users.user_id, users.select("user_id"))',
      'print(events["user_id"])',
    ].join('\n');
    const { text, out } = await after(source);
    expect(text).toBe(source.replace('play-events/v1/', 'play-events/v2/').replace('events["user_id"]', 'events["userId"]'));
    expect(out.findings).toEqual([]);
  });

  it('moves a table read (spark.table, spark.read.table) and switches the reader to Parquet: format() and format=', async () => {
    const { text } = await after(
      [
        'a = spark.table("analytics.events.play_events_v1").select("user_id")',
        'b = spark.read.load("s3://lake/play-events/v1/dt=2026-12-07/", format="avro")',
        'c = spark.read.format("avro").load(PATH)',
        'PATH = "s3://lake/play-events/v1/"',
      ].join('\n'),
    );
    expect(text).toBe(
      [
        'a = spark.table("analytics.events.play_events_v2").select("userId")',
        'b = spark.read.load("s3://lake/play-events/v2/dt=2026-12-07/", format="parquet")',
        'c = spark.read.format("parquet").load(PATH)',
        'PATH = "s3://lake/play-events/v2/"',
      ].join('\n'),
    );
  });

  it('blocks a read of a dropped column at file:line:col and warns on a cast column, a SQL string, a join key and a written column', async () => {
    const { text, out } = await after(
      [
        'from pyspark.sql import functions as F',
        'df = spark.read.parquet("s3://lake/play-events/v1/")',
        'x = df.select("legacy_flag", F.col("amount"))',
        'y = df.filter("user_id > 10")',
        'z = df.join(users, on="user_id")',
        'w = df.withColumn("user_id", F.lit(1))',
      ].join('\n'),
    );
    expect(text).toContain('F.col("amount")');
    expect(text).toContain('df.filter("user_id > 10")');
    expect(text).toContain('on="user_id"');
    const said = out.findings.map((f) => `${f.severity} ${f.message}`);
    expect(said).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^blocking python: job\.py:3:16: reads the column legacy_flag, which the migration drops/),
        expect.stringMatching(/^warning python: job\.py:3:37: reads the column amount, cast to /),
        expect.stringMatching(
          /^warning python: job\.py:4:15: mentions user_id \(renamed to userId by dataset\.transform\[0\]\) in a string Fleetwave cannot read/,
        ),
        expect.stringMatching(
          /^warning python: job\.py:5:23: joins on user_id, which the migration renames to userId on the dataset's side only/,
        ),
        expect.stringMatching(/^warning python: job\.py:6:19: writes the column user_id/),
      ]),
    );
    expect(out.findings.filter((f) => f.severity === 'blocking')).toHaveLength(1);
  });

  it('a file that does not parse is a warning naming where, never a crash; a file that does not name the dataset is not read', async () => {
    const out = await run({ 'bad.py': 'df = pd.read_parquet("s3://lake/play-events/v1/"\nif x\n', 'other.py': 'def (:\n' });
    expect(out.files.size).toBe(0);
    expect(out.findings).toEqual([
      expect.objectContaining({
        severity: 'warning',
        file: 'bad.py',
        message: expect.stringMatching(/^python: bad\.py:\d+:\d+: does not parse as Python 3/),
      }),
    ]);
  });

  it('keeps the rest of the file byte for byte (non-ASCII text before an edit included) and a second run changes nothing', async () => {
    const inputs = [
      '# café ☕ — données\nimport polars as pl\nf = pl.read_avro("s3://lake/play-events/v1/x.avro")\nprint(f["user_id"], "é")\n',
      'df = spark.read.format("avro").load("s3://lake/play-events/v1/")\ndf.select("user_id").show()\n',
      'import polars as pl\nq = pl.scan_parquet("s3://lake/play-events/v2/").select(pl.col("user_id"))\n',
    ];
    for (const input of inputs) {
      const once = await after(input);
      const twice = await after(once.text);
      expect(twice.text).toBe(once.text);
      expect(twice.out.files.size).toBe(0);
    }
    expect((await after(inputs[0]!)).text).toBe(
      '# café ☕ — données\nimport polars as pl\nf = pl.read_parquet("s3://lake/play-events/v2/x.parquet")\nprint(f["userId"], "é")\n',
    );
    // Code already reading the new dataset under an old column name is carried too.
    expect((await after(inputs[2]!)).text).toContain('pl.col("userId")');
  });

  it('follows a frame through conversions (DuckDB .df(), .toPandas()); a name made from the dataset that is not followed is said, not skipped', async () => {
    const { text, out } = await after(
      [
        'plays = con.table("analytics.events.play_events_v1").df()',
        'print(plays["user_id"])',
        'rows = helper(spark.read.parquet("s3://lake/play-events/v1/"))',
        'print(rows["user_id"])',
      ].join('\n'),
    );
    expect(text.split('\n')[1]).toBe('print(plays["userId"])');
    expect(out.findings).toEqual([
      expect.objectContaining({
        severity: 'warning',
        line: 4,
        message: expect.stringContaining('job.py:4:12: the string "user_id" may name the column'),
      }),
    ]);
  });

  it('a file of the dataset keeps its name with the new format: part-0.avro becomes part-0.parquet, *.avro globs *.parquet', async () => {
    const { text } = await after(
      'import polars as pl\na = pl.read_avro("s3://lake/play-events/v1/part-0.avro")\nb = pl.read_avro("s3://lake/play-events/v1/*.avro")\n',
    );
    expect(text).toBe(
      'import polars as pl\na = pl.read_parquet("s3://lake/play-events/v2/part-0.parquet")\nb = pl.read_parquet("s3://lake/play-events/v2/*.parquet")\n',
    );
  });

  it('a column renamed to a Python keyword is read by subscript: df.klass becomes df["class"]', async () => {
    const out = await runPython(pythonParams.parse({}), {
      migration: 'm',
      dataset: {
        transform: [{ rename: { from: 'klass', to: 'class' } }],
        source: { uri: 's3://lake/play-events/v1/', format: 'parquet' },
        target: { uri: 's3://lake/play-events/v2/', format: 'parquet' },
      },
      repo: 'acme/x',
      dir: '/nonexistent',
      paths: ['job.py'],
      read: () => 'df = pd.read_parquet("s3://lake/play-events/v1/")\nprint(df.klass.nunique(), df["klass"])\n',
    });
    expect(out.files.get('job.py')).toBe('df = pd.read_parquet("s3://lake/play-events/v2/")\nprint(df["class"].nunique(), df["class"])\n');
    expect(out.findings).toEqual([]);
  });
});

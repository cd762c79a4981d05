/**
 * Impact analysis of Python (issue 17, deliver 4): the python rule's analysis on the consumer as the
 * pull request leaves it — the table or location a frame comes from decides, not a column's name.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { analyzeImpact } from '../../src/codemod/impact.js';
import { CodemodEngine } from '../../src/codemod/engine.js';
import { manifestWith, removeDir, tempDir, writeTree } from './helpers.js';

const temps: string[] = [];
afterAll(() => temps.forEach(removeDir));

function consumer(files: Record<string, string>): string {
  const dir = tempDir('fw-impact-py-');
  temps.push(dir);
  writeTree(dir, files);
  return dir;
}

const dataset = {
  source: { uri: 's3://lake/play-events/v1/', format: 'avro', table: 'analytics.events.play_events_v1' },
  target: { uri: 's3://lake/play-events/v2/', format: 'parquet', table: 'analytics.events.play_events_v2' },
  transform: [{ rename: { from: 'user_id', to: 'userId' } }, { drop: 'legacy_flag' }],
};
const where = (fs: { file?: string; line?: number; field?: string; severity: string }[]) =>
  fs.filter((f) => f.severity !== 'info').map((f) => [f.file, f.line, f.field, f.severity]);

const job = [
  'from pyspark.sql import functions as F',
  'events = spark.table("analytics.events.play_events_v1")',
  'users = spark.table("analytics.users.profiles")',
  'flags = events.select("user_id", "legacy_flag")',
  'print(users.select("legacy_flag", "user_id"))',
  '',
].join('\n');

describe('Python impact analysis', () => {
  it("blocks the dataset's dropped and not-rewritten columns only; another table's same-named column is no read", async () => {
    const findings = await analyzeImpact({ dir: consumer({ 'jobs/job.py': job }), manifest: manifestWith([], dataset) });
    expect(where(findings)).toEqual([
      ['jobs/job.py', 2, undefined, 'warning'],
      ['jobs/job.py', 4, 'legacy_flag', 'blocking'],
      ['jobs/job.py', 4, 'user_id', 'blocking'],
    ]);
    expect(findings.find((f) => f.field === 'user_id')!.message).toContain(
      'jobs/job.py:4:24: reads the column user_id, renamed to userId by dataset.transform[0], under its old name',
    );
  });

  it('after the python rule, the renamed read is gone, the reader of the new location is Parquet and the dropped read is said once', async () => {
    const dir = consumer({
      'jobs/job.py': job,
      'jobs/by_hand.py': 'df = spark.read.format("avro").load("s3://lake/play-events/v2/")\n',
    });
    const manifest = manifestWith([{ python: {} }], dataset);
    const changes = await new CodemodEngine().compute({ manifest, repo: 'acme/x', dir });
    expect(changes.edits.map((e) => e.path)).toEqual(['jobs/by_hand.py', 'jobs/job.py']);
    expect(where(changes.findings)).toEqual([['jobs/job.py', 4, 'legacy_flag', 'blocking']]);
    expect(where(await analyzeImpact({ dir, manifest, changes }))).toEqual([]);
  });

  it('without the python rule, an Avro reader of the new location blocks; one of the old location is a warning', async () => {
    const dir = consumer({
      'jobs/by_hand.py':
        'df = spark.read.format("avro").load("s3://lake/play-events/v2/")\nold = spark.read.format("avro").load("s3://lake/play-events/v1/")\n',
    });
    const findings = await analyzeImpact({ dir, manifest: manifestWith([], dataset) });
    expect(where(findings)).toEqual([
      ['jobs/by_hand.py', 1, undefined, 'blocking'],
      ['jobs/by_hand.py', 2, undefined, 'warning'],
    ]);
    expect(findings.find((f) => f.severity === 'blocking')!.message).toContain('jobs/by_hand.py:1:25: reads the dataset as Avro');
  });
});

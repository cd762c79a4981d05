/** The verification report as Markdown (job summary, PR body): its differing-rows section counts honestly. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyDataset } from '../../src/data/verify/verify.js';
import { renderVerificationMarkdown } from '../../src/report/verification-markdown.js';
import { expectedTargetRows, sourceRows, steps, writeSource, writeTarget } from '../data/verify/fixtures.js';

let dir: string;
let source: string;
let target: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fw-verify-md-'));
  source = join(dir, 'source.avro');
  const rows = sourceRows(40);
  await writeSource(source, rows);
  const changed = expectedTargetRows(rows);
  changed[7] = { ...changed[7]!, userId: 'someone-else' };
  target = join(dir, 'target.parquet');
  writeTarget(target, changed);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('verification Markdown', () => {
  it('with a key: one changed row is one differing row, shown once', async () => {
    const md = renderVerificationMarkdown(await verifyDataset(source, target, { transform: steps, key: 'event_id', sample: 10 }));
    expect(md).toMatch(/#### Differing rows \(1 found among \d+ rows compared; 1 shown\)/);
    expect(md).toContain('someone-else');
    expect(md).not.toContain('Without a `verify.key`');
  });

  it('without a key: the changed row is counted once and the missing + extra pair is explained', async () => {
    const md = renderVerificationMarkdown(await verifyDataset(source, target, { transform: steps, sample: 10 }));
    expect(md).toMatch(/#### Differing rows \(1 found among \d+ rows compared; 2 shown\)/);
    expect(md).toContain('Without a `verify.key`, a changed row shows as one row missing in the target and one extra row.');
  });
});

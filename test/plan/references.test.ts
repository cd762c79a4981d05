import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countReferences, oldDatasetNeedles } from '../../src/plan/references.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('countReferences', () => {
  it('counts every occurrence in text files, skipping node_modules, .git and binaries', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleetwave-refs-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'src'));
    mkdirSync(join(dir, 'node_modules'));
    writeFileSync(join(dir, 'src', 'a.ts'), "const a = 'data/ev/v1/x'; const b = 'data/ev/v1';\n");
    writeFileSync(join(dir, 'q.sql'), 'select * from data/ev/v1\n');
    writeFileSync(join(dir, 'node_modules', 'dep.js'), 'data/ev/v1');
    writeFileSync(join(dir, 'blob.bin'), Buffer.from([0, 1, 2, ...Buffer.from('data/ev/v1')]));
    expect(await countReferences(dir, oldDatasetNeedles('data/ev/v1/'))).toBe(3);
    expect(await countReferences(dir, oldDatasetNeedles('data/other/'))).toBe(0);
  });
});

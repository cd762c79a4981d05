/**
 * Issue #14: a consumer's checkout is untrusted. A symbolic link in it (`config.ts -> /etc/passwd`, a
 * folder linked out of the checkout) must not bring an outside file's text into a codemod, a finding
 * or a diff: repo-files reads nothing through a link that leaves the checkout, and no link at all as a
 * file of its own (links that stay inside are left as they are; the file they point to is read).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CodemodEngine } from '../../src/codemod/engine.js';
import { listRepoFiles, readTextFile } from '../../src/codemod/repo-files.js';
import { manifestWith, tempDir } from '../codemod/helpers.js';

let dir: string;
let checkout: string;
const SECRET = "export const secret = 'data/play-events/v1 root:x:0:0 do-not-leak';\n";

beforeAll(() => {
  dir = tempDir('fleetwave-consumer-symlinks-');
  checkout = join(dir, 'checkout');
  const outside = join(dir, 'outside');
  mkdirSync(join(checkout, 'lib'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.ts'), SECRET);
  writeFileSync(join(checkout, 'lib', 'app.ts'), "export const uri = 'data/play-events/v1';\n");
  symlinkSync(join(outside, 'secret.ts'), join(checkout, 'config.ts'));
  symlinkSync(outside, join(checkout, 'src'));
  symlinkSync('app.ts', join(checkout, 'lib', 'alias.ts'));
  symlinkSync('lib', join(checkout, 'lib-alias'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a consumer's symbolic links", () => {
  it('are not listed, and a folder that is a link is not entered', () => {
    expect(listRepoFiles(checkout).paths).toEqual(['lib/app.ts']);
  });

  it('a link to an outside file, or a file in a folder linked out of the checkout, is not read', () => {
    expect(readTextFile(checkout, 'config.ts')).toBeUndefined();
    expect(readTextFile(checkout, 'src/secret.ts')).toBeUndefined();
    expect(readTextFile(checkout, '../outside/secret.ts')).toBeUndefined();
  });

  it('a link that stays inside is not read as a file of its own either; the real file is', () => {
    expect(readTextFile(checkout, 'lib/alias.ts')).toBeUndefined();
    expect(readTextFile(checkout, 'lib/app.ts')).toContain('data/play-events/v1');
    // A folder linked inside: its real path is inside, so the file is read (and written under its real path only).
    expect(readTextFile(checkout, 'lib-alias/app.ts')).toContain('data/play-events/v1');
  });

  it("a codemod's change set and findings never carry the outside file's text", async () => {
    const manifest = manifestWith([{ replace: { from: 'data/play-events/v1', to: 'data/play-events/v2', files: ['**/*.ts'] } }]);
    const changes = await new CodemodEngine().compute({ manifest, repo: 'acme/recs', dir: checkout });
    expect(changes.edits.map((e) => e.path)).toEqual(['lib/app.ts']);
    expect(JSON.stringify(changes)).not.toContain('do-not-leak');
  });
});

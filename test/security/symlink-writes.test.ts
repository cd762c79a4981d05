/**
 * Issue #14: writing a change set into a consumer's checkout never follows a symbolic link out of it.
 * A checkout whose `src` is a link to another folder took a codemod's write anywhere the user could.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeEditsAtomically } from '../../src/codemod/write-edits.js';
import { StateError } from '../../src/util/errors.js';

let dir: string;
let checkout: string;
let outside: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fleetwave-symlink-writes-'));
  checkout = join(dir, 'checkout');
  outside = join(dir, 'outside');
  mkdirSync(join(checkout, 'lib'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(outside, 'target.ts'), 'outside\n');
  writeFileSync(join(checkout, 'lib', 'a.ts'), 'a\n');
  symlinkSync(outside, join(checkout, 'src'));
  symlinkSync(join(outside, 'target.ts'), join(checkout, 'lib', 'linked.ts'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function refusal(edits: Parameters<typeof writeEditsAtomically>[1]): Error {
  try {
    writeEditsAtomically(checkout, edits);
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a refusal');
}

describe('writes into a checkout', () => {
  it('refuse a file in a folder that is a symbolic link out of the checkout, writing nothing at all', () => {
    const err = refusal([
      { path: 'lib/a.ts', before: 'a\n', after: 'A\n' },
      { path: 'src/target.ts', before: 'outside\n', after: 'pwned\n' },
    ]);
    expect(err).toBeInstanceOf(StateError);
    expect(err.message).toMatch(
      /^src\/target\.ts: its folder is a symbolic link to .*outside, outside the checkout; .*never through a symbolic link/,
    );
    expect(readFileSync(join(outside, 'target.ts'), 'utf8')).toBe('outside\n');
    expect(readFileSync(join(checkout, 'lib', 'a.ts'), 'utf8')).toBe('a\n');
    expect(readdirSync(outside)).toEqual(['target.ts']);
  });

  it('refuse a new file through a linked folder, a file that is itself a link, and a path with ..', () => {
    expect(refusal([{ path: 'src/new.ts', before: null, after: 'x' }]).message).toMatch(/symbolic link to/);
    expect(existsSync(join(outside, 'new.ts'))).toBe(false);
    expect(refusal([{ path: 'lib/linked.ts', before: 'outside\n', after: 'x' }]).message).toMatch(/lib\/linked\.ts: it is a symbolic link/);
    expect(readFileSync(join(outside, 'target.ts'), 'utf8')).toBe('outside\n');
    expect(refusal([{ path: '../outside/target.ts', before: 'outside\n', after: 'x' }]).message).toMatch(/leaves the checkout/);
  });

  it('still write, create and delete regular files inside the checkout', () => {
    writeEditsAtomically(checkout, [
      { path: 'lib/a.ts', before: 'a\n', after: 'A\n' },
      { path: 'lib/b.ts', before: null, after: 'B\n' },
    ]);
    expect(readFileSync(join(checkout, 'lib', 'a.ts'), 'utf8')).toBe('A\n');
    writeEditsAtomically(checkout, [{ path: 'lib/b.ts', before: 'B\n', after: null }]);
    expect(existsSync(join(checkout, 'lib', 'b.ts'))).toBe(false);
    expect(readdirSync(join(checkout, 'lib')).sort()).toEqual(['a.ts', 'linked.ts']);
  });
});

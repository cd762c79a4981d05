/**
 * The repository's own packages, resolved as a workspace install links them (issue 18, deliver 2:
 * real configurations in a checkout without node_modules). Entries as Node documents them for
 * package.json `exports` (https://nodejs.org/api/packages.html#package-entry-points: subpaths,
 * `*` patterns, conditions) and TypeScript for `types`.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { WorkspacePackages } from '../../../src/codemod/ts/workspace-packages.js';
import { removeDir, tempDir, writeTree } from '../helpers.js';

const temps: string[] = [];
afterAll(() => temps.forEach(removeDir));

function packages(files: Record<string, string>): { dir: string; ws: WorkspacePackages } {
  const dir = tempDir('fw-workspaces-');
  temps.push(dir);
  writeTree(dir, files);
  return { dir, ws: new WorkspacePackages(dir, existsSync) };
}

describe('WorkspacePackages', () => {
  it('follows exports subpaths, patterns and conditions, preferring the types condition', () => {
    const { dir, ws } = packages({
      'packages/core/package.json': JSON.stringify({
        name: '@acme/core',
        exports: {
          '.': { import: './src/index.ts', types: './src/types.ts' },
          './utils/*': './src/utils/*.ts',
          './fs': { node: './src/fs-node.ts', browser: './src/fs-browser.ts' },
        },
      }),
      'packages/core/src/index.ts': '',
      'packages/core/src/types.ts': '',
      'packages/core/src/utils/strings.ts': '',
      'packages/core/src/fs-node.ts': '',
      'packages/core/src/fs-browser.ts': '',
    });
    expect(ws.resolve('@acme/core')).toBe(join(dir, 'packages/core/src/types.ts'));
    expect(ws.resolve('@acme/core/utils/strings')).toBe(join(dir, 'packages/core/src/utils/strings.ts'));
    expect(ws.resolve('@acme/core/fs')).toBe(join(dir, 'packages/core/src/fs-node.ts'));
    expect(ws.resolve('@acme/core/missing')).toBeUndefined();
  });

  it('looks up build output that is not checked in as its source, and falls back to src/index', () => {
    const { dir, ws } = packages({
      'libs/models/package.json': JSON.stringify({ name: 'models', main: './dist/index.js', types: './dist/index.d.ts' }),
      'libs/models/src/index.ts': '',
      'libs/plain/package.json': JSON.stringify({ name: 'plain' }),
      'libs/plain/src/index.ts': '',
      'libs/plain/src/deep/file.ts': '',
    });
    expect(ws.resolve('models')).toBe(join(dir, 'libs/models/src/index.ts'));
    expect(ws.resolve('plain')).toBe(join(dir, 'libs/plain/src/index.ts'));
    expect(ws.resolve('plain/deep/file')).toBe(join(dir, 'libs/plain/src/deep/file.ts'));
  });

  it('names nothing outside the repository: dependencies, node_modules and unnamed folders', () => {
    const { ws } = packages({
      'package.json': JSON.stringify({ name: 'root-app', main: 'index.ts' }),
      'index.ts': '',
      'node_modules/react/package.json': JSON.stringify({ name: 'react', main: 'index.js' }),
      'node_modules/react/index.js': '',
      'tools/package.json': '{ not json',
    });
    expect(ws.resolve('react')).toBeUndefined();
    expect(ws.resolve('@scope')).toBeUndefined();
    expect(ws.resolve('root-app')).toMatch(/index\.ts$/);
  });
});

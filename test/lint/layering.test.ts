/**
 * The layering check that `npm run lint` runs (`lint:deps`: dependency-cruiser with
 * .dependency-cruiser.mjs), exactly as the script runs it, on a small tree planted with one
 * violation of each rule: it must report each of them, and nothing in the same tree that the rules
 * allow. So the check cannot silently stop
 * working (a renamed folder, a regex that no longer matches, type-only imports no longer seen).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const scripts = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).scripts as Record<string, string>;

/** A file of the planted tree: path under the temp root → its source. */
type Tree = Record<string, string>;

/** Allowed imports, and one module each rule may not see: none of these may be reported. */
const allowed: Tree = {
  'src/forge/port.ts': 'export interface Forge { name: string }\n',
  'src/forge/github/client.ts': "import type { Forge } from '../port.js';\nexport const github = (): Forge => ({ name: 'github' });\n",
  'src/store/sqlite/store.ts': 'export const openStore = () => ({});\n',
  'src/metrics/registry.ts': 'export const counter = () => 0;\n',
  'src/manifest/schema.ts': "import type { Forge } from '../forge/port.js';\nexport type Manifest = { forge?: Forge };\n",
  'src/cli/main.ts':
    "import { github } from '../forge/github/client.js';\nimport { openStore } from '../store/sqlite/store.js';\nimport { counter } from '../metrics/registry.js';\nexport const main = () => [github(), openStore(), counter()];\n",
  'src/rollout/reconcile.ts': "import { openStore } from '../store/sqlite/store.js';\nexport const tick = () => openStore();\n",
};

/** One violation of each rule: the rule's name, and the module (one of `from`) it is reported from. */
const violations: Array<{ rule: string; from: string[]; tree: Tree }> = [
  {
    rule: 'no-circular',
    from: ['src/plan/waves.ts', 'src/plan/tiers.ts'],
    tree: {
      'src/plan/waves.ts': "import type { Tier } from './tiers.js';\nexport type Wave = { tier: Tier };\n",
      'src/plan/tiers.ts': "import type { Wave } from './waves.js';\nexport type Tier = { first?: Wave };\n",
    },
  },
  {
    rule: 'core-imports-no-adapter',
    from: ['src/codemod/engine.ts'],
    tree: { 'src/codemod/engine.ts': "import { github } from '../forge/github/client.js';\nexport const engine = () => github();\n" },
  },
  {
    rule: 'core-imports-no-adapter',
    from: ['src/rollout/breaker.ts'],
    tree: {
      'src/rollout/breaker.ts': "import type { openStore } from '../store/sqlite/store.js';\nexport type Open = typeof openStore;\n",
    },
  },
  {
    rule: 'core-imports-no-adapter',
    from: ['src/report/demo-verification.ts'],
    tree: {
      'src/demo/lake.ts': 'export const lake = 1;\n',
      'src/report/demo-verification.ts': "import { lake } from '../demo/lake.js';\nexport const shown = lake;\n",
    },
  },
  {
    rule: 'core-imports-no-framework',
    from: ['src/data/convert.ts'],
    tree: { 'src/data/convert.ts': "import type { Probot } from 'probot';\nexport type App = Probot;\n" },
  },
  {
    rule: 'forge-imports-no-metrics',
    from: ['src/forge/github/budget.ts'],
    tree: { 'src/forge/github/budget.ts': "import { counter } from '../../metrics/registry.js';\nexport const spent = () => counter();\n" },
  },
];

let dir: string;

/** Lays `tree` out in a fresh folder beside the real config, tsconfig and node_modules. */
function plant(tree: Tree): string {
  const root = mkdtempSync(join(dir, 'tree-'));
  for (const [path, text] of Object.entries(tree)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  copyFileSync(join(repoRoot, '.dependency-cruiser.mjs'), join(root, '.dependency-cruiser.mjs'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ type: 'module' }));
  writeFileSync(
    join(root, 'tsconfig.json'),
    readFileSync(join(repoRoot, 'tsconfig.json'), 'utf8').replace(/"include":\s*\[[^\]]*\]/, '"include": ["src"]'),
  );
  symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'), 'dir');
  return root;
}

/**
 * The `lint:deps` script as npm runs it, in `root`: its exit status and the violations its report
 * names (`error <rule>: <from> → …`, one per violation).
 */
function lintDeps(root: string): { status: number | null; violations: Array<{ rule: string; from: string }> } {
  const run = spawnSync('sh', ['-c', scripts['lint:deps'] ?? 'false'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${join(repoRoot, 'node_modules', '.bin')}:${process.env.PATH ?? ''}` },
  });
  const output = `${run.stdout}${run.stderr}`;
  if (!/dependencies cruised/.test(output)) throw new Error(`lint:deps did not cruise: ${output}`);
  const violations = [...output.matchAll(/^\s*error ([\w-]+): (\S+)/gm)].map((m) => ({ rule: m[1] ?? '', from: m[2] ?? '' }));
  return { status: run.status, violations };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fleetwave-layering-'));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the layering check in npm run lint', () => {
  it('is part of npm run lint', () => {
    expect(scripts['lint:deps']).toMatch(/^depcruise src --config \.dependency-cruiser\.mjs\b/);
    expect(scripts.lint).toContain('npm run lint:deps');
  });

  it('passes a tree whose imports all follow the rules', () => {
    const result = lintDeps(plant(allowed));
    expect(result.violations).toEqual([]);
    expect(result.status).toBe(0);
  });

  it('reports a planted type-only cycle, core files importing an adapter, a store, the demo and a framework, and a forge importing metrics', () => {
    const tree = Object.assign({}, allowed, ...violations.map((v) => v.tree)) as Tree;
    const result = lintDeps(plant(tree));
    const reported = result.violations.map((v) => `${v.rule} ${v.from}`);
    for (const v of violations) expect(v.from.map((from) => `${v.rule} ${from}`).filter((r) => reported.includes(r))).not.toEqual([]);
    expect(result.violations.every((v) => !(v.from in allowed))).toBe(true);
    expect(result.status).not.toBe(0);
  });
});

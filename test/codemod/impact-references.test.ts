/**
 * Impact analysis finds reads of a dropped field wherever TypeScript's own references find them (issue
 * 18, deliver 3): a model declared as `Base & Readonly<{ … }>`, a monorepo whose root tsconfig is
 * solution-style with `paths`, and a file that reaches the record only through an alias.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { analyzeImpact } from '../../src/codemod/impact.js';
import { manifestWith, removeDir, tempDir, writeTree } from './helpers.js';

const temps: string[] = [];
afterAll(() => temps.forEach(removeDir));

const base = JSON.stringify({
  compilerOptions: { strict: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', types: [] },
});

describe('impact analysis on the reference set', () => {
  it('blocks reads of a dropped field of a Readonly<{…}> model, through a solution-style config and path aliases', async () => {
    const dir = tempDir('fw-impact-refs-');
    temps.push(dir);
    writeTree(dir, {
      'tsconfig.json': JSON.stringify({ files: [], references: [{ path: './packages/models' }, { path: './packages/app' }] }),
      'tsconfig.base.json': base,
      'packages/models/tsconfig.json': JSON.stringify({ extends: '../../tsconfig.base.json', include: ['src'] }),
      'packages/models/src/play-event.ts':
        'export type Base = Readonly<{ id: string }>;\nexport type PlayEvent = Base &\n  Readonly<{\n    user_id: string;\n    legacy_flag: boolean;\n  }>;\nexport type Account = Readonly<{ legacy_flag: boolean }>;\n',
      'packages/models/src/store.ts':
        "import type { PlayEvent } from './play-event';\nconst all: PlayEvent[] = [];\nexport const latest = (): PlayEvent | undefined => all[0];\n",
      'packages/app/tsconfig.json': JSON.stringify({
        extends: '../../tsconfig.base.json',
        compilerOptions: { paths: { '@models/*': ['../models/src/*'] } },
        include: ['src'],
      }),
      'packages/app/src/flags.ts':
        "import type { Account, PlayEvent } from '@models/play-event';\n\nexport const legacy = (e: PlayEvent): boolean => e.legacy_flag;\nexport const other = (a: Account): boolean => a.legacy_flag;\nexport function both({ legacy_flag }: PlayEvent): boolean {\n  return legacy_flag;\n}\n",
      'packages/app/src/latest.ts':
        "import { latest } from '@models/store';\n\n// never names the record type\nexport const lastFlag = (): boolean | undefined => latest()?.legacy_flag;\n",
    });
    const manifest = manifestWith([{ renameField: { type: 'PlayEvent', from: 'user_id', to: 'userId' } }], {
      transform: [{ drop: 'legacy_flag' }],
    });
    const findings = await analyzeImpact({ dir, manifest });
    expect(findings.map((f) => [f.file, f.line, f.field, f.severity])).toEqual([
      ['packages/app/src/flags.ts', 3, 'legacy_flag', 'blocking'],
      ['packages/app/src/flags.ts', 5, 'legacy_flag', 'blocking'],
      ['packages/app/src/latest.ts', 4, 'legacy_flag', 'blocking'],
    ]);
  });
});

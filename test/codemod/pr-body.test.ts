import { describe, expect, it } from '@jest/globals';
import { renderChangesSection } from '../../src/report/pr-body-changes.js';
import { manifestWith } from './helpers.js';

const manifest = manifestWith(
  [
    { renameField: { type: 'PlayEvent', from: 'user_id', to: 'userId' } },
    { replaceString: { from: 'data/play-events/v1', to: 'data/play-events/v2' } },
    { renameImport: { from: 'a', to: 'b' } },
  ],
  { transform: [{ rename: { from: 'user_id', to: 'userId' } }] },
);

describe('PR body: changes, findings, rollback', () => {
  it('says per rule what changed, where, how often and why; lists findings; says how to roll back', () => {
    const md = renderChangesSection(
      {
        edits: [{ path: 'src/a.ts', before: 'x', after: 'y' }],
        summaries: [
          {
            rule: 'renameField',
            description: 'rename field `PlayEvent.user_id` → `PlayEvent.userId`',
            files: [{ path: 'src/a.ts', count: 3 }],
          },
          {
            rule: 'replaceString',
            description: 'replace …',
            files: Array.from({ length: 12 }, (_, i) => ({ path: `src/f${i}.ts`, count: 1 })),
          },
          { rule: 'renameImport', description: 'import a → b', files: [] },
        ],
        findings: [
          {
            severity: 'blocking',
            file: 'src/flags.ts',
            line: 3,
            field: 'legacy_flag',
            message: 'reads `legacy_flag`, which dataset.transform[1] drops from the dataset',
          },
          { severity: 'warning', file: 'src/loose.ts', line: 5, field: 'user_id', message: 'the type could not be resolved' },
          { severity: 'info', file: 'src/client.generated.ts', message: 'generated file left unchanged (it matched `renameField`)' },
        ],
      },
      manifest,
    );
    expect(md).toContain(
      '**renameField** — rename field `PlayEvent.user_id` → `PlayEvent.userId`, because the dataset renames `user_id` to `userId` (dataset.transform[0]): 3 changes in 1 file',
    );
    expect(md).toContain('- `src/a.ts` (3)');
    expect(md).toContain('<details><summary>12 files</summary>');
    expect(md).toContain('because the dataset moves from `data/play-events/v1/` to `data/play-events/v2/`');
    expect(md).toContain('Rules with nothing to change here: `renameImport`.');
    expect(md).toContain('### ⛔ Blocking findings');
    expect(md).toContain('- `src/flags.ts:3` field `legacy_flag`: reads `legacy_flag`, which dataset.transform[1] drops from the dataset');
    expect(md).toContain('- `src/loose.ts:5` field `user_id`: the type could not be resolved');
    expect(md).toContain('Generated files left unchanged (regenerate them): `src/client.generated.ts`.');
    expect(md).toContain('git revert -m 1 <merge-sha>');
  });

  it('says so when no rule changed anything', () => {
    expect(renderChangesSection({ edits: [], summaries: [], findings: [] }, manifest)).toContain('No rule changed a file.');
  });
});

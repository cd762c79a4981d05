/**
 * The import graph that picks a typed rule's files (issue 18, deliver 2 and 5): path aliases and
 * workspace packages are followed, and a file joins only when it imports a name that may carry a value
 * or type of the seed files; on the safe side whenever the text does not say.
 */
import { describe, expect, it } from '@jest/globals';
import { importersClosure } from '../../src/codemod/import-graph.js';

const files = new Map<string, string>([
  ['packages/models/src/play-event.ts', 'export interface PlayEvent {\n  user_id: string;\n}\n'],
  ['packages/models/src/account.ts', 'export interface Account {\n  user_id: string;\n}\n'],
  ['packages/models/src/index.ts', "export * from './play-event';\nexport * from './account';\n"],
  [
    'packages/models/src/store.ts',
    "import type { PlayEvent } from './play-event';\nexport function latest(): PlayEvent | undefined {\n  return undefined;\n}\nexport function count(values: number[]): number {\n  return values.length;\n}\nexport const label = 'events';\n",
  ],
  ['packages/app/src/reach.ts', "import { latest } from '@models/store';\nexport const who = () => latest()?.user_id;\n"],
  ['packages/app/src/numbers.ts', "import { count, label } from '@models/store';\nexport const n = count([1]) + label.length;\n"],
  ['packages/app/src/accounts.ts', "import type { Account } from '@models/index';\nexport const owner = (a: Account) => a.user_id;\n"],
  ['packages/app/src/events.ts', "import type { PlayEvent } from '@models/index';\nexport const listener = (e: PlayEvent) => e.user_id;\n"],
  ['packages/app/src/all.ts', "import * as store from '@models/store';\nexport const x = store.count([]);\n"],
  ['packages/app/src/wrap.ts', "import { latest } from '@models/store';\nexport const last = () => latest();\n"],
  ['packages/app/src/via-wrap.ts', "import { last } from './wrap';\nexport const w = last()?.user_id;\n"],
  ['packages/app/src/legacy.js', "const { latest } = require('../../models/src/store');\nmodule.exports = { l: () => latest() };\n"],
]);

describe('importersClosure', () => {
  it('follows aliases and names that may carry the seed, not primitive-only helpers nor names of other files of a barrel', () => {
    const reach = importersClosure(files, ['packages/models/src/play-event.ts']);
    expect([...reach].sort()).toEqual([
      'packages/app/src/all.ts',
      'packages/app/src/events.ts',
      'packages/app/src/legacy.js',
      'packages/app/src/reach.ts',
      'packages/app/src/via-wrap.ts',
      'packages/app/src/wrap.ts',
      'packages/models/src/index.ts',
      'packages/models/src/play-event.ts',
      'packages/models/src/store.ts',
    ]);
  });

  it("follows a folder's own index imported as '.', '..' or 'x/' (hono's tests import their middleware from '.')", () => {
    const tree = new Map<string, string>([
      [
        'src/mw/request-id/request-id.ts',
        'export type Options = { headerName?: string };\nexport const requestId = (o: Options = {}) => o;\n',
      ],
      ['src/mw/request-id.ts', 'export const sibling = 1;\n'],
      ['src/mw/request-id/index.ts', "export { requestId } from './request-id';\n"],
      ['src/mw/request-id/index.test.ts', "import { requestId } from '.';\nrequestId({ headerName: 'x' });\n"],
      ['src/mw/request-id/deep/use.ts', "import { requestId } from '..';\nrequestId({ headerName: 'y' });\n"],
      ['src/mw/use-slash.ts', "import { requestId } from './request-id/';\nrequestId({ headerName: 'z' });\n"],
    ]);
    const reach = importersClosure(tree, ['src/mw/request-id/request-id.ts']);
    expect([...reach].sort()).toEqual([
      'src/mw/request-id/deep/use.ts',
      'src/mw/request-id/index.test.ts',
      'src/mw/request-id/index.ts',
      'src/mw/request-id/request-id.ts',
      'src/mw/use-slash.ts',
    ]);
  });
});

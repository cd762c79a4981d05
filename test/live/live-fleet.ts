/**
 * The live suite's fleet (test/live/rollout.live.test.ts): the files of the dataset repository and of
 * each consumer, as plain text. Every consumer names the dataset in one file (`src/config.mjs`) that
 * the manifest's `replace` rule rewrites from data/play-events/v1 to v2, and carries a fixture under
 * data/play-events/v1/ only; no other file holds the literal path, so the migration's pull request
 * changes that one file. What each consumer's GitHub Actions CI then does:
 *
 * - `green`: `node --test` checks that the path names a play-events dataset: green before and after.
 * - `red`: `node --test` reads the fixture at the configured path: green on the default branch, red
 *   on the migration's pull request (data/play-events/v2 does not exist there).
 * - `revert`: the pull request's `node --test` is the green one, and a second workflow, run only on
 *   pushes to the default branch, reads the fixture at the configured path: green before the merge,
 *   red on the merge commit. Its pull request merges; its post-merge checks fail within the soak time,
 *   and Fleetwave opens (and merges) a revert pull request.
 */

export type ConsumerKind = 'green' | 'red' | 'revert';

/** The migration's manifest path in the dataset repository, where the App's globs look by default. */
export const MANIFEST_PATH = '.fleetwave/migrations/play-events-v2.yaml';
/** The consumers' dataset, before the migration. */
export const SOURCE_URI = 'data/play-events/v1';

const CONFIG = `// The dataset this service reads (Fleetwave's migration rewrites this line).\nexport const PLAY_EVENTS = '${SOURCE_URI}';\n`;

const GREEN_TEST = `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PLAY_EVENTS } from '../src/config.mjs';

test('the service names a play-events dataset', () => {
  assert.match(PLAY_EVENTS, /^data\\/play-events\\/v\\d+$/);
});
`;

/** Reads the fixture at the configured dataset path: fails once the path names a dataset the repository lacks. */
const READ_DATASET = `import { readFileSync } from 'node:fs';
import { PLAY_EVENTS } from './src/config.mjs';

export function firstEvent() {
  const text = readFileSync(new URL(\`./\${PLAY_EVENTS}/part-0.json\`, import.meta.url), 'utf8');
  return JSON.parse(text);
}
`;

const RED_TEST = `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstEvent } from '../read-dataset.mjs';

test('the service reads its dataset', () => {
  assert.equal(firstEvent().event, 'play');
});
`;

const SMOKE = `import { firstEvent } from './read-dataset.mjs';

// Run after every push to the default branch, as a deployment smoke test would.
if (firstEvent().event !== 'play') throw new Error('unexpected dataset content');
console.log('smoke: the dataset reads');
`;

function ciWorkflow(defaultBranch: string): string {
  return `name: ci
on:
  push:
    branches: [${defaultBranch}]
  pull_request:
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - uses: actions/checkout@v4
      - run: node --test test/service.test.mjs
`;
}

function smokeWorkflow(defaultBranch: string): string {
  return `name: smoke
on:
  push:
    branches: [${defaultBranch}]
permissions:
  contents: read
jobs:
  smoke:
    runs-on: ubuntu-latest
    timeout-minutes: 5
    steps:
      - uses: actions/checkout@v4
      - run: node smoke.mjs
`;
}

/** The files of one consumer, by path. */
export function consumerFiles(kind: ConsumerKind, defaultBranch: string): Record<string, string> {
  const files: Record<string, string> = {
    'src/config.mjs': CONFIG,
    'read-dataset.mjs': READ_DATASET,
    [`${SOURCE_URI}/part-0.json`]: '{"event":"play","user":1}\n',
    'test/service.test.mjs': kind === 'red' ? RED_TEST : GREEN_TEST,
    '.github/workflows/ci.yml': ciWorkflow(defaultBranch),
  };
  if (kind === 'revert') {
    files['smoke.mjs'] = SMOKE;
    files['.github/workflows/smoke.yml'] = smokeWorkflow(defaultBranch);
  }
  return files;
}

/** The check runs a consumer's default branch gets on a push: one per job. */
export function defaultBranchChecks(kind: ConsumerKind): string[] {
  return kind === 'revert' ? ['test', 'smoke'] : ['test'];
}

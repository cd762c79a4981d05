/* eslint-disable @typescript-eslint/no-explicit-any -- webhook example payloads are reshaped freely in tests */
/** Webhook payloads from @octokit/webhooks-examples, adjusted to a Fleetwave scene; and a manifest. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { playEventsManifest } from '../helpers/play-events-manifest.js';

interface Definition {
  name: string;
  examples: Record<string, unknown>[];
}

let definitions: Definition[] | undefined;

/** A deep copy of the first example of `name` (with `action`, when given) from GitHub's published examples. */
export function example(name: string, action?: string): Record<string, any> {
  if (!definitions) {
    const require = createRequire(import.meta.url);
    definitions = JSON.parse(readFileSync(require.resolve('@octokit/webhooks-examples/api.github.com/index.json'), 'utf8')) as Definition[];
  }
  const def = definitions.find((d) => d.name === name);
  const found = def?.examples.find((e) => action === undefined || e.action === action);
  if (!found) throw new Error(`no example of ${name}${action ? `.${action}` : ''} in @octokit/webhooks-examples`);
  return structuredClone(found) as Record<string, any>;
}

export const INSTALLATION = 4242;

/** Puts the payload in repository `full` of installation INSTALLATION. */
export function inRepo(payload: Record<string, any>, full: string, defaultBranch = 'main'): Record<string, any> {
  const [owner, name] = full.split('/') as [string, string];
  payload.installation = { id: INSTALLATION, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==' };
  payload.repository = {
    ...payload.repository,
    name,
    full_name: full,
    fork: false,
    default_branch: defaultBranch,
    owner: { ...payload.repository?.owner, login: owner },
  };
  return payload;
}

export const MANIFEST = playEventsManifest('search: data/play-events/v1');

/** The same manifest with a bad wave size on line 14. */
export const BAD_MANIFEST = `${MANIFEST}rollout:
  waves: [0]
`;

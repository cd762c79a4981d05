/** Shared set-up of the GitHub adapter's tests: a budgeted client on a virtual clock, nock hygiene. */
import { afterEach, beforeEach, expect } from '@jest/globals';
import nock from 'nock';
import { createGitHubClient } from '../../../src/forge/github/client.js';
import { appBotIdentity, GitHubForge, type GitHubForgeOptions } from '../../../src/forge/github/forge.js';
import { openapiViolations, resetGitHubRequests } from '../../helpers/openapi.js';
import { FakeClock } from './fake-clock.js';

export const BOT = appBotIdentity('fleetwave', 4242);

export function makeForge(options: Partial<GitHubForgeOptions> = {}) {
  const clock = new FakeClock();
  const { client, budget } = createGitHubClient({ token: 'ghs_secret', clock });
  const forge = new GitHubForge({ client, bot: BOT, ...options });
  return { forge, budget, clock, client };
}

/** nock: no real network, every interceptor consumed, every request valid per GitHub's OpenAPI description. */
export function useNock(): void {
  beforeEach(() => {
    nock.disableNetConnect();
    resetGitHubRequests();
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending).toEqual([]);
    expect(openapiViolations()).toEqual([]);
  });
}

export const sha = (c: string): string => c.repeat(40).slice(0, 40);

export function restPull(n: number, extra: Record<string, unknown> = {}) {
  return {
    number: n,
    html_url: `https://github.com/acme/recs/pull/${n}`,
    state: 'open',
    merged: false,
    merged_at: null,
    closed_at: null,
    merge_commit_sha: null,
    title: 'Migrate play-events to v2',
    body: 'body',
    created_at: '2026-01-01T00:00:00Z',
    head: { ref: 'fleetwave/play-events-v2', sha: sha('h') },
    base: { ref: 'main' },
    ...extra,
  };
}

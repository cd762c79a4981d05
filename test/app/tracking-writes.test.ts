/**
 * The App's own writes against GitHub's answers (nock, every request checked against the OpenAPI
 * description): the tracking issue is found by its marker however many issues carry the label, and
 * a POST that creates the tracking issue or a check run is looked up before it is sent again after a
 * 5xx, because GitHub may have carried it out (docs/github-behaviour.md). The client is the real one
 * with its default retries: it does not repeat a creating POST itself (isSafeToRepeat), so the 5xx
 * reaches the code under test.
 */
import { describe, expect, it } from '@jest/globals';
import { CHECK_NAME, manifestCheckRun, postManifestCheckRun } from '../../src/app/check-run.js';
import { findTrackingIssue, renderTrackingMarker, upsertTrackingIssue } from '../../src/app/tracking-issue.js';
import { createGitHubClient } from '../../src/forge/github/client.js';
import { FakeClock } from '../forge/github/fake-clock.js';
import { useNock } from '../forge/github/setup.js';
import { githubApi, githubRequests } from '../helpers/openapi.js';
import { summaryOf } from './setup.js';
import { parseManifest } from '../../src/manifest/load.js';
import { MANIFEST } from './fixtures.js';

const PATH = '.fleetwave/migrations/play-events-v2.yaml';
const marker = renderTrackingMarker({ migration: 'play-events-v2', manifest: PATH });
const client = () => createGitHubClient({ token: 'ghs_x', clock: new FakeClock(), limits: {} }).client;
const summary = () => summaryOf(parseManifest(MANIFEST, PATH));
const others = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    number: from + i,
    body: `another issue <!-- fleetwave-tracking:{"migration":"m${i}","manifest":"x"} -->`,
  }));

describe('tracking issue and check run: found again, never created twice', () => {
  useNock();

  it('finds the tracking issue by its marker beyond the first 100 labelled issues, and updates it', async () => {
    githubApi()
      .get('/repos/acme/data-platform/issues')
      .query({ labels: 'fleetwave', state: 'all', per_page: '100', page: '1' })
      .reply(200, others(1, 100))
      .get('/repos/acme/data-platform/issues')
      .query({ labels: 'fleetwave', state: 'all', per_page: '100', page: '2' })
      .reply(200, [...others(101, 20), { number: 250, body: `old ${marker}` }])
      .patch('/repos/acme/data-platform/issues/250')
      .reply(200, { number: 250 });
    expect(await upsertTrackingIssue(client(), 'acme/data-platform', PATH, summary())).toBe(250);
    expect(githubRequests().filter((r) => r.method === 'POST')).toEqual([]);
  });

  it('stops at the last page: no tracking issue yet', async () => {
    githubApi().get('/repos/acme/data-platform/issues').query(true).reply(200, others(1, 3));
    expect(await findTrackingIssue(client(), 'acme/data-platform', 'play-events-v2')).toBeNull();
  });

  it('after a 502 on creating the tracking issue, finds the issue GitHub created rather than creating a second', async () => {
    githubApi()
      .get('/repos/acme/data-platform/issues')
      .query(true)
      .reply(200, [])
      .post('/repos/acme/data-platform/issues')
      .reply(502, { message: 'Server Error' })
      .get('/repos/acme/data-platform/issues')
      .query(true)
      .reply(200, [{ number: 31, body: `created ${marker}` }]);
    expect(await upsertTrackingIssue(client(), 'acme/data-platform', PATH, summary())).toBe(31);
    expect(githubRequests().filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('after a 502 that GitHub did not carry out, creates the issue again', async () => {
    githubApi()
      .get('/repos/acme/data-platform/issues')
      .query(true)
      .reply(200, [])
      .post('/repos/acme/data-platform/issues')
      .reply(502, { message: 'Server Error' })
      .get('/repos/acme/data-platform/issues')
      .query(true)
      .reply(200, [])
      .post('/repos/acme/data-platform/issues')
      .reply(201, { number: 32 });
    expect(await upsertTrackingIssue(client(), 'acme/data-platform', PATH, summary())).toBe(32);
  });

  it('after a 500 on creating the manifest check run, finds it by name on the head sha rather than creating a second', async () => {
    const head = 'a'.repeat(40);
    githubApi()
      .post('/repos/acme/data-platform/check-runs')
      .reply(500, { message: 'Server Error' })
      .get(`/repos/acme/data-platform/commits/${head}/check-runs`)
      .query({ check_name: CHECK_NAME, filter: 'latest' })
      .reply(200, { total_count: 1, check_runs: [{ id: 77, name: CHECK_NAME, head_sha: head }] });
    const body = manifestCheckRun(head, [{ path: PATH, migration: 'play-events-v2', problems: [] }]);
    expect(await postManifestCheckRun(client(), 'acme/data-platform', body)).toBe(77);
    expect(githubRequests().filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('does not repeat a create that GitHub refused (a 4xx): it did not happen', async () => {
    githubApi().post('/repos/acme/data-platform/check-runs').reply(422, { message: 'Validation Failed' });
    const body = manifestCheckRun('b'.repeat(40), [{ path: PATH, problems: [] }]);
    await expect(postManifestCheckRun(client(), 'acme/data-platform', body)).rejects.toMatchObject({ status: 422 });
    expect(githubRequests()).toHaveLength(1);
  });
});

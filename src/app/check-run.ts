/**
 * The check run that reports a push's manifests: success, or failure with one annotation per problem
 * at the manifest's line and column. GitHub takes at most 50 annotations per request; the rest are
 * named in the summary. `manifestCheckRun` builds the request body; `postManifestCheckRun` sends it
 * once: a POST that GitHub may have carried out before failing is looked up (by name and head sha)
 * before it is sent again.
 */
import { createOnce } from '../alerts/issue-comment-sink.js';
import type { GitHubClient } from '../forge/github/client.js';
import { splitRepo } from '../forge/github/client.js';
import type { Problem } from '../util/errors.js';

export const CHECK_NAME = 'Fleetwave manifest';
const MAX_ANNOTATIONS = 50;

export interface ManifestResult {
  path: string;
  migration?: string;
  problems: Problem[];
}

export interface CheckRunBody {
  name: string;
  head_sha: string;
  status: 'completed';
  conclusion: 'success' | 'failure';
  output: {
    title: string;
    summary: string;
    annotations: {
      path: string;
      start_line: number;
      end_line: number;
      start_column?: number;
      end_column?: number;
      annotation_level: 'failure';
      title: string;
      message: string;
    }[];
  };
}

export function manifestCheckRun(headSha: string, results: readonly ManifestResult[]): CheckRunBody {
  const problems = results.flatMap((r) => r.problems);
  const bad = results.filter((r) => r.problems.length > 0);
  const lines = results.map((r) =>
    r.problems.length
      ? `- ❌ \`${r.path}\`: ${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}`
      : `- ✅ \`${r.path}\`${r.migration ? ` — migration **${r.migration}** is being reconciled` : ''}`,
  );
  if (problems.length > MAX_ANNOTATIONS)
    lines.push('', `${problems.length - MAX_ANNOTATIONS} more problems are not annotated; run \`fleetwave validate\` to see them all.`);
  const annotations = problems.slice(0, MAX_ANNOTATIONS).map((p) => ({
    path: p.file,
    start_line: Math.max(1, p.line),
    end_line: Math.max(1, p.line),
    // GitHub accepts columns only on single-line annotations.
    start_column: Math.max(1, p.col),
    end_column: Math.max(1, p.col),
    annotation_level: 'failure' as const,
    title: p.path || 'manifest',
    message: p.message,
  }));
  return {
    name: CHECK_NAME,
    head_sha: headSha,
    status: 'completed',
    conclusion: bad.length ? 'failure' : 'success',
    output: {
      title: bad.length
        ? `${problems.length} problem${problems.length === 1 ? '' : 's'} in ${bad.length} manifest${bad.length === 1 ? '' : 's'}`
        : `${results.length} manifest${results.length === 1 ? '' : 's'} valid`,
      summary: lines.join('\n'),
      annotations,
    },
  };
}

/** Creates the check run on `repo`; returns its id. Never two for one head sha after a failed answer. */
export async function postManifestCheckRun(client: GitHubClient, repo: string, body: CheckRunBody): Promise<number> {
  const { owner, repo: name } = splitRepo(repo);
  return createOnce(
    async () => Number((await client.request('POST /repos/{owner}/{repo}/check-runs', { owner, repo: name, ...body })).data.id),
    async () => {
      const runs = await client.request('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', {
        owner,
        repo: name,
        ref: body.head_sha,
        check_name: body.name,
        filter: 'latest',
      });
      const found = runs.data.check_runs.find((r) => r.head_sha === body.head_sha && r.name === body.name);
      return found ? Number(found.id) : null;
    },
  );
}

/**
 * `push`: a manifest added or changed on the default branch of the repository that holds it is
 * validated — a check run on the pushed commit, with annotations at the manifest's lines — and each
 * valid manifest's reconcile is requested (recorded in the queue before the check run is posted, carried
 * out after the answer, from the manifest on the default branch). Pushes to other branches, to forks, tag pushes and branch
 * deletions do nothing: a manifest acts only from its own repository's default branch.
 */
import type { Context } from 'probot';
import { ValidationError, type Problem } from '../../util/errors.js';
import { manifestCheckRun, type ManifestResult, postManifestCheckRun } from '../check-run.js';
import type { FleetwaveApp } from '../fleetwave-app.js';
import { changedManifestPaths, looksLikeManifest } from '../manifests.js';

export async function onPush(app: FleetwaveApp, context: Context<'push'>): Promise<void> {
  const p = context.payload;
  const scope = app.scope(context);
  if (!scope || p.deleted || p.repository.fork) return;
  if (p.ref !== `refs/heads/${p.repository.default_branch}`) return;
  const repo = p.repository.full_name;
  const paths = changedManifestPaths(p.commits, app.services.config.manifestGlobs);
  if (paths.length === 0) return;

  const forge = await app.forge(scope);
  const results: ManifestResult[] = [];
  const valid: { path: string; migration: string }[] = [];
  for (const path of paths) {
    const text = await forge.readFile(repo, path, p.after);
    if (text === null || !looksLikeManifest(text)) continue;
    try {
      const loaded = app.services.parseManifest(text, path);
      const migration = loaded.manifest.metadata.name;
      // Valid, but may it run? The installation's policy on manifest repositories, and the claim on its name.
      const refused = await app.refusalOf(scope, repo, path, migration);
      if (refused) {
        const at = namePosition(text);
        results.push({ path, migration, problems: [{ file: path, ...at, path: 'metadata.name', message: refused }] });
        continue;
      }
      results.push({ path, migration, problems: [] });
      valid.push({ path, migration });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      results.push({ path, problems: err.problems.map((x: Problem) => ({ ...x, file: path })) });
    }
  }
  for (const m of valid) await app.request(scope, m.migration, { repo, path: m.path });
  if (results.length === 0) return;
  await postManifestCheckRun(scope.octokit, repo, manifestCheckRun(p.after, results));
}

/** Where `metadata.name` is in the manifest's text (1-based), for the check run's annotation; else its first line. */
function namePosition(text: string): { line: number; col: number } {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => /^\s+name:/.test(l));
  return i < 0 ? { line: 1, col: 1 } : { line: i + 1, col: lines[i]!.indexOf('name:') + 1 };
}

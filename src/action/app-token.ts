/**
 * An installation token made from the App's id and private key, for a workflow that does not use
 * actions/create-github-app-token: a JWT signed with the key (RS256, valid 10 minutes, issued a minute
 * early for clock drift), the installation of the manifest's repository, and a token for everything
 * that installation can reach. Neither the key nor the tokens are logged (callers mask them).
 */
import { createPrivateKey, createSign } from 'node:crypto';
import type { GitHubClient } from '../forge/github/client.js';
import { forgeError, splitRepo, statusOf } from '../forge/github/client.js';
import { InputError } from '../util/errors.js';

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

/** The App's JWT (RS256) for `appId`, valid from a minute before `nowMs` for ten minutes. */
export function appJwt(appId: string, privateKeyPem: string, nowMs: number): string {
  if (!/^\d+$/.test(appId)) throw new InputError(`input \`app-id\`: "${appId}" is not a GitHub App id (a number)`);
  let key;
  try {
    // Secrets pasted with literal "\n" sequences are accepted too.
    key = createPrivateKey(privateKeyPem.includes('\\n') ? privateKeyPem.replace(/\\n/g, '\n') : privateKeyPem);
  } catch (err) {
    throw new InputError(
      `input \`private-key\` is not a PEM private key (${(err as Error).message}): paste the .pem file the App's settings page gave you`,
    );
  }
  const now = Math.floor(nowMs / 1000);
  const unsigned = `${base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }))}.${base64url(JSON.stringify({ iat: now - 60, exp: now + 540, iss: appId }))}`;
  const signature = createSign('RSA-SHA256').update(unsigned).sign(key);
  return `${unsigned}.${base64url(signature)}`;
}

/** As the App (a client authenticated with its JWT): its slug, and a token of the installation on `repo`. */
export async function installationTokenFor(appClient: GitHubClient, repo: string): Promise<{ token: string; slug: string }> {
  const { owner, repo: name } = splitRepo(repo);
  let app;
  try {
    app = await appClient.request('GET /app');
  } catch (err) {
    throw forgeError("authenticating as the App (GET /app; are `app-id` and `private-key` the App's?)", err);
  }
  const slug = app.data?.slug;
  if (!slug) throw new InputError('GET /app returned no slug: is `app-id` the id of a GitHub App?');
  let installation;
  try {
    installation = await appClient.request('GET /repos/{owner}/{repo}/installation', { owner, repo: name });
  } catch (err) {
    if (statusOf(err) === 404)
      throw new InputError(`the App ${slug} is not installed on ${repo}: install it on the manifest's repository and the fleet`, {
        cause: err,
      });
    throw forgeError(`finding the App's installation on ${repo}`, err);
  }
  let created;
  try {
    created = await appClient.request('POST /app/installations/{installation_id}/access_tokens', { installation_id: installation.data.id });
  } catch (err) {
    throw forgeError('creating an installation token', err);
  }
  return { token: created.data.token, slug };
}

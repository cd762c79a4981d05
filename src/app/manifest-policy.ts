/**
 * Who may start a migration through the App, per installation (docs/security.md, "Who may start a
 * migration"). Without a policy, a writer of any repository of an installation could commit a manifest
 * that opens (and, with automerge, merges) pull requests as the App in every other repository.
 *
 * The policy, the first found:
 *   1. the operator's `FLEETWAVE_MANIFEST_REPOS` (comma-separated `owner/name` globs, every target
 *      allowed), for every installation of this App;
 *   2. the installation's own `fleetwave.yml` in its account's `.github` repository (the organisation's
 *      configuration repository, which its owners control), on the default branch:
 *
 *        manifests:
 *          - repository: data-platform       # a repository of the account, or a glob (team-*-data)
 *            targets: ["*"]                  # the repositories its manifests may change (default: all)
 *          - repository: team-x-data
 *            targets: ["team-x-*"]
 *
 *   3. neither: no repository may start a migration (manifests are still validated, and the check run
 *      says how to allow them).
 *
 * Targets are further limited by each repository's own opt-out; a repository outside a rule's `targets`
 * is never a target of that rule's manifests.
 */
import picomatch from 'picomatch';
import { parse } from 'yaml';
import { z } from 'zod';
import type { RepoName } from '../forge/port.js';
import { InputError } from '../util/errors.js';

/** The configuration repository and file an installation's policy is read from. */
export const POLICY_REPO = '.github';
export const POLICY_FILE = 'fleetwave.yml';
/** The operator's allow list, for every installation. */
export const POLICY_ENV = 'FLEETWAVE_MANIFEST_REPOS';

export interface ManifestRule {
  /** `owner/name` glob of the repositories whose manifests may run. */
  repository: string;
  /** `owner/name` globs of the repositories those manifests may change. */
  targets: string[];
}

export interface ManifestPolicy {
  /** Where it came from, for messages: the env variable, `acme/.github:fleetwave.yml`, or `none`. */
  origin: string;
  rules: ManifestRule[];
  /** Why there is no usable policy (a broken file), shown where a manifest is refused. */
  problem?: string;
}

const fileSchema = z.strictObject({
  manifests: z
    .array(
      z.strictObject({
        repository: z.string().min(1),
        targets: z.array(z.string().min(1)).min(1).optional(),
      }),
    )
    .max(1000),
});

/** A glob of the account's repositories: `name` means `account/name`. */
function qualified(glob: string, account: string): string {
  return glob.includes('/') ? glob : `${account}/${glob}`;
}

/** The operator's allow list from `FLEETWAVE_MANIFEST_REPOS`, or null when unset. */
export function policyFromEnv(value: string | undefined): ManifestPolicy | null {
  if (value === undefined || value.trim() === '') return null;
  const repos = value
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  for (const r of repos) {
    if (!/^[^/\s]+\/[^/\s]+$/.test(r))
      throw new InputError(`${POLICY_ENV}: "${r}" is not an owner/name repository (globs allowed: acme/*-data)`);
  }
  return { origin: POLICY_ENV, rules: repos.map((repository) => ({ repository, targets: ['*/*'] })) };
}

/** An installation's `fleetwave.yml`; a file that does not parse is a policy that allows nothing and says why. */
export function parsePolicyFile(text: string, account: string): ManifestPolicy {
  const origin = `${account}/${POLICY_REPO}:${POLICY_FILE}`;
  let value: unknown;
  try {
    value = parse(text, { maxAliasCount: 10 });
  } catch (err) {
    return { origin, rules: [], problem: `${origin} is not valid YAML: ${(err as Error).message.split('\n')[0]}` };
  }
  const parsed = fileSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { origin, rules: [], problem: `${origin}: ${issue.path.join('.') || '(top)'}: ${issue.message}` };
  }
  return {
    origin,
    rules: parsed.data.manifests.map((m) => ({
      repository: qualified(m.repository, account),
      targets: (m.targets ?? ['*']).map((t) => qualified(t, account)),
    })),
  };
}

/** The policy of an installation without any: nothing may start a migration. */
export function noPolicy(account: string): ManifestPolicy {
  return { origin: 'none', rules: [], problem: `no ${POLICY_ENV} and no ${POLICY_FILE} in ${account}/${POLICY_REPO}` };
}

/** The rule that lets `repo` hold manifests, or null. */
export function ruleFor(policy: ManifestPolicy, repo: RepoName): ManifestRule | null {
  return policy.rules.find((r) => picomatch.isMatch(repo, r.repository, { nocase: true, dot: true })) ?? null;
}

/** Whether manifests under `rule` may change `target`. */
export function mayTarget(rule: ManifestRule, target: RepoName): boolean {
  return picomatch.isMatch(target, rule.targets, { nocase: true, dot: true });
}

/** Why `repo` may not start migrations, and what an owner does about it. */
export function refusal(policy: ManifestPolicy, repo: RepoName, account: string): string {
  const why = policy.problem ?? `${repo} is not among the manifest repositories of ${policy.origin}`;
  return (
    `${repo} may not start migrations (${why}). An owner of ${account} allows it by listing it under \`manifests:\` in ` +
    `${account}/${POLICY_REPO}/${POLICY_FILE}, or the App's operator in ${POLICY_ENV} (docs/security.md).`
  );
}

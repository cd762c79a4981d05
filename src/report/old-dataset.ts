/**
 * When the old dataset may really be deleted (issue 21, the sunset): only when every consumer is
 * migrated (its PR merged and not reverted, or nothing to change, or its PR closed because it no longer
 * needed the change), the rescans after the merges find no reference to the old location left, and
 * `metadata.sunset` has passed. Until then, what still holds it, so `fleetwave status`, the tracking
 * issue and the dashboard can say it. Pure.
 */

export interface OldDatasetStatus {
  /** `metadata.sunset` (YYYY-MM-DD), when set. */
  sunset: string | null;
  /** Whole days until the sunset (negative: passed), at the summary's time; null without a sunset. */
  daysLeft: number | null;
  /** Consumers still reading the old dataset (not migrated yet, failed, reverted, blocked, closed by a person). */
  unmigrated: string[];
  /** Merged consumers whose last rescan still found references to the old location, with how many; or with null when no rescan is known. */
  referencesLeft: { repo: string; references: number | null }[];
  /** Every condition holds: the old dataset can be deleted. */
  deletable: boolean;
  /** One sentence: why it can, or what still holds it. */
  reason: string;
}

/** What the journal says beside the targets: the newest rescan of each repository, and PRs closed because they were no longer needed. */
export interface OldDatasetFacts {
  rescans: ReadonlyMap<string, number>;
  closedUnneeded: ReadonlySet<string>;
}

const DAY = 86_400_000;

/** A target as far as this asks: its state (a TargetState) and its pull request's URL, if any. */
export interface OldDatasetTarget {
  repo: string;
  state: string;
  pr: string | null;
}

export function oldDatasetStatus(
  targets: readonly OldDatasetTarget[],
  facts: OldDatasetFacts,
  sunset: string | undefined,
  now: Date,
): OldDatasetStatus {
  const unmigrated: string[] = [];
  const referencesLeft: OldDatasetStatus['referencesLeft'] = [];
  for (const t of targets) {
    if (t.state === 'merged') {
      const references = facts.rescans.get(t.repo);
      if (references === undefined) referencesLeft.push({ repo: t.repo, references: null });
      else if (references > 0) referencesLeft.push({ repo: t.repo, references });
      continue;
    }
    // Skipped: nothing to change (no PR), or its PR closed because the change was no longer needed.
    if (t.state === 'skipped' && (t.pr === null || facts.closedUnneeded.has(t.repo))) continue;
    unmigrated.push(t.repo);
  }
  const daysLeft = sunset ? Math.ceil((Date.parse(`${sunset}T00:00:00Z`) - now.getTime()) / DAY) : null;
  const holds: string[] = [];
  if (unmigrated.length)
    holds.push(`${unmigrated.length} consumer${unmigrated.length === 1 ? '' : 's'} not migrated (${list(unmigrated)})`);
  if (referencesLeft.length)
    holds.push(
      `references to the old location left in ${list(referencesLeft.map((r) => (r.references === null ? `${r.repo} (not rescanned)` : `${r.repo} (${r.references})`)))}`,
    );
  if (!sunset) holds.push('no metadata.sunset set');
  else if (daysLeft !== null && daysLeft > 0) holds.push(`the sunset ${sunset} is ${daysLeft} day${daysLeft === 1 ? '' : 's'} away`);
  const deletable = holds.length === 0;
  const reason = deletable
    ? `the old dataset can be deleted: every consumer is migrated, no reference to it is left, and the sunset ${sunset} has passed`
    : `keep the old dataset: ${holds.join('; ')}`;
  return { sunset: sunset ?? null, daysLeft, unmigrated, referencesLeft, deletable, reason };
}

function list(items: readonly string[]): string {
  return items.length > 5 ? `${items.slice(0, 5).join(', ')} and ${items.length - 5} more` : items.join(', ');
}

/**
 * Alerts: what a migration's owners hear about — a failed wave, a paused migration, an open circuit
 * breaker, every revert. Pure: derived from one reconcile's outcome and what the journal says was
 * already raised, so a re-run or a replayed webhook raises nothing twice. Each alert carries a dedup
 * key; a condition that no longer holds resolves the alert raised for it.
 */

export type AlertKind = 'wave-failed' | 'paused' | 'breaker-open' | 'revert' | 'sunset';
/** PagerDuty Events v2 severities. */
export type AlertSeverity = 'critical' | 'error' | 'warning' | 'info';

export interface Alert {
  kind: AlertKind;
  /** trigger: something went wrong; resolve: the condition of an earlier trigger with the same dedup key is over. */
  action: 'trigger' | 'resolve';
  migration: string;
  /** The repository concerned (reverts), else null. */
  target: string | null;
  summary: string;
  severity: AlertSeverity;
  /** Same condition, same key (PagerDuty `dedup_key`): the breaker's key is fleet-wide, so one incident. */
  dedupKey: string;
  /** Who hears of it: the migration's owner (manifest metadata.owner), and for a revert the reverted repository's owner (catalog). */
  owners: string[];
  details: Record<string, unknown>;
}

/** What a reconcile tick ended with, as far as alerts care. */
export interface AlertInput {
  migration: string;
  fleet: string;
  owners: string[];
  state: 'running' | 'paused' | 'completed' | 'failed';
  reason: string | null;
  /** The wave whose failed share paused the migration (decide's pause action), else null. */
  failedWave: { index: number; failed: number; size: number } | null;
  /** The fleet's breaker when it is not closed; `holds`: it pauses this migration (open, or half-open with the canary elsewhere). */
  breaker: { openedAt: string; reason: string | null; state: 'open' | 'half-open'; holds: boolean } | null;
  /** Reverts carried out in this tick, each with the reverted repository's owner (the catalog's), when known. */
  reverts: { repo: string; pr: number; reason: string; owner?: string | null }[];
  /** Resumes journalled for the migration so far: each resume starts a new pause episode. */
  episode: number;
  /** Alerts journalled for this migration: the last action per dedup key, and the trigger's kind. */
  raised: ReadonlyMap<string, { action: 'trigger' | 'resolve'; kind: AlertKind }>;
  /**
   * `metadata.sunset` with `rollout.sunsetWarnings` (how long before it each warning goes out) and the
   * consumers not migrated yet with their owners (the catalog's, when known); absent: no sunset.
   */
  sunset?: { date: string; warningsMs: readonly number[]; now: Date; unmigrated: readonly { repo: string; owner: string | null }[] } | null;
}

const DAY_MS = 86_400_000;

/**
 * The sunset warning due now: the nearest of `rollout.sunsetWarnings` the date is within (30d, then
 * 7d, then 1d …), or `passed` once the day has come, while consumers are not migrated; one dedup key
 * each, so each goes out once. Their owners hear of it with the migration's.
 */
function sunsetAlert(input: AlertInput): Alert | null {
  const s = input.sunset;
  if (!s || s.unmigrated.length === 0) return null;
  const left = Date.parse(`${s.date}T00:00:00Z`) - s.now.getTime();
  const within = [...s.warningsMs].sort((a, b) => a - b).find((w) => left <= w);
  if (left > 0 && within === undefined) return null;
  const label = left <= 0 ? 'passed' : `${Math.round(within! / DAY_MS)}d`;
  const days = Math.ceil(left / DAY_MS);
  const repos = s.unmigrated.map((u) => u.repo);
  const owners = [...input.owners];
  for (const u of s.unmigrated) if (u.owner && !owners.includes(u.owner)) owners.push(u.owner);
  const when = left <= 0 ? `went away on ${s.date}` : `goes away on ${s.date} (in ${days} day${days === 1 ? '' : 's'})`;
  return {
    migration: input.migration,
    owners,
    kind: 'sunset',
    action: 'trigger',
    target: null,
    severity: left <= 0 ? 'error' : 'warning',
    dedupKey: `fleetwave/${input.migration}/sunset/${label}`,
    summary: `${input.migration}: the old dataset ${when}; ${repos.length} consumer${repos.length === 1 ? '' : 's'} not migrated yet: ${repos.slice(0, 20).join(', ')}${repos.length > 20 ? ` and ${repos.length - 20} more` : ''}.`,
    details: { sunset: s.date, warning: label, unmigrated: repos },
  };
}

export function breakerDedupKey(fleet: string, openedAt: string): string {
  return `fleetwave/breaker/${fleet}/${openedAt}`;
}

/** The alerts to raise now: triggers not raised yet, and resolves of triggers whose condition is over. */
export function deriveAlerts(input: AlertInput): Alert[] {
  const base = { migration: input.migration, owners: input.owners };
  const current: Alert[] = [];
  if (input.breaker?.holds) {
    current.push({
      ...base,
      kind: 'breaker-open',
      action: 'trigger',
      target: null,
      severity: 'critical',
      dedupKey: breakerDedupKey(input.fleet, input.breaker.openedAt),
      summary: `Circuit breaker of ${input.fleet} opened at ${input.breaker.openedAt}: ${input.breaker.reason ?? 'too many failures'}. ${input.migration} is paused with every other migration of the fleet.`,
      details: { fleet: input.fleet, openedAt: input.breaker.openedAt, breakerState: input.breaker.state, reason: input.reason },
    });
  } else if (input.state === 'paused' && input.failedWave) {
    const w = input.failedWave;
    current.push({
      ...base,
      kind: 'wave-failed',
      action: 'trigger',
      target: null,
      severity: 'error',
      dedupKey: `fleetwave/${input.migration}/wave-failed/${w.index}/${input.episode}`,
      summary: `${input.migration}: wave ${w.index} failed ${w.failed} of ${w.size}; the migration is paused.`,
      details: { wave: w.index, failed: w.failed, size: w.size, reason: input.reason },
    });
  } else if (input.state === 'paused') {
    current.push({
      ...base,
      kind: 'paused',
      action: 'trigger',
      target: null,
      severity: 'warning',
      dedupKey: `fleetwave/${input.migration}/paused/${input.episode}`,
      summary: `${input.migration} is paused: ${input.reason ?? 'no reason given'}`,
      details: { reason: input.reason },
    });
  }
  for (const r of input.reverts) {
    current.push({
      ...base,
      // the consumer team whose repository was reverted hears of it too
      owners: r.owner && !input.owners.includes(r.owner) ? [...input.owners, r.owner] : input.owners,
      kind: 'revert',
      action: 'trigger',
      target: r.repo,
      severity: 'error',
      dedupKey: `fleetwave/${input.migration}/revert/${r.repo}#${r.pr}`,
      summary: `${input.migration}: reverted ${r.repo}#${r.pr}: ${r.reason}`,
      details: { repo: r.repo, pr: r.pr, reason: r.reason },
    });
  }
  const sunset = sunsetAlert(input);
  if (sunset) current.push(sunset);
  const out = current.filter((a) => !input.raised.has(a.dedupKey));
  const held = new Set(current.map((a) => a.dedupKey));
  // Earlier sunset warnings hold while consumers are not migrated; all resolve once every one is.
  const unmigrated = (input.sunset?.unmigrated.length ?? 0) > 0;
  // The breaker's key is fleet-wide: it resolves when the breaker closes, not when this migration goes on.
  if (input.breaker) held.add(breakerDedupKey(input.fleet, input.breaker.openedAt));
  for (const [dedupKey, last] of input.raised) {
    // A revert is an event, not a condition: it stays raised until a human resolves it.
    if (last.action !== 'trigger' || last.kind === 'revert' || held.has(dedupKey)) continue;
    if (last.kind === 'sunset' && (unmigrated || !input.sunset)) continue;
    out.push({
      ...base,
      kind: last.kind,
      action: 'resolve',
      target: null,
      severity: 'info',
      dedupKey,
      summary: `${input.migration}: ${last.kind === 'breaker-open' ? 'the circuit breaker no longer holds it' : last.kind === 'sunset' ? 'every consumer is migrated off the old dataset' : 'no longer paused'} (state: ${input.state}).`,
      details: { state: input.state },
    });
  }
  return out;
}

/**
 * GitHub mentions for owners: `@user` or `@org/team` as given; `org/team` → `@org/team`; Backstage refs
 * `group:[namespace/]team` → `@<org>/team` and `user:[namespace/]name` → `@name`; a bare name → `@name`.
 */
export function mentionsFor(owners: readonly string[], org: string | null): string[] {
  const out: string[] = [];
  for (const raw of owners) {
    const owner = raw.trim();
    if (!owner) continue;
    let mention: string;
    const ref = /^(group|user):(?:[^/]+\/)?(.+)$/i.exec(owner);
    if (ref) mention = ref[1]!.toLowerCase() === 'group' ? (org ? `@${org}/${ref[2]}` : `@${ref[2]}`) : `@${ref[2]}`;
    else if (owner.startsWith('@')) mention = owner;
    else mention = `@${owner}`;
    if (/^@[A-Za-z0-9][A-Za-z0-9_.-]*(\/[A-Za-z0-9][A-Za-z0-9_.-]*)?$/.test(mention) && !out.includes(mention)) out.push(mention);
  }
  return out;
}

const ICON: Record<AlertSeverity, string> = { critical: '🚨', error: '❌', warning: '⚠️', info: '✅' };

/** The tracking-issue comment for an alert, mentioning the owners. */
export function renderAlertComment(alert: Alert, org: string | null): string {
  const mentions = mentionsFor(alert.owners, org);
  const head =
    alert.action === 'resolve'
      ? `${ICON.info} **Resolved** (${alert.kind})`
      : `${ICON[alert.severity]} **${alert.kind}** (${alert.severity})`;
  const lines = [`${head}${mentions.length ? ` — ${mentions.join(' ')}` : ''}`, '', alert.summary];
  if (alert.target) lines.push('', `Repository: ${alert.target}`);
  lines.push('', `<!-- fleetwave-alert:${JSON.stringify({ dedupKey: alert.dedupKey, action: alert.action })} -->`);
  return lines.join('\n');
}

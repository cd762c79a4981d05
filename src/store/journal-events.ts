/**
 * The journal's vocabulary: every kind of event Fleetwave appends, with the detail each carries, as
 * zod schemas (read) and the discriminated union they describe (write). `writeEvent` is the one writer
 * every producer uses; `readDetail` checks a stored event against its kind when a reader asks for that
 * kind (src/rollout/journal-view.ts `ofKind`). A leaf: the stores, the engine, the alerts, the CLI and
 * the App all import it, and it imports nothing of theirs but the port's types.
 *
 * Details keep the fields older Fleetwaves wrote (an approval without `manifestHash`, an App revert
 * without `pr`), so every journal written so far reads; extra fields are kept, never stripped.
 */
import { z } from 'zod';
import { StateError } from '../util/errors.js';
import { VERSION } from '../version.js';
import type { JournalEvent, Store, StoredEvent } from './port.js';

const pr = z.number().int();
/** Who asked, from the CLI (`--by`) or the App (`/fleetwave …` in the tracking issue `issue`). */
const human = { by: z.string(), issue: z.number().int().optional() };
/** Set when the forge carried out an action whose request failed (journalled after a second look). */
const recovered = { recovered: z.boolean().optional(), afterError: z.string().optional() };

/** The detail of each kind of event, by the event's `action`. */
export const EVENT_DETAILS = {
  /**
   * A code search and what it found (answers again within `consumers.searchEvery`); `incomplete`
   * when the forge said the answer may be partial (GitHub's `incomplete_results`). Older journals have none.
   */
  search: z.looseObject({ text: z.string(), repos: z.array(z.string()), incomplete: z.boolean().optional() }),
  /** The canaries the rule chose, once per migration. */
  'choose-canaries': z.looseObject({
    canaries: z.array(z.string()),
    passed: z.array(z.string()).optional(),
    refused: z.record(z.string(), z.string()).optional(),
    rule: z.string().optional(),
  }),
  /**
   * A trial run (`fleetwave trial`): each tried target's change pushed to `branch`, its checks awaited,
   * the branch deleted. `failed` holds the failing checks' tails by repo, `errors` why a target could
   * not be tried, `notDeleted` trial branches left behind and why. Read by the canary rule.
   */
  trial: z.looseObject({
    branch: z.string(),
    passed: z.array(z.string()),
    failed: z.record(z.string(), z.string()),
    noCi: z.array(z.string()),
    errors: z.record(z.string(), z.string()),
    sample: z.number().int().optional(),
    seed: z.number().int().optional(),
    notDeleted: z.record(z.string(), z.string()).optional(),
  }),
  /** Changes pushed to the bot branch. */
  push: z.looseObject({ branch: z.string(), sha: z.string(), files: z.number().int() }),
  'open-pr': z.looseObject({
    pr,
    url: z.string(),
    wave: z.number().int(),
    sha: z.string().optional(),
    adopted: z.boolean().optional(),
    /** An agent wrote the change (the `agent` rule): a draft, never merged by Fleetwave. */
    agent: z.boolean().optional(),
    ...recovered,
  }),
  /** GitHub's auto-merge enabled on a PR: the merge comes later (then journalled as `merge`). */
  'auto-merge': z.looseObject({ pr, headSha: z.string() }),
  /** A merge by Fleetwave, or one the forge made on its own (`observed`, by whom). */
  merge: z.looseObject({
    pr,
    sha: z.string().nullish(),
    by: z.string().nullish(),
    observed: z.boolean().optional(),
    mergedAt: z.string().nullish(),
    ...recovered,
  }),
  /** A revert: of a post-merge failure (reason), or asked for by a person (`by`: CLI or App rollback). */
  revert: z.looseObject({
    pr: pr.optional(),
    sha: z.string(),
    reason: z.string().optional(),
    by: z.string().optional(),
    issue: z.number().int().optional(),
    ...recovered,
  }),
  /** A re-run of failed checks claimed for one head and attempt (claimed before it is asked for: at most once). */
  'rerun-checks': z.looseObject({ pr, sha: z.string(), attempt: z.number().int() }),
  /** References to the old dataset left on the default branch after a merge (the burndown's data). */
  rescan: z.looseObject({ references: z.number(), sha: z.string().optional() }),
  /** A pause: by the failure threshold (reason, wave), or by a person (`by`; `manual` from the CLI). */
  pause: z.union([
    z.looseObject({ reason: z.string(), wave: z.number().int() }),
    z.looseObject({ ...human, reason: z.string().nullish(), manual: z.boolean().optional() }),
  ]),
  resume: z.looseObject({ ...human, acceptedWaves: z.array(z.number().int()) }),
  /** An approval of a two-phase migration, bound to a manifest's hash (older ones carry it on the event only). */
  approve: z.looseObject({ ...human, manifestHash: z.string().optional() }),
  /** `/fleetwave retry <repo>` and `/fleetwave rollback` in the tracking issue. */
  retry: z.looseObject(human),
  rollback: z.looseObject(human),
  /** Outcomes fed to the fleet's circuit breaker, once per key. */
  success: z.looseObject({ key: z.string(), pr: pr.nullable(), reason: z.string().nullable() }),
  failure: z.looseObject({ key: z.string(), pr: pr.nullable(), reason: z.string().nullable() }),
  'breaker-reset': z.looseObject({ by: z.string(), fleet: z.string(), was: z.enum(['closed', 'open', 'half-open']) }),
  /** An alert raised (src/alerts/outbox.ts), and its delivery to one sink. */
  alert: z.looseObject({
    kind: z.enum(['wave-failed', 'paused', 'breaker-open', 'revert', 'sunset']),
    action: z.enum(['trigger', 'resolve']),
    severity: z.enum(['critical', 'error', 'warning', 'info']),
    dedupKey: z.string(),
    summary: z.string(),
    owners: z.array(z.string()),
    details: z.record(z.string(), z.unknown()),
  }),
  'alert-delivery': z.looseObject({ sink: z.string(), alertId: z.number().int(), dedupKey: z.string(), error: z.string().optional() }),
  /** The demo's conversion and its verification. */
  convert: z.looseObject({ rows: z.number(), files: z.number().int() }),
  verify: z.looseObject({ pass: z.boolean(), sourceRows: z.number(), targetRows: z.number() }),
  /** Reviews asked for on a PR just opened, and from where (rollout.reviewers, CODEOWNERS, the catalog owner); `error` when the forge refused. */
  'request-reviewers': z.looseObject({
    pr,
    users: z.array(z.string()),
    teams: z.array(z.string()),
    source: z.enum(['manifest', 'codeowners', 'catalog', 'none']),
    skipped: z.array(z.string()).optional(),
    error: z.string().optional(),
  }),
  /** An open PR's change made again on the default branch's head `base` (a new bot commit `sha`), and why; its body refreshed (`body`: only that, `sha` its head). */
  'update-pr': z.looseObject({ pr, sha: z.string(), base: z.string(), why: z.enum(['behind', 'conflicted', 'manifest', 'body']) }),
  /** An open PR closed because its consumer no longer needs the change (`reason` is the comment left on it). */
  'close-pr': z.looseObject({ pr, reason: z.string() }),
  /** A PR waiting for people longer than rollout.nudgeAfter got its one comment, mentioning `mentioned` (open since `since`). */
  nudge: z.looseObject({ pr, since: z.string(), mentioned: z.array(z.string()) }),
};

/** Actions of decide that, when they fail, are journalled under their own name with an ActionError. */
const ACTION_KINDS = ['open', 'merge', 'revert', 'rerun-checks', 'pause', 'update-pr', 'close-pr', 'nudge'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];
const actionError = z.looseObject({ error: z.string(), transient: z.boolean().optional() });
export type ActionError = z.output<typeof actionError>;

export type EventKind = keyof typeof EVENT_DETAILS;
export type EventDetail<K extends EventKind> = z.output<(typeof EVENT_DETAILS)[K]>;

/** Kinds whose events may carry the outcome `error` with their own detail (a failure, a failed delivery). */
type ErrorKind = 'failure' | 'alert-delivery' | 'request-reviewers';
type OutcomeOf<K extends EventKind> = K extends 'failure' ? 'error' : K extends ErrorKind ? 'ok' | 'error' : 'ok' | 'skipped';

type Envelope = Omit<JournalEvent, 'action' | 'outcome' | 'detail'>;

/** One event of kind K as written. */
export type EventOf<K extends EventKind> = Envelope & { action: K; outcome: OutcomeOf<K>; detail: EventDetail<K> };
/** An action of decide that failed (outcome `error`). */
export type ActionErrorEvent<A extends ActionKind = ActionKind> = Envelope & { action: A; outcome: 'error'; detail: ActionError };

/** Every event Fleetwave writes: discriminated by `action` (and, for decide's actions, `outcome`). */
export type TypedEvent = { [K in EventKind]: EventOf<K> }[EventKind] | ActionErrorEvent;

/** A stored event of kind K as its readers see it: its own detail, or an ActionError when it is a failed action. */
export type StoredOf<K extends EventKind | ActionKind> =
  (K extends EventKind ? EventOf<K> & { id: number } : never) | (K extends ActionKind ? ActionErrorEvent<K> & { id: number } : never);

/** Where and when an event happens: what the writer stamps on every body. */
export interface EventContext {
  at: string;
  migration: string;
  /** The hash of the manifest the event is about (the one an approval approves). */
  manifestHash: string;
}

/** An event as its producer builds it: target, action, outcome and detail. */
export type EventBody = TypedEvent extends infer E
  ? E extends TypedEvent
    ? Omit<E, 'at' | 'migration' | 'version' | 'manifestHash'>
    : never
  : never;

/** The one journal writer: appends `body` to `store` in `context`, stamped with this Fleetwave's version. */
export async function writeEvent(store: Store, context: EventContext, body: EventBody): Promise<void> {
  const event: JournalEvent = { ...context, ...body, version: VERSION };
  await store.append(event);
}

/** What to do about a journal that cannot be read, said by every such error. */
const REMEDY = 'The journal is history only: move the store away to start a new one (target state is rebuilt from the forge).';

function isKind(action: string): action is EventKind {
  return Object.hasOwn(EVENT_DETAILS, action);
}

function isActionKind(action: string): action is ActionKind {
  return (ACTION_KINDS as readonly string[]).includes(action);
}

/**
 * `event` as its kind's readers see it, after checking its detail against the kind's schema.
 * Throws a StateError naming the store, the event's id and what is wrong when the detail does not fit.
 */
export function readDetail<K extends EventKind | ActionKind>(event: StoredEvent, kind: K, location: string): StoredOf<K> {
  if (event.action !== kind) throw new StateError(`${location}: journal event ${event.id} is a '${event.action}' event, not '${kind}'`);
  // A failed action of decide carries an ActionError; every other event its kind's detail.
  const schema = isKind(kind) && !(event.outcome === 'error' && isActionKind(kind)) ? EVENT_DETAILS[kind] : actionError;
  const parsed = schema.safeParse(event.detail);
  if (!parsed.success) {
    const what = parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'detail'}: ${i.message}`).join('; ');
    throw new StateError(
      `${location}: journal event ${event.id} ('${event.action}', ${event.outcome}, ${event.at}) cannot be read: ${what}. ${REMEDY}`,
    );
  }
  return event as StoredOf<K>;
}

/**
 * `event`'s detail typed as its kind's when it is of that kind and fits, else null: for readers that
 * show what they can (the dashboard) rather than stop at an event they cannot read.
 */
export function detailOf<K extends EventKind>(event: Pick<JournalEvent, 'action' | 'detail'>, kind: K): EventDetail<K> | null {
  if (event.action !== kind) return null;
  return EVENT_DETAILS[kind].safeParse(event.detail).success ? (event.detail as EventDetail<K>) : null;
}

/** The envelope every stored event has, whatever its kind (checked by the stores when they read). */
const storedEventSchema = z.object({
  id: z.number().int().positive(),
  at: z.string(),
  migration: z.string(),
  target: z.string().nullable(),
  action: z.string().min(1),
  outcome: z.enum(['ok', 'error', 'skipped']),
  detail: z.record(z.string(), z.unknown()),
  version: z.string(),
  manifestHash: z.string(),
});

/**
 * Checks the envelope of an event a store read (id, time, migration, action, outcome, a detail object …);
 * a StateError names the store, the event and what is wrong. `raw` is what the store holds.
 */
export function readStoredEvent(raw: unknown, location: string, position: string): StoredEvent {
  const parsed = storedEventSchema.safeParse(raw);
  if (parsed.success) return raw as StoredEvent;
  const what = parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'event'}: ${i.message}`).join('; ');
  throw new StateError(`${location}: journal event ${position} cannot be read: ${what}. ${REMEDY}`);
}

/**
 * The rollout schedule (`rollout.schedule`, issue 21): outside its windows no PR opens and none
 * merges; observation, re-runs of failed checks, reverts of failed merges and alerts go on. Each
 * target's windows are read in its own time zone (its catalog entity's `fleetwave.io/timezone`),
 * else in `rollout.timezone`. While something waits, the decision says until when.
 */
import { describeSchedule, scheduleState } from '../../util/work-schedule.js';
import type { Action } from '../decision.js';
import type { Gate } from './gate.js';

/** The kinds a schedule holds back: what changes a consumer's repository on the bot's initiative (a PR made again starts its CI and notifies too). */
const SCHEDULED: ReadonlySet<Action['kind']> = new Set(['open', 'merge', 'update-pr', 'nudge']);

export const scheduleGate: Gate = {
  name: 'schedule',
  actions(actions, ctx) {
    const schedule = ctx.policy.schedule;
    if (!schedule) return { actions: [...actions], reason: null };
    const now = ctx.now.getTime();
    let opensAt: number | null = null;
    const zones = new Set<string>();
    let held = 0;
    const allowed = actions.filter((a) => {
      if (!SCHEDULED.has(a.kind) || !('repo' in a)) return true;
      const zone = ctx.views.get(a.repo)?.timezone ?? schedule.timezone;
      const state = scheduleState(schedule, now, zone);
      if (state.open) return true;
      held++;
      zones.add(zone);
      if (state.opensAt !== null && (opensAt === null || state.opensAt < opensAt)) opensAt = state.opensAt;
      return false;
    });
    if (held === 0) return { actions: allowed, reason: null };
    const when =
      opensAt === null
        ? 'no window opens within 400 days (check rollout.holidays)'
        : `the next window opens ${new Date(opensAt).toISOString()}`;
    const where = [...zones].map((z) => describeSchedule(schedule, z)).join('; ');
    return {
      actions: allowed,
      reason: `outside the rollout schedule (${where}): ${held} pull request${held === 1 ? '' : 's'} wait${held === 1 ? 's' : ''} to open or merge; ${when}`,
      waitingUntil: opensAt === null ? null : new Date(opensAt).toISOString(),
    };
  },
};

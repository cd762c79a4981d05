/**
 * A gate: one pure rule that may hold the rollout back. decide consults every gate of GATES
 * (src/rollout/gates/index.ts) at two points: after each finished wave (may the rollout go past it?)
 * and over the actions of the tick (which may go now, and why the others wait). A gate sees the tick's
 * facts (GateContext) and answers; it never reads the store, the forge or the clock.
 */
import type { RepoName } from '../../forge/port.js';
import type { BreakerRecord } from '../../store/port.js';
import type { BreakerPolicy } from '../breaker.js';
import type { Action, Approval, DatasetGateView, DecidePolicy, DerivedTarget, TargetView } from '../decision.js';
import type { WaveSummary } from '../model.js';

/** What every gate may look at: decide's input and the targets as derived from it. */
export interface GateContext {
  migration: string;
  policy: DecidePolicy;
  now: Date;
  /** Waves whose failed share a human accepted (`fleetwave resume`). */
  acceptedWaves: ReadonlySet<number>;
  derived: readonly DerivedTarget[];
  views: ReadonlyMap<RepoName, TargetView>;
  /** The current manifest's hash and the approvals given so far (two-phase). */
  manifestHash: string | undefined;
  approvals: readonly Approval[];
  /** The fleet's circuit breaker, its outcomes of this tick recorded; absent: no breaker. */
  breaker: { record: BreakerRecord; policy: BreakerPolicy } | undefined;
  /** The dataset gate's view of this tick (src/rollout/dataset-gate.ts); absent: not asked. */
  dataset?: DatasetGateView | undefined;
}

/** A finished wave, with the time of its latest merge (epoch ms; 0 when none or when soak is off). */
export interface WaveFacts extends WaveSummary {
  lastMerge: number;
}

/** A finished wave's gate closed: the migration pauses (with a pause action), or waits until a time. */
export type WaveHold = { pause: string } | { waitUntil: string };

/** A gate's answer about the tick's actions. */
export interface ActionVerdict {
  /** The actions that may go (a subset of those asked, in their order). */
  actions: Action[];
  /** Why something waits (added to the decision's reason while the migration runs). */
  reason: string | null;
  /** The gate pauses a running migration: `reason` replaces the decision's. */
  pause?: boolean;
  /** …and a completed one too (the dataset gate: a verification that fails after the last merge). */
  pauseCompleted?: boolean;
  waitingUntil?: string | null;
  /** The breaker's record after the gate (it may name a canary). */
  breaker?: BreakerRecord;
}

export interface Gate {
  readonly name: string;
  /** A finished wave before the active one: null lets the rollout go past it. */
  wave?(wave: WaveFacts, ctx: GateContext): WaveHold | null;
  /** The tick's actions; `active` is the active wave (-1: none left, -2: waiting on time). */
  actions?(actions: readonly Action[], ctx: GateContext, active: number): ActionVerdict;
}

/**
 * The gates decide consults, in order: the wave gates after each finished wave (the first that holds
 * stops the walk), the action gates over the tick's actions (each sees what the previous let through).
 * A new gate is one file in this folder and one line here.
 */
import { approvalsGate } from './approvals.js';
import { breakerGate } from './breaker.js';
import { checksGate } from './checks.js';
import { datasetGate } from './dataset.js';
import { scheduleGate } from './schedule.js';
import type { Gate } from './gate.js';
import { soakGate } from './soak.js';
import { thresholdGate } from './threshold.js';

export const GATES: readonly Gate[] = [thresholdGate, soakGate, datasetGate, checksGate, approvalsGate, scheduleGate, breakerGate];

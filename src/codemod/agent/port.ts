/**
 * The agent port: how the change applier (src/codemod/engine.ts) asks a coding agent to migrate one
 * consumer the deterministic rules could not. The core only builds the request (prompt, context) and
 * reads the outcome; the runner that starts processes — the scratch copy, the sandbox, the verifiers,
 * the judge, the cache — is an adapter (src/agent/), wired in src/composition/engine-deps.ts.
 */
import type { AgentParams } from '../../manifest/change-rules.js';
import type { Edit, Finding } from '../port.js';
import type { AgentContext } from './context.js';
import type { AgentReport } from './report.js';

export type { AgentIsolation, AgentReport, AgentTurn, GuardViolation, JudgeVerdict, VerifierResult } from './report.js';

export interface AgentRequest {
  /** The repository, e.g. `acme/recs`. */
  repo: string;
  /** The consumer's checkout at `headSha` (read-only). */
  dir: string;
  /** The consumer's head the change is made on; the cache's key. Absent: no cache. */
  headSha?: string;
  params: AgentParams;
  prompt: { path: string; text: string; hash: string };
  context: AgentContext;
  /** What the deterministic rules changed: the agent starts from their result. */
  baseEdits: Edit[];
}

export interface AgentOutcome {
  report: AgentReport;
  /** Passed: every change from the consumer's head (the rules' and the agent's). Otherwise empty. */
  edits: Edit[];
  findings: Finding[];
}

export interface AgentStep {
  run(request: AgentRequest): Promise<AgentOutcome>;
}

/**
 * What an agent did on one consumer: its turns, verifiers, guards, the judge's verdict, the sandbox it
 * ran in. A leaf of types (the change set carries it: src/codemod/port.ts), so it imports nothing.
 */
/** One verifier's run on one turn: its command and, when it failed, the relevant lines of its output. */
export interface VerifierResult {
  name: string;
  command: string;
  passed: boolean;
  /** The error lines that matter (src/codemod/agent/reduce-output.ts), at most a few dozen. */
  errors: string[];
  ms: number;
}

/** A deterministic guard the agent's diff broke (src/codemod/agent/guards.ts). */
export interface GuardViolation {
  guard: 'paths' | 'maxChangedLines' | 'tests' | 'assertions' | 'downgrade' | 'ci' | 'nothing';
  file?: string;
  line?: number;
  message: string;
}

export interface JudgeVerdict {
  pass: boolean;
  reason: string;
}

export interface AgentTurn {
  turn: number;
  /** The agent program's exit status (null: killed). */
  exitCode: number | null;
  timedOut: boolean;
  ms: number;
  /** The agent was not called on this turn: its saved result was replayed (a run resumed after a crash). */
  replayed: boolean;
  /** Files it wrote outside `paths`: thrown away. */
  discarded: string[];
  /** Lines added plus removed by the agent (from the rules' result) after this turn. */
  changedLines: number;
  verifiers: VerifierResult[];
  guards: GuardViolation[];
  /** The tail of its output (stdout and stderr), for prompt authors. */
  output: string;
}

/** What the runner could confine, as applied on this host (docs/rules/agent.md, "The sandbox"). */
export interface AgentIsolation {
  network: 'none' | 'host';
  /** How memory was limited, e.g. `RLIMIT_DATA 4096 MiB (ulimit -d)`. */
  memory: string;
  pidNamespace: boolean;
  /** A /proc of its own: it cannot read Fleetwave's environment through /proc/<pid>/environ. */
  privateProc: boolean;
}

export interface AgentReport {
  command: string;
  prompt: string;
  /** sha256 of the prompt file's bytes. */
  promptHash: string;
  /** passed: verifiers and guards passed on a turn and the judge (if any) agreed. */
  status: 'passed' | 'failed' | 'vetoed';
  turns: AgentTurn[];
  judge?: JudgeVerdict;
  isolation: AgentIsolation;
  /** The whole outcome came from the cache: the agent was not called in this run. */
  cached: boolean;
  /** Why it did not pass (null when it passed). */
  reason: string | null;
  /**
   * `fallback: annotate` after it did not pass: the change set holds only comments above the blocking
   * reads (this many), no migration. Offered as a draft, never merged by Fleetwave.
   */
  annotated?: number;
}

/**
 * The agent runner: the adapter behind the agent port (src/codemod/agent/port.ts). For one consumer:
 *
 *   1. a scratch copy at its head with the rules' edits committed (scratch.ts);
 *   2. turns, at most `maxTurns`: the agent program runs in the copy, sandboxed (sandbox.ts), the
 *      prompt on stdin and in the file named by FLEETWAVE_AGENT_PROMPT, the context JSON in
 *      FLEETWAVE_AGENT_CONTEXT (and in the file FLEETWAVE_AGENT_CONTEXT_FILE), the turn in
 *      FLEETWAVE_AGENT_TURN; what it left is saved (cache.ts); what it wrote outside `paths` is thrown
 *      away; the guards (src/codemod/agent/guards.ts) and the verifiers (verifiers.ts) judge the rest,
 *      and their failures go to the next turn;
 *   3. when a turn passes, the judge (when configured) gets the diff and the prompt and may veto;
 *   4. the outcome is cached by (head, prompt hash, command, rules' edits).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import picomatch from 'picomatch';
import { unifiedDiff } from '../codemod/diff.js';
import { checkGuards, changedLines } from '../codemod/agent/guards.js';
import { parseJudgeAnswer } from '../codemod/agent/judge.js';
import type {
  AgentIsolation,
  AgentOutcome,
  AgentReport,
  AgentRequest,
  AgentStep,
  AgentTurn,
  JudgeVerdict,
  VerifierResult,
} from '../codemod/agent/port.js';
import { reduceOutput } from '../codemod/agent/reduce-output.js';
import type { Edit, Finding } from '../codemod/port.js';
import { parseDuration } from '../util/duration.js';
import type { Logger } from '../util/log.js';
import { silentLogger } from '../util/log.js';
import { AgentCache, cacheKey, type SavedTurn } from './cache.js';
import { isSecretName } from '../util/untrusted-env.js';
import { runSandboxed, sandboxEnv } from './sandbox.js';
import { createScratch, type Scratch } from './scratch.js';
import { detectVerifiers } from './verifiers.js';

/** The context JSON is also put in the environment up to this size (Linux caps one string at 128 KiB). */
const CONTEXT_ENV_BYTES = 100 * 1024;
/** Output of the agent kept in the report, per turn. */
const TURN_OUTPUT_CHARS = 4000;

export interface AgentRunnerOptions {
  /** The state folder's agent cache (absent: nothing cached). */
  cacheDir?: string;
  /** node_modules linked into a copy of a package.json repository that has none (the CLI's toolchain). */
  nodeModules?: string;
  logger?: Logger;
  /** Our environment, where `agent.env` names are taken from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /**
   * Variables the operator configured for a consumer's checks (the CLI's `--lake`: FLEETWAVE_LAKE), given
   * to the verifiers as the local forge gives them to checks; secret-looking names are dropped.
   */
  verifierEnv?: Record<string, string>;
}

export function createAgentRunner(options: AgentRunnerOptions = {}): AgentStep {
  const cache = options.cacheDir ? new AgentCache(options.cacheDir) : undefined;
  const log = options.logger ?? silentLogger;
  return {
    async run(request) {
      const key = cache ? cacheKey(request) : undefined;
      const cached = key ? cache!.outcome(key) : undefined;
      if (cached) {
        log.info({ repo: request.repo, key: key!.slice(0, 12) }, 'agent: cached outcome, not called again');
        return { ...cached, report: { ...cached.report, cached: true } };
      }
      const scratch = await createScratch(request.dir, request.baseEdits, { nodeModules: options.nodeModules });
      try {
        const outcome = await runTurns(request, scratch, {
          saved: (turn) => (key ? cache!.turn(key, turn) : undefined),
          save: (turn, saved) => key && cache!.saveTurn(key, turn, saved),
          env: options.env ?? process.env,
          verifierEnv: options.verifierEnv ?? {},
          log,
        });
        if (key) cache!.saveOutcome(key, outcome);
        return outcome;
      } finally {
        scratch.dispose();
      }
    },
  };
}

interface TurnIO {
  saved(turn: number): SavedTurn | undefined;
  save(turn: number, saved: SavedTurn): void;
  env: NodeJS.ProcessEnv;
  verifierEnv: Record<string, string>;
  log: Logger;
}

async function runTurns(request: AgentRequest, scratch: Scratch, io: TurnIO): Promise<AgentOutcome> {
  const { params, prompt } = request;
  const timeoutMs = parseDuration(params.timeout) ?? 20 * 60_000;
  const inPaths = picomatch([...params.paths], { dot: true });
  const promptFile = join(scratch.root, 'prompt.md');
  const contextFile = join(scratch.root, 'context.json');
  writeFileSync(promptFile, prompt.text);
  const detected = detectVerifiers(scratch.repo, io.env.PATH ?? '');
  const turns: AgentTurn[] = [];
  let failures: string[] = [];
  let isolation: AgentIsolation = { network: params.network, memory: 'not applied', pidNamespace: false, privateProc: false };
  let status: AgentReport['status'] = 'failed';
  let judge: JudgeVerdict | undefined;
  let reason: string | null = null;
  const findings: Finding[] = [];
  for (let turn = 1; turn <= params.maxTurns; turn++) {
    const context = { ...request.context, turn, previousFailures: failures };
    const contextJson = JSON.stringify(context);
    writeFileSync(contextFile, contextJson);
    let saved = io.saved(turn);
    const replayed = saved !== undefined;
    if (saved) {
      await scratch.restore(saved.files);
      io.log.info({ repo: request.repo, turn }, "agent: this turn's saved result replayed, the agent not called again");
    } else {
      const { env, refused } = sandboxEnv({
        home: scratch.home,
        tmp: scratch.tmp,
        pass: params.env,
        from: io.env,
        own: {
          FLEETWAVE_AGENT_PROMPT: promptFile,
          FLEETWAVE_AGENT_CONTEXT:
            contextJson.length <= CONTEXT_ENV_BYTES ? contextJson : JSON.stringify({ ...context, findings: [], truncated: true }),
          FLEETWAVE_AGENT_CONTEXT_FILE: contextFile,
          FLEETWAVE_AGENT_TURN: String(turn),
        },
      });
      if (refused.length && turn === 1) io.log.warn({ repo: request.repo, refused }, 'agent: variables never passed to an agent');
      const result = await runSandboxed({
        command: params.command,
        cwd: scratch.repo,
        env,
        stdin: prompt.text,
        timeoutMs,
        memoryMiB: params.memoryMiB,
        network: params.network,
      });
      isolation = result.isolation;
      const files: Record<string, string | null> = {};
      for (const e of await scratch.changes()) files[e.path] = e.after;
      saved = {
        files,
        exitCode: result.exitCode,
        timedOut: result.timedOut,
        ms: result.ms,
        output: result.output.slice(-TURN_OUTPUT_CHARS),
      };
      io.save(turn, saved);
    }
    // What it wrote outside `paths` is thrown away (and reported), whatever else happens.
    const discarded: string[] = [];
    for (const path of Object.keys(saved.files).sort()) {
      if (inPaths(path)) continue;
      await scratch.revert(path);
      discarded.push(path);
    }
    for (const path of discarded)
      findings.push({
        severity: 'warning',
        file: path,
        message: `the agent wrote ${path}, outside paths (${params.paths.join(', ')}): thrown away (turn ${turn})`,
      });
    const agentEdits = await scratch.changes();
    const guards = checkGuards({ edits: agentEdits, paths: params.paths, maxChangedLines: params.maxChangedLines });
    // Thrown away, and the turn does not pass: an agent that strays is told so, and gets no PR until it stops.
    if (discarded.length)
      guards.unshift({
        guard: 'paths',
        message: `the agent wrote outside paths (${params.paths.join(', ')}), thrown away: ${discarded.join(', ')}`,
      });
    if (saved.timedOut) guards.push({ guard: 'nothing', message: `the agent ran out of time (${params.timeout}) and was killed` });
    else if (agentEdits.length === 0)
      guards.push({
        guard: 'nothing',
        message: `the agent changed nothing inside paths${saved.exitCode ? ` (it exited with ${saved.exitCode})` : ''}`,
      });
    const verifiers: VerifierResult[] = [];
    // What the verifiers and the judge leave (caches, build output) is not the agent's: put back after them.
    const kept = Object.fromEntries(agentEdits.map((e) => [e.path, e.after]));
    if (guards.length === 0) {
      for (const v of detected.verifiers) verifiers.push(await runVerifier(v, scratch, params.memoryMiB, timeoutMs, io));
      await scratch.restore(kept);
    }
    turns.push({
      turn,
      exitCode: saved.exitCode,
      timedOut: saved.timedOut,
      ms: saved.ms,
      replayed,
      discarded,
      changedLines: changedLines(agentEdits),
      verifiers,
      guards,
      output: saved.output,
    });
    const noVerifier = guards.length === 0 && detected.verifiers.length === 0;
    failures = [
      ...guards.map((g) => `guard ${g.guard}: ${g.message}`),
      ...verifiers.filter((v) => !v.passed).flatMap((v) => [`verifier ${v.name} (${v.command}) failed:`, ...v.errors]),
    ];
    if (noVerifier) {
      reason = `no verifier found in the repository (package.json typecheck/test scripts, dbt, pytest or .fleetwave/check)${detected.skipped.length ? `; ${detected.skipped.join('; ')}` : ''}: no pull request without one`;
      break;
    }
    if (failures.length > 0) {
      reason = `turn ${turn}: ${failures.slice(0, 3).join(' ')}`;
      continue;
    }
    reason = null;
    if (params.judge) {
      judge = await runJudge(params.judge, request, agentEdits, scratch, timeoutMs, io);
      await scratch.restore(kept);
      if (!judge.pass) {
        status = 'vetoed';
        reason = `the judge vetoed the change: ${judge.reason}`;
        findings.push({ severity: 'blocking', message: `agent: ${reason}` });
        break;
      }
    }
    status = 'passed';
    break;
  }
  if (status === 'failed') {
    reason = `the agent did not pass after ${turns.length} turn(s): ${reason ?? 'no turn passed'}`;
    findings.push({ severity: 'blocking', message: `agent: ${reason}` });
  }
  const report: AgentReport = {
    command: params.command,
    prompt: prompt.path,
    promptHash: prompt.hash,
    status,
    turns,
    ...(judge ? { judge } : {}),
    isolation,
    cached: false,
    reason,
  };
  for (const s of detected.skipped) findings.push({ severity: 'info', message: `agent verifiers: ${s}` });
  return { report, edits: status === 'passed' ? await fromHead(request, scratch) : [], findings };
}

/** Every change from the consumer's head: the rules' and the agent's, as one set of edits. */
async function fromHead(request: AgentRequest, scratch: Scratch): Promise<Edit[]> {
  const rules = new Map(request.baseEdits.map((e) => [e.path, e]));
  const agent = new Map((await scratch.changes()).map((e) => [e.path, e]));
  const out: Edit[] = [];
  for (const path of [...new Set([...rules.keys(), ...agent.keys()])].sort()) {
    const before = rules.has(path) ? rules.get(path)!.before : agent.get(path)!.before;
    const after = agent.has(path) ? agent.get(path)!.after : rules.get(path)!.after;
    if (before !== after) out.push({ path, before, after });
  }
  return out;
}

async function runVerifier(
  v: { name: string; command: string },
  scratch: Scratch,
  memoryMiB: number,
  timeoutMs: number,
  io: Pick<TurnIO, 'env' | 'verifierEnv'>,
): Promise<VerifierResult> {
  // Never the agent's vendor key, never network: a verifier is the repository's own code. It gets what
  // the operator configured for checks (FLEETWAVE_LAKE), as the local forge's checks do.
  const own: Record<string, string> = { CI: '1' };
  for (const [k, v] of Object.entries(io.verifierEnv)) if (!isSecretName(k)) own[k] = v;
  const { env } = sandboxEnv({ home: scratch.home, tmp: scratch.tmp, from: io.env, own });
  const r = await runSandboxed({ command: v.command, cwd: scratch.repo, env, timeoutMs, memoryMiB, network: 'none' });
  const passed = r.exitCode === 0;
  const errors = passed
    ? []
    : r.timedOut
      ? [`timed out after ${Math.round(timeoutMs / 1000)} s`, ...reduceOutput(r.output)]
      : reduceOutput(r.output);
  return { name: v.name, command: v.command, passed, errors, ms: r.ms };
}

/** The judge's stdin: the prompt, then the agent's unified diff (docs/rules/agent.md, "The judge"). */
export function judgeInput(promptText: string, edits: readonly Edit[]): string {
  return `# Prompt\n\n${promptText.trimEnd()}\n\n# Diff\n\n${edits.map((e) => unifiedDiff(e)).join('')}`;
}

async function runJudge(
  command: string,
  request: AgentRequest,
  edits: Edit[],
  scratch: Scratch,
  timeoutMs: number,
  io: TurnIO,
): Promise<JudgeVerdict> {
  const { params } = request;
  const diffFile = join(scratch.root, 'agent.diff');
  writeFileSync(diffFile, edits.map((e) => unifiedDiff(e)).join(''));
  const { env } = sandboxEnv({
    home: scratch.home,
    tmp: scratch.tmp,
    pass: params.env,
    from: io.env,
    own: { FLEETWAVE_AGENT_PROMPT: join(scratch.root, 'prompt.md'), FLEETWAVE_AGENT_DIFF: diffFile },
  });
  const r = await runSandboxed({
    command,
    cwd: scratch.repo,
    env,
    stdin: judgeInput(request.prompt.text, edits),
    timeoutMs,
    memoryMiB: params.memoryMiB,
    network: params.network,
  });
  return parseJudgeAnswer(r.stdout, r.exitCode);
}

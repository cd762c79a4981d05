import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import picomatch from 'picomatch';
import { CustomCodemodFailure, runCustomCodemod } from '../custom/runner.js';
import { changedLineCount } from '../diff.js';
import { CodemodError } from '../errors.js';
import { isSourcePath } from '../repo-files.js';
import { parseDuration } from '../../util/duration.js';
import type { RepoRule } from './rule.js';
import { codemodParams, type CodemodParams } from '../../manifest/change-rules.js';

interface Normalized {
  module: string;
  timeoutMs: number;
  memoryMiB: number;
  files?: string[];
}

function normalize(p: CodemodParams): Normalized {
  if (typeof p === 'string') return { module: p, timeoutMs: 60_000, memoryMiB: 512 };
  return { module: p.module, timeoutMs: parseDuration(p.timeout) ?? 60_000, memoryMiB: p.memoryMiB, files: p.files };
}

/**
 * `codemod`: a custom transform module from the manifest's repository (at the manifest's commit),
 * a function over a ts-morph SourceFile, run in a child process with a timeout and a memory limit.
 * `- codemod: ./codemods/play-events-v2.ts` or `- codemod: { module, timeout, memoryMiB, files }`.
 * If it throws, times out or runs out of memory, the target fails and none of its changes are kept.
 */
export const codemodRule: RepoRule<CodemodParams> = {
  kind: 'repo',
  name: 'codemod',
  params: codemodParams,
  describe: (p) => `custom codemod \`${normalize(p).module}\``,
  async run(params, ctx) {
    const p = normalize(params);
    if (!ctx.manifestDir) {
      throw new CodemodError(
        `codemod ${p.module}: no manifest repository checked out to load it from (custom codemods load only from the manifest's repository at its commit)`,
        'codemod',
      );
    }
    const root = realpathSync(ctx.manifestDir);
    let abs: string;
    try {
      abs = realpathSync(resolve(root, p.module));
    } catch {
      throw new CodemodError(`codemod ${p.module}: no such file in the manifest repository (${root})`, 'codemod');
    }
    const rel = relative(root, abs);
    if (rel.startsWith('..') || isAbsolute(rel))
      throw new CodemodError(`codemod ${p.module}: resolves outside the manifest repository`, 'codemod');
    const match = p.files ? picomatch(p.files, { dot: true }) : isSourcePath;
    const files = ctx.paths
      .filter((path) => match(path))
      .flatMap((path) => {
        const text = ctx.read(path);
        return text === undefined ? [] : [{ path, text }];
      });
    let result;
    try {
      result = await runCustomCodemod({ modulePath: abs, rootDir: root, files }, { timeoutMs: p.timeoutMs, memoryMiB: p.memoryMiB });
    } catch (err) {
      if (err instanceof CustomCodemodFailure)
        throw new CodemodError(`codemod ${p.module} failed for ${ctx.repo}: ${err.message}`, 'codemod', { cause: err });
      throw err;
    }
    const out = new Map<string, string>();
    const counts = new Map<string, number>();
    const known = new Set(files.map((f) => f.path));
    for (const f of result.files) {
      if (!known.has(f.path)) continue;
      out.set(f.path, f.text);
      const before = files.find((x) => x.path === f.path)!.text;
      counts.set(f.path, Math.max(1, changedLineCount(before, f.text).added));
    }
    return {
      files: out,
      counts,
      findings: result.notes.map((message) => ({ severity: 'info' as const, message: `codemod ${p.module}: ${message}` })),
    };
  },
};

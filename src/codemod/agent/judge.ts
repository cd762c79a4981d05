/**
 * The judge's answer (docs/rules/agent.md, "The judge"): the first non-empty line of what it prints is
 * `pass`, `pass: <reason>`, `fail` or `fail: <reason>` (any case), or its whole output is JSON
 * `{"pass": true|false, "reason": "…"}`. A judge that exits non-zero, or answers anything else, vetoes:
 * an unreadable answer is never a pass. Pure.
 */
import type { JudgeVerdict } from './port.js';

export function parseJudgeAnswer(stdout: string, exitCode: number | null): JudgeVerdict {
  if (exitCode !== 0)
    return { pass: false, reason: `the judge exited with ${exitCode ?? 'a signal'}${firstLine(stdout) ? `: ${firstLine(stdout)}` : ''}` };
  const text = stdout.trim();
  if (text.startsWith('{')) {
    try {
      const v = JSON.parse(text) as { pass?: unknown; reason?: unknown };
      if (typeof v.pass === 'boolean') return { pass: v.pass, reason: typeof v.reason === 'string' ? v.reason : '' };
    } catch {
      // not JSON: read as lines
    }
  }
  const m = /^(pass|fail)\b\s*:?\s*(.*)$/i.exec(firstLine(text));
  if (!m)
    return {
      pass: false,
      reason: `unreadable answer from the judge (expected "pass: <reason>" or "fail: <reason>"): ${firstLine(text).slice(0, 200) || '(nothing)'}`,
    };
  return { pass: m[1]!.toLowerCase() === 'pass', reason: m[2]!.trim() };
}

function firstLine(text: string): string {
  return (
    text
      .split(/\r?\n/)
      .find((l) => l.trim().length > 0)
      ?.trim() ?? ''
  );
}

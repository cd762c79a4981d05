/**
 * What Fleetwave left for a consumer's owners to change by hand: the `warning` findings of its change
 * set (a workflow file GitHub would refuse without the `workflows` permission, a file that does not
 * parse, a place a rule would not guess). The plan and the dashboard list them; the PR body has its own
 * "Please check by hand" section. Pure.
 */
import type { Finding } from '../codemod/port.js';

export interface LeftForOwners {
  repo: string;
  findings: Finding[];
}

export function leftForOwners(targets: readonly { repo: string; findings: readonly Finding[] }[]): LeftForOwners[] {
  return targets
    .map((t) => ({ repo: t.repo, findings: t.findings.filter((f) => f.severity === 'warning') }))
    .filter((t) => t.findings.length > 0);
}

/** One finding on one line: `path:line: message`. */
export function findingLine(f: Finding): string {
  return `${f.file ? `${f.file}${f.line ? `:${f.line}` : ''}: ` : ''}${f.field ? `${f.field}: ` : ''}${f.message}`;
}

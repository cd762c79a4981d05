/**
 * The pull request Fleetwave opens in a consumer repository: title and body. Pure.
 */
import type { ChangeSet } from '../codemod/port.js';
import type { Manifest } from '../manifest/types.js';
import type { DatasetGateView } from '../rollout/decision.js';
import { changesHash, renderMarker } from '../rollout/marker.js';
import { fitBody, GITHUB_BODY_LIMIT } from './body-limit.js';
import { renderAgentSection } from './pr-body-agent.js';
import { renderChangesSection } from './pr-body-changes.js';

export function pullRequestTitle(manifest: Manifest, options: { agent?: boolean; annotate?: boolean } = {}): string {
  const what = manifest.metadata.description?.split('\n')[0]?.trim();
  const tag = options.annotate ? ', annotate' : options.agent ? ', agent' : '';
  return `[fleetwave${tag}] ${manifest.metadata.name}${what ? `: ${what}` : ''}`.slice(0, 200);
}

export function pullRequestBody(input: {
  manifest: Manifest;
  manifestHash: string;
  /** The manifest's source, carried by the marker (src/rollout/identity.ts). */
  source: string;
  manifestRef: string;
  changes: ChangeSet;
  wave: number;
  burndown?: string;
  /** The dataset gate at the tick that opens it: the data evidence the consumer is moved to. */
  dataset?: DatasetGateView;
  /** The workspace folder this pull request is for (`consumers.workspaces`, `prs: per-workspace`). */
  workspace?: string | null;
}): string {
  const { manifest, changes } = input;
  const lines: string[] = [];
  lines.push(`This pull request is part of the dataset migration **${manifest.metadata.name}**, owned by **${manifest.metadata.owner}**.`);
  if (manifest.metadata.description) lines.push('', manifest.metadata.description.trim());
  lines.push(
    '',
    `- Dataset: \`${manifest.dataset.source.uri}\` (${manifest.dataset.source.format}) → \`${manifest.dataset.target.uri}\` (${manifest.dataset.target.format})`,
  );
  if (manifest.metadata.sunset) lines.push(`- The old dataset goes away on **${manifest.metadata.sunset}**.`);
  lines.push(
    `- Wave ${input.wave}${input.wave === 0 ? ' (canary)' : ''}; manifest \`${input.manifestRef}\` (sha256 ${input.manifestHash.slice(0, 12)}).`,
  );
  if (input.workspace)
    lines.push(
      `- Workspace \`${input.workspace}\` of this repository: its own pull request, reviewers and checks; other workspaces get theirs.`,
    );
  if (changes.agent) lines.push('', renderAgentSection(changes.agent));
  lines.push('', renderChangesSection(changes, manifest));
  const sections = input.workspace ? null : renderWorkspaceSections(changes);
  if (sections) lines.push('', sections);
  if (input.dataset) lines.push('', renderDataEvidence(input.dataset, manifest));
  if (!changes.agent)
    lines.push('', 'Pushing your own commit to this branch hands it over to you: Fleetwave will then neither push to it nor merge it.');
  if (input.burndown) lines.push('', '### Fleet progress', '', input.burndown);
  const marker = renderMarker({
    migration: manifest.metadata.name,
    manifestHash: input.manifestHash,
    source: input.source,
    ...(changes.agent ? { agent: true as const } : {}),
    ...(changes.agent?.annotated ? { annotate: true as const } : {}),
    changes: changesHash(changes.edits),
  });
  // GitHub takes at most 65,536 characters (body-limit.ts); the marker at the end is kept whole.
  return fitBody(
    `${lines.join('\n')}\n`,
    marker,
    (n) =>
      `_${n} more line${n === 1 ? ' is' : 's are'} not shown: GitHub takes at most ${GITHUB_BODY_LIMIT.toLocaleString('en-US')} characters in a description. ` +
      `\`fleetwave plan\` and \`fleetwave codemod --dry-run\` on this repository list every change and finding._`,
  );
}

/**
 * One pull request for a monorepo (`consumers.workspaces` with `prs: one`): a section per workspace
 * with the files changed in it, then the files outside every workspace. Null when no file is in one.
 */
export function renderWorkspaceSections(changes: ChangeSet): string | null {
  const map = changes.workspaces ?? {};
  if (Object.keys(map).length === 0) return null;
  const byFolder = new Map<string, string[]>();
  for (const e of changes.edits) {
    const folder = map[e.path] ?? '';
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), e.path]);
  }
  const lines = ['### Workspaces', ''];
  for (const [folder, files] of [...byFolder].sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a < b ? -1 : 1))) {
    const blocking = changes.findings.filter((f) => f.severity === 'blocking' && f.file && (map[f.file] ?? '') === folder).length;
    lines.push(
      `#### ${folder ? `\`${folder}\`` : 'Outside every workspace'}`,
      '',
      ...files.sort().map((f) => `- \`${f}\``),
      ...(blocking ? ['', `${blocking} blocking finding${blocking === 1 ? '' : 's'} here (listed above).`] : []),
      '',
    );
  }
  return lines.join('\n').trimEnd();
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * The data this consumer is moved to: the target dataset's verification (rows, files, checksums, when,
 * where the report is), or why the rollout is not gated (`dataset.gate: none`).
 */
export function renderDataEvidence(dataset: DatasetGateView, manifest: Manifest): string {
  const lines = ['### The data', ''];
  const e = dataset.evidence;
  if (dataset.state === 'skipped') {
    lines.push(
      `\`${manifest.dataset.target.uri}\` is not verified by Fleetwave: the manifest says \`dataset.gate: none\` (the dataset only moves).`,
    );
    return lines.join('\n');
  }
  if (!e) {
    lines.push(`No verification evidence: the dataset gate is ${dataset.state}${dataset.reason ? ` (${dataset.reason})` : ''}.`);
    return lines.join('\n');
  }
  lines.push(
    `\`${e.target}\` was verified against \`${manifest.dataset.source.uri}\` at ${e.verifiedAt}${dataset.state === 'verified' ? '' : ` (${dataset.state})`}:`,
    '',
    `- Rows: ${count(e.targetRows)} in the new dataset, ${count(e.sourceRows)} in the old${e.mismatchedRows ? `; ${count(e.mismatchedRows)} sampled rows differ` : ''}`,
    `- Files: ${count(e.files)}`,
    `- Checksums: ${e.checksumsMatch ? 'matched' : 'differ'}`,
    `- Verification: ${e.reportUrl ? `[report](${e.reportUrl})` : `\`${e.record}\``}`,
  );
  if (e.reasons.length) lines.push(`- Failed: ${e.reasons.join('; ')}`);
  return lines.join('\n');
}

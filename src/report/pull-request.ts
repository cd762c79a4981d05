/**
 * The pull request Fleetwave opens in a consumer repository: title and body. Pure.
 */
import type { ChangeSet } from '../codemod/port.js';
import type { Manifest } from '../manifest/types.js';
import { renderMarker } from '../rollout/marker.js';
import { renderChangesSection } from './pr-body-changes.js';

export function pullRequestTitle(manifest: Manifest): string {
  const what = manifest.metadata.description?.split('\n')[0]?.trim();
  return `[fleetwave] ${manifest.metadata.name}${what ? `: ${what}` : ''}`.slice(0, 200);
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
  lines.push('', renderChangesSection(changes, manifest));
  lines.push('', 'Pushing your own commit to this branch hands it over to you: Fleetwave will then neither push to it nor merge it.');
  if (input.burndown) lines.push('', '### Fleet progress', '', input.burndown);
  lines.push('', renderMarker({ migration: manifest.metadata.name, manifestHash: input.manifestHash, source: input.source }));
  return lines.join('\n');
}

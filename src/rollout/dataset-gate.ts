/**
 * The dataset gate's reading, once per tick: what the target dataset's verification record
 * (`<target>/_fleetwave/verification.json`, src/data/verification-record.ts) means for the current
 * manifest and source, as the view decide's dataset gate (gates/dataset.ts) applies and every summary
 * shows. The engine reads the record through a port (ReconcileDeps.datasetGate) that the composition
 * root wires to the object stores (src/composition/dataset-gate.ts); the rollout imports no store.
 */
import type { LoadedManifest } from '../manifest/types.js';
import type { VerificationRecord } from '../data/verification-record.js';
import type { DatasetEvidence, DatasetGateView } from './decision.js';
import type { DatasetReading } from './dataset-port.js';
import type { Tick } from './tick.js';

/** The evidence a record carries (shown in every pull request). */
export function evidenceOf(record: VerificationRecord, recordUri: string): DatasetEvidence {
  return {
    target: record.target.uri,
    record: recordUri,
    sourceRows: record.source.rows,
    targetRows: record.target.rows,
    files: record.target.files.length,
    checksumsMatch: record.source.checksum === record.target.checksum,
    mismatchedRows: record.mismatchedRows,
    verifiedAt: record.verifiedAt,
    reportUrl: record.reportUrl,
    reasons: record.reasons,
  };
}

/** The view of one reading, with the reason a person reads on the migration. */
export function datasetView(loaded: LoadedManifest, reading: DatasetReading): DatasetGateView {
  if ('unreadable' in reading) return { state: 'unreadable', reason: `waiting for the dataset: ${reading.unreadable}`, evidence: null };
  const { verdict, recordUri } = reading;
  const verify = `\`fleetwave verify --manifest ${loaded.path}\``;
  switch (verdict.state) {
    case 'verified':
      return { state: 'verified', reason: null, evidence: evidenceOf(verdict.record, recordUri) };
    case 'missing':
      return {
        state: 'missing',
        reason: `waiting for the dataset: no verification record at ${recordUri} — run ${verify}`,
        evidence: null,
      };
    case 'stale':
      return {
        state: 'stale',
        reason: `waiting for the dataset: the verification record at ${recordUri} is stale (${verdict.why}) — run ${verify} again`,
        evidence: evidenceOf(verdict.record, recordUri),
      };
    case 'failed': {
      const checks = verdict.record.reasons.length ? verdict.record.reasons.join('; ') : 'no reason recorded';
      return {
        state: 'failed',
        reason: `the target dataset ${verdict.record.target.uri} failed verification at ${verdict.record.verifiedAt}: ${checks} (${recordUri}); fix the data and run ${verify} again, the rollout goes on at the next tick once it passes`,
        evidence: evidenceOf(verdict.record, recordUri),
      };
    }
  }
}

/** Asks the port once for this tick; `dataset.gate: none` skips it, an engine without a reader leaves it unchecked. */
export async function readDatasetGate(tick: Tick): Promise<DatasetGateView> {
  const { loaded, deps } = tick;
  if (loaded.manifest.dataset.gate === 'none')
    return { state: 'skipped', reason: 'dataset.gate: none — the dataset only moves; no verification gates the rollout', evidence: null };
  if (!deps.datasetGate)
    return { state: 'unchecked', reason: 'this engine was built without a reader of the verification record', evidence: null };
  let reading: DatasetReading;
  try {
    reading = await deps.datasetGate(loaded);
  } catch (err) {
    reading = { unreadable: `cannot read the verification record of ${loaded.manifest.dataset.target.uri}: ${(err as Error).message}` };
  }
  const view = datasetView(loaded, reading);
  if (view.state !== 'verified') deps.logger.info({ migration: tick.migration, gate: view.state }, view.reason ?? view.state);
  return view;
}

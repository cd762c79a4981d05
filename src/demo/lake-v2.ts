import { join } from 'node:path';
import { convertDataset, convertOptionsFrom, type ConvertResult } from '../data/convert.js';
import type { VerificationReport } from '../data/verify/report.js';
import { verifyOptionsFrom } from '../data/verify/options.js';
import { verifyDataset } from '../data/verify/verify.js';
import { dataObjects, locateDataset } from '../data/verify/dataset-objects.js';
import { fingerprintOf, type RecordedFile, type VerificationRecord } from '../data/verification-record.js';
import { sourceFiles, writeVerificationRecord } from '../data/verification-store.js';
import type { Manifest } from '../manifest/types.js';
import { DataError } from '../util/errors.js';
import { VERSION } from '../version.js';

/**
 * The demo's new dataset, made the way a data owner makes it with Fleetwave: convert the old dataset
 * (Avro) into the new one (Parquet) with the manifest's transform and compression, then verify the
 * new one against the old one with the transform applied. Nothing of v2 is written by hand.
 */

/** What the verification found, over every converted file (the demo's v1 has one). */
export interface DemoVerification {
  /** Every file passed. */
  pass: boolean;
  sourceRows: number;
  targetRows: number;
  /** One report per converted file, in file order. */
  reports: VerificationReport[];
}

export interface LakeV2 {
  convert: ConvertResult;
  verification: DemoVerification;
  /** Where the verification record was written (`<v2>/_fleetwave/verification.json`), when a manifest hash was given. */
  record: string | null;
}

/** A lake-relative dataset location from the manifest (`data/play-events/v2/`) as a folder under `lakeDir`. */
function lakePath(lakeDir: string, uri: string): string {
  return join(lakeDir, ...uri.split('/').filter(Boolean));
}

/**
 * Convert `dataset.source` into `dataset.target` under `lakeDir` with the manifest's transform,
 * compression, row-group size and `dataset.schema` (read, as the CLI reads it, from `manifestRepoDir`,
 * the dataset repository's checkout), then verify each written file against its source with
 * `dataset.verify`. With the manifest's hash, the verification record is written beside v2, as
 * `fleetwave verify --manifest` writes it: the rollout's dataset gate reads it before any PR opens.
 */
export async function convertAndVerifyLake(
  lakeDir: string,
  manifest: Manifest,
  manifestRepoDir: string,
  manifestHash?: string,
): Promise<LakeV2> {
  const { dataset } = manifest;
  if (dataset.source.format !== 'avro' || dataset.target.format !== 'parquet') {
    throw new DataError(`the demo converts Avro to Parquet; the manifest says ${dataset.source.format} → ${dataset.target.format}`);
  }
  const convertOptions = await convertOptionsFrom(manifest, manifestRepoDir);
  const sourceDir = lakePath(lakeDir, dataset.source.uri);
  const convert = await convertDataset(sourceDir, lakePath(lakeDir, dataset.target.uri), convertOptions);
  const options = verifyOptionsFrom(manifest, convertOptions.schema !== undefined ? { schema: convertOptions.schema } : {});
  const reports: VerificationReport[] = [];
  // each written file against what it was converted from: one Avro file, or (merged) the whole source folder
  for (const file of convert.files)
    reports.push(await verifyDataset(file.sources.length === 1 ? file.sources[0]! : sourceDir, file.target, options));
  const verification: DemoVerification = {
    pass: reports.length > 0 && reports.every((r) => r.pass),
    sourceRows: reports.reduce((n, r) => n + r.sourceRows, 0),
    targetRows: reports.reduce((n, r) => n + r.targetRows, 0),
    reports,
  };
  const targetDir = lakePath(lakeDir, dataset.target.uri);
  const record =
    manifestHash === undefined ? null : await writeRecord(manifest, manifestHash, `${sourceDir}/`, `${targetDir}/`, verification);
  return { convert, verification, record };
}

/** The verification record of the demo's v2, written beside it (src/data/verification-store.ts). */
async function writeRecord(
  manifest: Manifest,
  manifestHash: string,
  sourceUri: string,
  targetUri: string,
  verification: DemoVerification,
): Promise<string> {
  const source = await sourceFiles(sourceUri);
  const target: RecordedFile[] = (await dataObjects(await locateDataset(targetUri), '.parquet')).map((o) => ({
    key: o.key,
    size: o.size,
    etag: o.etag,
  }));
  const { reports } = verification;
  const checksum = (side: 'source' | 'target') => reports.map((r) => r.rows.checksum[side]).join('+');
  const record: VerificationRecord = {
    version: 1,
    migration: manifest.metadata.name,
    manifestHash,
    source: {
      uri: sourceUri,
      files: source,
      fingerprint: fingerprintOf(source),
      rows: verification.sourceRows,
      checksum: checksum('source'),
    },
    target: {
      uri: targetUri,
      files: target,
      fingerprint: fingerprintOf(target),
      rows: verification.targetRows,
      checksum: checksum('target'),
    },
    pass: verification.pass,
    reasons: reports.flatMap((r) => r.reasons),
    mismatchedRows: reports.reduce((n, r) => n + r.mismatchedRows, 0),
    maxMismatchRatio: manifest.dataset.verify.maxMismatchRatio,
    verifiedAt: new Date().toISOString(),
    reportUrl: null,
    fleetwaveVersion: VERSION,
  };
  return writeVerificationRecord(targetUri, record);
}

import type { DatasetSpec } from '../dataset-spec.js';
import type { VerifyOptions } from './verify.js';

/** Verify options from a manifest's `dataset.transform` and `dataset.verify` (defaults when there is no manifest). */
export function verifyOptionsFrom(
  manifest: { dataset: DatasetSpec } | undefined,
  overrides: { key?: string; maxMismatchRatio?: number; schema?: VerifyOptions['schema'] } = {},
): VerifyOptions {
  const v = manifest?.dataset.verify;
  const options: VerifyOptions = {
    transform: manifest?.dataset.transform ?? [],
    rowCount: v?.rowCount ?? 'exact',
    checksums: v?.checksums ?? 'all',
    sample: v?.sample ?? 1000,
    maxMismatchRatio: overrides.maxMismatchRatio ?? v?.maxMismatchRatio ?? 0,
  };
  const key = overrides.key ?? v?.key;
  if (key !== undefined) options.key = key;
  if (overrides.schema !== undefined) options.schema = overrides.schema;
  return options;
}

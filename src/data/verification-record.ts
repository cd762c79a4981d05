/**
 * The verification record: what `verify` (CLI and Action) writes beside the target dataset, at
 * `<target>/_fleetwave/verification.json`, and what the rollout's dataset gate reads at every tick
 * (issue 15, docs/verify.md). Pure: the schema, the fingerprint of a side's files, and what a record
 * means for a given manifest and source. Writing and reading it go through the object-storage port.
 *
 * A record passes the gate only when it passed, is for the manifest's current hash, and the source it
 * verified is still the source (same files, sizes and etags: its fingerprint). Anything else — no
 * record, a failed one, one for another manifest hash, a changed source — holds the consumer PRs back;
 * a failed record for the current manifest and source pauses the migration.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';

/** Where the record lives, relative to the target dataset's URI (a folder or prefix). */
export const VERIFICATION_RECORD_PATH = '_fleetwave/verification.json';

const fileSchema = z.object({ key: z.string(), size: z.number().int().min(0), etag: z.string() });

const sideSchema = z.object({
  /** The dataset's URI as verified. */
  uri: z.string(),
  /** The committed files verify read, in key order. */
  files: z.array(fileSchema),
  /** `fingerprintOf(files)`. */
  fingerprint: z.string(),
  rows: z.number().int().min(0),
  /** The order-independent checksum of every row (hex), as the verification report gives it. */
  checksum: z.string(),
});

export const verificationRecordSchema = z.object({
  version: z.literal(1),
  migration: z.string(),
  /** sha256 of the manifest the verification was run for. */
  manifestHash: z.string(),
  source: sideSchema,
  target: sideSchema,
  pass: z.boolean(),
  /** Why it failed (empty when it passed). */
  reasons: z.array(z.string()),
  /** Rows that differ, and the share the manifest allows. */
  mismatchedRows: z.number().int().min(0),
  maxMismatchRatio: z.number().min(0).max(1),
  /** ISO time of the verification. */
  verifiedAt: z.string(),
  /** Where a person reads the whole report (a workflow run's URL, a file), when known. */
  reportUrl: z.string().nullable(),
  /** The Fleetwave version that verified. */
  fleetwaveVersion: z.string(),
});

export type VerificationRecord = z.infer<typeof verificationRecordSchema>;
export type RecordedFile = z.infer<typeof fileSchema>;

/** A side's fingerprint: sha256 over its files' keys, sizes and etags, in key order. */
export function fingerprintOf(files: readonly RecordedFile[]): string {
  const hash = createHash('sha256');
  for (const f of [...files].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) hash.update(`${f.key}\0${f.size}\0${f.etag}\n`);
  return hash.digest('hex');
}

/** Parses a record's JSON; the error names `uri` and what is wrong. */
export function parseVerificationRecord(text: string, uri: string): VerificationRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`${uri}: not JSON (${(err as Error).message}); run \`fleetwave verify\` again to rewrite it`);
  }
  const parsed = verificationRecordSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${uri}: ${issue.path.join('.') || '(top)'}: ${issue.message}; run \`fleetwave verify\` again to rewrite it`);
  }
  return parsed.data;
}

/** What a record (or its absence) means for the manifest `manifestHash` whose source now has `sourceFingerprint`. */
export type GateVerdict =
  | { state: 'verified'; record: VerificationRecord }
  | { state: 'missing' }
  | { state: 'stale'; record: VerificationRecord; why: string }
  | { state: 'failed'; record: VerificationRecord };

export function gateVerdict(record: VerificationRecord | null, manifestHash: string, sourceFingerprint: string | null): GateVerdict {
  if (!record) return { state: 'missing' };
  if (record.manifestHash !== manifestHash)
    return {
      state: 'stale',
      record,
      why: `it is for manifest ${record.manifestHash.slice(0, 12)}, not the current ${manifestHash.slice(0, 12)}`,
    };
  if (sourceFingerprint !== null && record.source.fingerprint !== sourceFingerprint)
    return { state: 'stale', record, why: 'the source dataset changed since it was verified' };
  return record.pass ? { state: 'verified', record } : { state: 'failed', record };
}

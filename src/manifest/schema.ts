import { z } from 'zod';
import { changeRuleSchema } from '../codemod/rules/registry.js';
import { transformStepSchema } from '../data/transform/schema.js';
import { parseDuration, parseFraction } from '../util/duration.js';

/**
 * The one source of the manifest's shape (apiVersion fleetwave/v1). The TypeScript types, the
 * validation and `manifests/schema.json` (for editors) all come from here.
 */

const name = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'a lowercase name of letters, digits and dashes (it becomes the branch fleetwave/<name>)');

const repoPattern = z.string().regex(/^[A-Za-z0-9_.*-]+\/[A-Za-z0-9_.*-]+$/, 'a repository as owner/name (globs allowed: acme/*)');
const repoName = z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'a repository as owner/name');

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

/** YAML turns an unquoted 2027-03-01 into a Date; accept both and keep the ISO day. */
const dateLike = z.preprocess((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v), isoDate);

export const durationSchema = z
  .string()
  .refine((s) => parseDuration(s) !== undefined, 'a duration such as 30m, 1h, 45s or 2d');

export const fractionSchema = z
  .union([z.string(), z.number()])
  .refine((v) => parseFraction(v) !== undefined, 'a percentage such as 20% (0% to 100%) or a fraction from 0 to 1');

const waveSize = z.union([
  z.number().int().positive('a wave size is a positive count or a percentage'),
  z.string().regex(/^\d+(\.\d+)?%$/, 'a wave size such as 10% or a count such as 5').refine((s) => {
    const n = Number(s.slice(0, -1));
    return n > 0 && n <= 100;
  }, 'a wave percentage must be above 0% and at most 100%'),
]);

const dataFormat = z.enum(['avro', 'parquet', 'json']);
const compression = z.enum(['snappy', 'gzip', 'zstd', 'none']);

export const manifestSchema = z.strictObject({
  apiVersion: z.literal('fleetwave/v1', { error: 'apiVersion must be fleetwave/v1' }),
  kind: z.literal('DatasetMigration', { error: 'kind must be DatasetMigration' }),
  metadata: z.strictObject({
    name,
    owner: z.string().min(1),
    description: z.string().optional(),
    sensitive: z.boolean().default(false),
    sunset: dateLike.optional(),
  }),
  dataset: z.strictObject({
    source: z.strictObject({ uri: z.string().min(1), format: dataFormat }),
    target: z.strictObject({
      uri: z.string().min(1),
      format: dataFormat,
      compression: compression.default('zstd'),
      rowGroupSize: z.number().int().min(1).max(10_000_000).default(100_000),
    }),
    schema: z.string().optional().describe('Path (in the manifest repository) of the source Avro schema (.avsc), when no data file carries it'),
    transform: z.array(transformStepSchema).default([]),
    backfill: z
      .strictObject({ from: dateLike, to: dateLike, partition: z.enum(['daily', 'hourly']).default('daily') })
      .optional(),
    verify: z
      .strictObject({
        key: z.string().optional(),
        rowCount: z.enum(['exact', 'none']).default('exact'),
        checksums: z.union([z.enum(['all', 'none']), z.array(z.string()).min(1)]).default('all'),
        sample: z.number().int().min(0).default(1000),
        maxMismatchRatio: z.number().min(0).max(1).default(0),
      })
      .default({ rowCount: 'exact', checksums: 'all', sample: 1000, maxMismatchRatio: 0 }),
  }),
  consumers: z.strictObject({
    discover: z
      .array(
        z.union([
          z.strictObject({ catalog: z.string().min(1) }),
          z.strictObject({ search: z.string().min(1) }),
          z.strictObject({ repos: z.array(repoName).min(1) }),
        ]),
      )
      .min(1, 'name at least one way to find consumers (catalog, search or repos)'),
    include: z.array(repoPattern).default([]),
    exclude: z.array(repoPattern).default([]),
  }),
  changes: z.array(changeRuleSchema).default([]),
  rollout: z
    .strictObject({
      canary: z.union([z.array(repoName), z.number().int().min(0)]).default(1),
      waves: z.array(waveSize).min(1).default(['100%']),
      soak: durationSchema.default('0s'),
      maxOpenPRs: z.number().int().min(1).default(25),
      failureThreshold: fractionSchema.default('20%'),
      automerge: z.boolean().default(true),
      revertOnFailure: z.boolean().default(true),
      approvals: z.strictObject({ required: z.number().int().min(1), from: z.array(z.string().min(1)).min(1) }).optional(),
    })
    .default({ canary: 1, waves: ['100%'], soak: '0s', maxOpenPRs: 25, failureThreshold: '20%', automerge: true, revertOnFailure: true }),
});

export type ManifestInput = z.input<typeof manifestSchema>;

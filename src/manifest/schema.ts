import { z } from 'zod';
import { transformStepSchema } from '../data/transform/schema.js';
import { isInsidePath } from '../util/inside-root.js';
import { parseDuration, parseFraction } from '../util/duration.js';
import { parseWeeklyWindow } from '../util/work-schedule.js';
import { isTimeZone } from '../util/zoned-time.js';
import { changeRuleSchema } from './change-rules.js';
import { parseTableName } from './table-name.js';

/**
 * The one source of the manifest's shape (apiVersion fleetwave/v1). The TypeScript types, the
 * validation and `manifests/schema.json` (for editors) all come from here; docs/manifest.md describes
 * every field. Messages are phrased "expected …": the loader adds ", got <value>" and the position.
 */

const name = z
  .string()
  .regex(
    /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
    'expected a lowercase name of letters, digits and dashes, at most 63 long (it becomes the branch fleetwave/<name>)',
  );

const repoPattern = z.string().regex(/^[A-Za-z0-9_.*-]+\/[A-Za-z0-9_.*-]+$/, 'expected a repository as owner/name (globs allowed: acme/*)');
/** Rollout tiers, lowest risk first (`rollout.tierOrder`'s default). */
export const DEFAULT_TIER_ORDER = ['experimental', 'low', 'standard', 'production', 'high', 'critical'] as const;
const tierName = z.string().regex(/^[a-z][a-z0-9-]*$/, 'expected a tier name: lower-case letters, digits and -, e.g. critical');
const repoName = z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'expected a repository as owner/name');
/** A target: a repository, or a workspace folder of one (`consumers.workspaces`). */
const targetName = z
  .string()
  .regex(
    /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+(?:\/[^\s/][^\s]*)?$/,
    'expected a target as owner/name, or owner/name/<folder> for a workspace of a monorepo',
  );

/** A record field, as the transform steps name them (`user_id`, nested `address.city`). */
const fieldName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/, 'expected a field name (letters, digits, _; nested fields joined by .)');

/** A real calendar day (2027-02-30 is refused). */
const isoDate = z
  .string({ error: 'expected a date as YYYY-MM-DD' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'expected a real calendar date as YYYY-MM-DD');

/** The loader reads YAML 1.2 (dates stay text); a Date from another YAML reader is kept as its ISO day. */
const dateLike = z.preprocess((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v), isoDate);

const durationMessage = 'expected a duration such as 30m, 1h, 45s or 2d (a number with a unit: ms, s, m, h, d, w)';
export const durationSchema = z.string({ error: durationMessage }).refine((s) => parseDuration(s) !== undefined, durationMessage);

/** One window of `rollout.schedule`: days and hours (src/util/work-schedule.ts says what is wrong). */
const scheduleWindow = z.string().superRefine((text, ctx) => {
  const parsed = parseWeeklyWindow(text);
  if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
});

const fractionMessage = 'expected a percentage such as 20% (0% to 100%) or a fraction from 0 to 1';
export const fractionSchema = z
  .union([z.string({ error: fractionMessage }), z.number({ error: fractionMessage })], { error: fractionMessage })
  .refine((v) => parseFraction(v) !== undefined, fractionMessage);

const waveSize = z.union([
  z
    .number()
    .int('expected a whole number of targets or a percentage such as 10%')
    .positive('expected a wave size above 0 (a count such as 5 or a percentage such as 10%)'),
  z
    .string()
    .regex(/^\d+(\.\d+)?%$/, 'expected a wave size such as 10% or a count such as 5')
    .refine((s) => {
      const n = Number(s.slice(0, -1));
      return n > 0 && n <= 100;
    }, 'expected a wave percentage above 0% and at most 100%'),
]);

/** A table as SQL names it: parts joined by `.`, each bare or quoted ("", ``, []) — table-name.ts. */
const tableName = z
  .string()
  .superRefine((s, ctx) => {
    const r = parseTableName(s);
    if ('error' in r) ctx.addIssue({ code: 'custom', message: r.error });
  })
  .describe('The table as SQL names it, e.g. analytics.events.play_events_v1 (parts joined by ., each bare or quoted)');

const dataFormat = z.enum(['avro', 'parquet', 'json']);
const compression = z.enum(['snappy', 'gzip', 'zstd', 'none']);

/** Workspace folders of a monorepo: globs relative to the repository root, or `auto`. */
const workspaceFolders = z
  .union([
    z.literal('auto'),
    z
      .array(
        z
          .string()
          .min(1)
          .refine(
            (f) => isInsidePath(f) && !f.endsWith('/'),
            'a folder glob relative to the repository root, e.g. packages/* (no .., not absolute, no trailing /)',
          ),
      )
      .min(1),
  ])
  .describe('Workspace folders: globs (packages/*, dbt/*) or auto (every folder with a package.json, dbt_project.yml or pyproject.toml)');

/** One way to find the dataset's consumers: a Backstage catalog entity, a code search, or a list. */
export const discoverySourceSchema = z.union([
  z.strictObject({ catalog: z.string().min(1).describe('Backstage entity whose consumers are targets, e.g. api:default/play-events') }),
  z.strictObject({ search: z.string().min(1).describe('Text searched in code; every repository containing it is a target') }),
  z.strictObject({ repos: z.array(repoName).min(1).describe('Repositories named explicitly (owner/name)') }),
]);

export const manifestSchema = z
  .strictObject({
    apiVersion: z
      .literal('fleetwave/v1', { error: 'expected fleetwave/v1 (the only manifest version)' })
      .describe('Manifest format version: fleetwave/v1'),
    kind: z.literal('DatasetMigration', { error: 'expected DatasetMigration (the only kind)' }).describe('Always DatasetMigration'),
    metadata: z
      .strictObject({
        name: name.describe('Unique name of the migration; the PR branch is fleetwave/<name>'),
        owner: z.string().min(1).describe('Team or user who owns the migration (alerts go here)'),
        description: z.string().optional().describe('One line shown in every PR'),
        sensitive: z.boolean().default(false).describe('true: nothing merges before an explicit approval (two-phase)'),
        sunset: dateLike.optional().describe('Day (YYYY-MM-DD) the old dataset goes away; shown in every PR'),
      })
      .describe('Who and what'),
    dataset: z
      .strictObject({
        source: z
          .strictObject({
            uri: z.string().min(1).describe('Where the old data is'),
            format: dataFormat.describe('Format of the old data'),
            table: tableName.optional().describe('The table SQL consumers read it as (the sql rule moves references from it)'),
          })
          .describe('The dataset as it is now'),
        target: z
          .strictObject({
            uri: z.string().min(1).describe('Where the new data goes'),
            format: dataFormat.describe('Format of the new data'),
            table: tableName.optional().describe('The table SQL consumers read it as after the migration (default: source.table)'),
            compression: compression.default('zstd').describe('Compression of the new data'),
            rowGroupSize: z.number().int().min(1).max(10_000_000).default(100_000).describe('Rows per Parquet row group'),
          })
          .describe('The dataset as it will be'),
        schema: z
          .string()
          .refine(
            isInsidePath,
            'a path inside the manifest repository, relative to its root, e.g. schemas/play-event.avsc (no .. and not absolute)',
          )
          .optional()
          .describe('Path (in the manifest repository) of the source Avro schema (.avsc), when no data file carries it'),
        transform: z.array(transformStepSchema).default([]).describe('Steps applied to the schema and to every record, in order'),
        backfill: z
          .strictObject({
            from: dateLike.describe('First day to convert (YYYY-MM-DD)'),
            to: dateLike.describe('Last day to convert (YYYY-MM-DD)'),
            partition: z.enum(['daily', 'hourly']).default('daily').describe('Size of one conversion window'),
          })
          .optional()
          .describe('Historical windows to convert'),
        verify: z
          .strictObject({
            key: fieldName.optional().describe('Field on which old and new rows are matched for sampled diffs'),
            rowCount: z.enum(['exact', 'none']).default('exact').describe('exact: old and new row counts must be equal'),
            checksums: z
              .union([z.enum(['all', 'none']), z.array(fieldName).min(1)])
              .default('all')
              .describe('Columns compared by an order-independent checksum: all, none, or a list'),
            sample: z.number().int().min(0).default(1000).describe('Rows compared one by one (by key)'),
            maxMismatchRatio: z.number().min(0).max(1).default(0).describe('Share of sampled rows allowed to differ (0 to 1)'),
          })
          .default({ rowCount: 'exact', checksums: 'all', sample: 1000, maxMismatchRatio: 0 })
          .describe('How the new data is checked against the old'),
        gate: z
          .enum(['verified', 'none'])
          .default('verified')
          .describe(
            'verified: no consumer PR opens before the target carries a passing verification record for this manifest (_fleetwave/verification.json); none: the dataset only moves (no conversion), the rollout is not gated',
          ),
      })
      .describe('The data: where it is, where it goes, how it changes, how it is verified'),
    consumers: z
      .strictObject({
        discover: z
          .array(discoverySourceSchema)
          .min(1, 'expected at least one way to find consumers (catalog, search or repos)')
          .describe('How to find the repositories that consume the dataset'),
        include: z.array(repoPattern).default([]).describe('Only repositories matching one of these globs (empty: all)'),
        exclude: z.array(repoPattern).default([]).describe('Never repositories matching one of these globs'),
        searchEvery: durationSchema
          .default('30m')
          .describe('How long a code search result is reused before searching again for new consumers (0s: every reconcile)'),
        editWorkflows: z
          .boolean()
          .default(false)
          .describe(
            'Let change rules edit .github/workflows/** (the App then needs the workflows: write permission); by default such files are left and named as findings',
          ),
        workspaces: z
          .union([
            workspaceFolders,
            z.strictObject({
              folders: workspaceFolders,
              prs: z
                .enum(['per-workspace', 'one'])
                .default('per-workspace')
                .describe(
                  'per-workspace: each workspace is its own target and PR; one: one PR per repository with a section per workspace',
                ),
            }),
          ])
          .optional()
          .describe('Split monorepos: each workspace folder that consumes the dataset is a target of its own'),
      })
      .describe('Which repositories get a PR'),
    changes: z.array(changeRuleSchema).default([]).describe('Change rules applied to every consumer repository, in order'),
    rollout: z
      .strictObject({
        canary: z
          .union([z.array(targetName), z.number().int().min(0)])
          .default(1)
          .describe(
            'Targets that go first and alone (owner/name, or owner/name/<folder> for a workspace), or how many (lowest risk first)',
          ),
        waves: z
          .array(waveSize)
          .min(1)
          .default(['100%'])
          .describe('Cumulative size of the fleet done after each wave: counts or percentages'),
        soak: durationSchema.default('0s').describe("How long a wave's merges must stay green before the next wave"),
        schedule: z
          .union([scheduleWindow, z.array(scheduleWindow).min(1)])
          .optional()
          .describe(
            'When PRs may open and merge, e.g. "Mon-Fri 09:00-17:00" or a list of such windows, read in timezone; outside them observation, reverts and alerts go on. Absent: at any time',
          ),
        timezone: z
          .string()
          .refine(isTimeZone, 'expected an IANA time zone such as Europe/Stockholm, America/New_York or UTC')
          .default('UTC')
          .describe(
            "The time zone the schedule's windows and holidays are read in; a consumer's catalog entity may set its own (annotation fleetwave.io/timezone)",
          ),
        holidays: z
          .array(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date such as 2026-12-24 (YYYY-MM-DD)'))
          .default([])
          .describe('Dates (YYYY-MM-DD, in the time zone read) on which the schedule opens no window'),
        reviewers: z
          .union([
            z.literal('none'),
            z
              .array(z.string().regex(/^@[A-Za-z0-9-]+(\/[A-Za-z0-9._-]+)?$/, 'expected a GitHub user (@login) or team (@org/team-slug)'))
              .min(1),
          ])
          .optional()
          .describe(
            "Who reviews each PR (@login, @org/team), or none; absent: the CODEOWNERS owners of the changed files, else the consumer's catalog owner",
          ),
        rebaseWhen: z
          .enum(['behind', 'conflicted', 'never'])
          .default('conflicted')
          .describe(
            "When an open PR's change is made again on its default branch's new head (a new bot commit on the same branch, never over a person's): behind (the default branch moved on), conflicted (it no longer merges cleanly), never",
          ),
        nudgeAfter: durationSchema
          .optional()
          .describe(
            'A PR open this long with no review, that waits for people, gets one comment mentioning its owners and is listed on the tracking issue; absent: never',
          ),
        sunsetWarnings: z
          .array(durationSchema)
          .default(['30d', '7d', '1d'])
          .describe(
            'How long before metadata.sunset the owners of consumers not migrated yet are alerted (each once; and once more when the day comes)',
          ),
        maxOpenPRs: z.number().int().min(1).default(25).describe('At most this many PRs open at once'),
        failureThreshold: fractionSchema.default('20%').describe('Failed share of a wave above which the whole migration pauses'),
        automerge: z.boolean().default(true).describe('Merge a PR when its checks are green'),
        checksGrace: durationSchema
          .default('15m')
          .describe('How long a PR head without any check (CI not started yet) counts as pending, from when the head was pushed'),
        withoutChecks: z
          .enum(['wait', 'merge'])
          .default('wait')
          .describe(
            'After checksGrace, a PR with no check at all waits for a human (wait) or merges anyway (merge: a repository without CI)',
          ),
        revertOnFailure: z.boolean().default(true).describe('Open a revert when a merged change fails afterwards'),
        approvals: z
          .strictObject({
            required: z.number().int().min(1).describe('Approving reviews needed'),
            from: z.array(z.string().min(1)).min(1).describe('Teams or users whose approvals count'),
            expiresAfter: durationSchema.default('7d').describe('How long an approval stays valid'),
          })
          .optional()
          .describe('Two-phase rollout: each wave opens and goes green first, then merges only after an approval bound to this manifest'),
        retryFailedChecks: z
          .number()
          .int()
          .min(0)
          .max(5)
          .default(1)
          .describe(
            'How many times failed checks are re-run on the same head before the PR counts as failed (a flaky check gets another chance)',
          ),
        tiers: z
          .record(tierName, z.array(repoPattern).min(1))
          .optional()
          .describe('The tier of targets by repository glob (first listed tier that matches wins); the catalog tier applies to the rest'),
        tierOrder: z
          .array(tierName)
          .min(1)
          .default([...DEFAULT_TIER_ORDER])
          .describe('Tiers from lowest to highest risk: lower tiers go in earlier waves and provide the canaries'),
        defaultTier: tierName.default('standard').describe('The tier of a target with none (nor a tier missing from tierOrder)'),
        requireApprovalFor: z
          .array(tierName)
          .default([])
          .describe(
            'Tiers whose targets merge only after an approval (two-phase for them alone; approvers from approvals, else metadata.owner)',
          ),
      })
      .default({
        canary: 1,
        waves: ['100%'],
        soak: '0s',
        timezone: 'UTC',
        holidays: [],
        rebaseWhen: 'conflicted',
        sunsetWarnings: ['30d', '7d', '1d'],
        maxOpenPRs: 25,
        failureThreshold: '20%',
        automerge: true,
        checksGrace: '15m',
        withoutChecks: 'wait',
        revertOnFailure: true,
        retryFailedChecks: 1,
        tierOrder: [...DEFAULT_TIER_ORDER],
        defaultTier: 'standard',
        requireApprovalFor: [],
      })
      .describe('In what order and how fast the PRs go out'),
  })
  .describe('A Fleetwave dataset migration (fleetwave/v1)');

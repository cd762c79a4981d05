import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createLocalRepo, OPT_OUT_FILE } from '../forge/local/index.js';
import { parseManifest } from '../manifest/load.js';
import { InputError } from '../util/errors.js';
import { BYSTANDERS } from './bystanders.js';
import { consumerFiles } from './consumer-files.js';
import { DEMO_CONSUMERS, OPTED_OUT_CONSUMER } from './consumers.js';
import { DATA_CONSUMERS, dataConsumerFiles } from './data-consumers.js';
import { DEMO_AGENT_PATH, withDemoAgent } from './demo-agent.js';
import { datasetRepoFiles, MANIFEST_PATH, MANIFEST_REPO } from './dataset-repo.js';
import { convertAndVerifyLake, type DemoVerification, type LakeV2 } from './lake-v2.js';
import { DATASET_V1, generatePlayEvents, writeLakeV1, writeWarehouseCatalog } from './play-events.js';

export interface DemoFleet {
  /** The folder everything was built in. */
  dir: string;
  /** `<dir>/fleet`: bare repositories `<owner>/<name>.git`. */
  fleetDir: string;
  /**
   * `<dir>/lake`: the data lake; consumers read `$FLEETWAVE_LAKE/<dataset path>/*.{avro,parquet}`, SQL
   * consumers' checks the tables `warehouse/catalog.json` names.
   */
  lakeDir: string;
  manifestRepo: 'acme/play-events';
  manifestPath: 'migrations/play-events-v2.yaml';
  /** The migration's targets, sorted: what discovery must find. */
  consumers: string[];
  /** The SQL (dbt, BigQuery-style jobs) and Python (pandas, PySpark) consumers among them, sorted. */
  dataConsumers: string[];
  /**
   * Consumers that read the field v2 renames: a rule rewrites them (renameField in TypeScript, sql in
   * SQL, python in Python) and their checks pass.
   */
  expectedRewritten: string[];
  /** Consumers that read the field v2 drops: impact analysis blocks them (no pull request). */
  expectedBlocked: string[];
  /** Reads the dataset but has `.fleetwave/opt-out`: found by search, left out by discovery. */
  optedOut: string[];
  /** In the fleet, not consumers. */
  bystanders: string[];
  /** Rows in each dataset version. */
  events: number;
  /** v2's Parquet files, written by Fleetwave's convert from v1 (absolute paths). */
  v2Files: string[];
  /** Fleetwave's verification of v2 against v1 with the manifest's transform applied. */
  verification: DemoVerification;
}

/** The human who wrote every demo repository's first commit (never the bot). */
export const DEMO_AUTHOR = { name: 'Dana Data', email: 'dana@acme.example' } as const;
/** The fixed time of that commit: the same files give the same commit ids in every build. */
export const DEMO_COMMIT_DATE = '2026-11-01T09:00:00Z';

/** How many repositories are written at once (git processes; the machine may be small). */
const CONCURRENCY = 4;

async function isEmptyOrMissing(path: string): Promise<boolean> {
  try {
    return (await readdir(path)).length === 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw err;
  }
}

async function inBatches<T>(items: readonly T[], size: number, work: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}

/** Reads the dataset field that v2 renames: without its language's rule its check would break. */
function readsRenamedField(spec: { reads: string[] }): boolean {
  return spec.reads.includes('user_id');
}

/** Reads the dataset field that v2 drops: no rule can fix that, so the migration must not touch it. */
function readsDroppedField(spec: { reads: string[] }): boolean {
  return spec.reads.includes('legacy_flag');
}

const ALL_CONSUMERS: readonly { repo: string; reads: string[] }[] = [...DEMO_CONSUMERS, ...DATA_CONSUMERS];

/** Where `fleetwave demo` clones the manifest repository: the dataset owner's working copy. */
export function demoWorkCopy(dir: string): string {
  return join(resolve(dir), 'work', MANIFEST_REPO.split('/')[1]!);
}

/** Every repository of the demo fleet with its files (path → text), the dataset repository first. Pure. */
export function demoRepositories(): [repo: string, files: Record<string, string>][] {
  return [
    [MANIFEST_REPO, datasetRepoFiles()],
    ...DEMO_CONSUMERS.map((c): [string, Record<string, string>] => [c.repo, consumerFiles(c, DATASET_V1)]),
    ...DATA_CONSUMERS.map((c): [string, Record<string, string>] => [c.repo, dataConsumerFiles(c)]),
    [
      OPTED_OUT_CONSUMER.repo,
      {
        ...consumerFiles(OPTED_OUT_CONSUMER, DATASET_V1),
        [OPT_OUT_FILE]: 'Finance migrates datasets by hand, under change control (ticket FIN-212).\n',
      },
    ],
    ...Object.entries(BYSTANDERS),
  ];
}

/**
 * Build the demo under `dir`: a fleet of bare git repositories (the dataset repository with the
 * manifest, 22 TypeScript consumers, 5 data consumers — a dbt project, two BigQuery-style SQL job
 * repositories, a pandas and a PySpark job —, one opted-out consumer, three bystanders) and a data lake
 * with play-events v1 (Avro, generated), v2 (Parquet, converted from v1 by Fleetwave with the
 * manifest's transform, then verified against v1) and the warehouse's catalog of both tables
 * (`warehouse/catalog.json`). Deterministic: two builds give the same commits
 * and the same v1 bytes.
 */
export async function buildDemoFleet(options: { dir: string; agent?: boolean }): Promise<DemoFleet> {
  const dir = resolve(options.dir);
  const fleetDir = join(dir, 'fleet');
  const lakeDir = join(dir, 'lake');
  for (const sub of [fleetDir, lakeDir]) {
    if (!(await isEmptyOrMissing(sub))) {
      throw new InputError(`${sub} already exists and is not empty: pass a new or empty folder with --dir, or remove ${dir}`);
    }
  }

  const events = generatePlayEvents();
  await writeLakeV1(lakeDir, events);
  await writeWarehouseCatalog(lakeDir);

  const repos = demoRepositories();
  // `demo --agent`: the manifest repository holds an agent rule, its prompt and program (src/demo/demo-agent.ts).
  if (options.agent) repos[0] = [MANIFEST_REPO, withDemoAgent(repos[0]![1], MANIFEST_PATH, join(demoWorkCopy(dir), DEMO_AGENT_PATH))];
  // v2 from v1 with the manifest and schema the dataset repository holds, as its owner would.
  const datasetFiles = repos[0]![1];
  const { manifest, hash } = parseManifest(datasetFiles[MANIFEST_PATH]!, `${MANIFEST_REPO}/${MANIFEST_PATH}`);
  const checkout = await mkdtemp(join(tmpdir(), 'fleetwave-demo-dataset-repo-'));
  // The dataset repository's files as its checkout: dataset.schema is read from there, as the CLI reads it.
  let converted: LakeV2;
  try {
    for (const [path, text] of Object.entries(datasetFiles)) {
      await mkdir(dirname(join(checkout, path)), { recursive: true });
      await writeFile(join(checkout, path), text);
    }
    // …and the verification record the rollout's dataset gate reads before it opens any PR.
    converted = await convertAndVerifyLake(lakeDir, manifest, checkout, hash);
  } finally {
    await rm(checkout, { recursive: true, force: true });
  }
  const { convert, verification } = converted;

  await inBatches(repos, CONCURRENCY, ([repo, files]) =>
    createLocalRepo(fleetDir, repo, files, { author: DEMO_AUTHOR, date: new Date(DEMO_COMMIT_DATE), message: 'Initial commit' }),
  );

  return {
    dir,
    fleetDir,
    lakeDir,
    manifestRepo: MANIFEST_REPO,
    manifestPath: MANIFEST_PATH,
    consumers: ALL_CONSUMERS.map((c) => c.repo).sort(),
    dataConsumers: DATA_CONSUMERS.map((c) => c.repo).sort(),
    expectedRewritten: ALL_CONSUMERS.filter((c) => readsRenamedField(c) && !readsDroppedField(c))
      .map((c) => c.repo)
      .sort(),
    expectedBlocked: ALL_CONSUMERS.filter(readsDroppedField)
      .map((c) => c.repo)
      .sort(),
    optedOut: [OPTED_OUT_CONSUMER.repo],
    bystanders: Object.keys(BYSTANDERS).sort(),
    events: events.length,
    v2Files: convert.files.map((f) => f.target),
    verification,
  };
}

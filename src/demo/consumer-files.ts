/**
 * The files every demo consumer repository shares: a tiny TypeScript package whose test (`npm test`:
 * `tsc`, then `node --test`) reads the play-events dataset (Avro or Parquet) from the data lake named
 * by the FLEETWAVE_LAKE environment variable, at the location its configuration gives.
 *
 * Where the location lives varies on purpose, so that the manifest's text `replace` rule is exercised
 * on several file kinds: TypeScript (`src/config.ts`), YAML, JSON or a SQL query that `src/config.ts`
 * reads at run time.
 */

/** Where a consumer keeps the dataset location. */
export type ConfigKind = 'ts' | 'yaml' | 'json' | 'sql';

export interface ConsumerSpec {
  /** `acme/<name>`. */
  repo: string;
  /** One line for the README. */
  description: string;
  /** The feature module, `src/<feature>.ts`, and its test `src/<feature>.test.ts`. */
  feature: string;
  config: ConfigKind;
  /** The dataset fields the feature reads (documentation, and the check that only one reads user_id). */
  reads: string[];
  /** Source of `src/<feature>.ts`. */
  source: string;
  /** Source of `src/<feature>.test.ts`. */
  test: string;
}

export const PACKAGE_TEST_SCRIPT = 'tsc -p tsconfig.json && node --test build/';

function packageJson(name: string, description: string): string {
  return `${JSON.stringify(
    {
      name: `@acme/${name}`,
      version: '1.0.0',
      private: true,
      description,
      type: 'module',
      scripts: { test: PACKAGE_TEST_SCRIPT },
      // Installed by the platform team's shared toolchain; the demo's checks link Fleetwave's node_modules.
      dependencies: { avsc: '^5.7.9', hyparquet: '^1.31.5', fzstd: '^0.1.1' },
      devDependencies: { typescript: '^5.9.0', '@types/node': '^20.0.0' },
    },
    null,
    2,
  )}\n`;
}

/**
 * Small and fast to compile: no DOM lib (a third of tsc's time), no lib check, no incremental state,
 * only Node's types.
 */
const TSCONFIG = `${JSON.stringify(
  {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2022'],
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      esModuleInterop: true,
      skipLibCheck: true,
      incremental: false,
      types: ['node'],
      rootDir: 'src',
      outDir: 'build',
    },
    include: ['src'],
  },
  null,
  2,
)}\n`;

/** `node_modules` without a slash: the checks link it as a symlink, which `node_modules/` would not match. */
const GITIGNORE = 'node_modules\nbuild/\n';

/**
 * The consumer's copy of the dataset's record type and its reader. It reads whatever the dataset's
 * folder holds: Avro container files with avsc, or Parquet files with hyparquet (zstd pages through
 * fzstd). Values come as each reader gives them (a Parquet timestamp is a Date; the features use
 * \`Number(r.ts)\`, which is the epoch milliseconds of either).
 */
const EVENTS_TS = `import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import avro from 'avsc';
import { decompress } from 'fzstd';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { DATASET } from './config.js';

/** One play of a track, as the play-events dataset stores it (see acme/play-events). */
export interface PlayEvent {
  event_id: string;
  user_id: string;
  track_id: string;
  ms_played: number;
  country: string | null;
  legacy_flag: boolean;
  /** Epoch milliseconds. */
  ts: number;
}

function readAvro(path: string, rows: PlayEvent[]): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    avro
      .createFileDecoder(path)
      .on('data', (row: PlayEvent) => rows.push(row))
      .on('end', () => resolve())
      .on('error', reject);
  });
}

async function readParquet(path: string, rows: PlayEvent[]): Promise<void> {
  const file = await asyncBufferFromFile(path);
  const records = await parquetReadObjects({ file, compressors: { ZSTD: (input: Uint8Array) => decompress(input) } });
  for (const record of records) rows.push(record as PlayEvent);
}

/**
 * Every row of the dataset: each \`*.avro\` or \`*.parquet\` file under \`$FLEETWAVE_LAKE/<DATASET>\`,
 * in file-name order.
 */
export async function loadEvents(): Promise<PlayEvent[]> {
  const lake = process.env.FLEETWAVE_LAKE;
  if (!lake) throw new Error('FLEETWAVE_LAKE is not set: point it at the data lake folder');
  const dir = join(lake, DATASET);
  const files = readdirSync(dir).filter((f) => f.endsWith('.avro') || f.endsWith('.parquet')).sort();
  if (files.length === 0) throw new Error(\`no .avro or .parquet file in \${dir}\`);
  const rows: PlayEvent[] = [];
  for (const file of files) {
    if (file.endsWith('.avro')) await readAvro(join(dir, file), rows);
    else await readParquet(join(dir, file), rows);
  }
  return rows;
}
`;

function configFiles(kind: ConfigKind, dataset: string, name: string): Record<string, string> {
  switch (kind) {
    case 'ts':
      return {
        'src/config.ts': `/** Where this service reads play events, relative to the data lake. */\nexport const DATASET = '${dataset}';\n`,
      };
    case 'yaml':
      return {
        'config/dataset.yaml': `# Input of ${name}; ops may point it elsewhere without a release.\ndataset:\n  path: ${dataset}\n  format: avro\n`,
        'src/config.ts': `import { readFileSync } from 'node:fs';

/** Where this service reads play events: the \`path:\` of config/dataset.yaml. */
const text = readFileSync(new URL('../config/dataset.yaml', import.meta.url), 'utf8');
const match = /^\\s*path:\\s*(\\S+)\\s*$/m.exec(text);
if (!match?.[1]) throw new Error('config/dataset.yaml has no "path:" line');
export const DATASET: string = match[1];
`,
      };
    case 'json':
      return {
        'config/settings.json': `${JSON.stringify({ service: name, dataset, batchSize: 500 }, null, 2)}\n`,
        'src/config.ts': `import { readFileSync } from 'node:fs';

/** Where this service reads play events: \`dataset\` in config/settings.json. */
const settings = JSON.parse(readFileSync(new URL('../config/settings.json', import.meta.url), 'utf8')) as { dataset?: unknown };
if (typeof settings.dataset !== 'string') throw new Error('config/settings.json has no "dataset" string');
export const DATASET: string = settings.dataset;
`,
      };
    case 'sql':
      return {
        'sql/plays.sql': `-- The plays ${name} works on (run by the warehouse; the service reads the same files).\nSELECT event_id, track_id, ms_played, country, ts\nFROM read_avro('${dataset}/*.avro')\nWHERE ms_played >= 0;\n`,
        'src/config.ts': `import { readFileSync } from 'node:fs';

/** Where this service reads play events: the location in sql/plays.sql, so the query and the code never disagree. */
const sql = readFileSync(new URL('../sql/plays.sql', import.meta.url), 'utf8');
const match = /read_(?:avro|parquet)\\('([^']+)\\/\\*\\.(?:avro|parquet)'\\)/.exec(sql);
if (!match?.[1]) throw new Error("sql/plays.sql has no read_avro('<path>/*.avro') or read_parquet('<path>/*.parquet')");
export const DATASET: string = match[1];
`,
      };
  }
}

/** Every file of a consumer repository that reads `dataset`. */
export function consumerFiles(spec: ConsumerSpec, dataset: string): Record<string, string> {
  const name = spec.repo.split('/')[1]!;
  return {
    'README.md': `# ${name}\n\n${spec.description}\n\nReads the play-events dataset (fields: ${spec.reads.map((f) => `\`${f}\``).join(', ')}).\n\n    FLEETWAVE_LAKE=/path/to/lake npm test\n`,
    '.gitignore': GITIGNORE,
    'package.json': packageJson(name, spec.description),
    'tsconfig.json': TSCONFIG,
    'src/events.ts': EVENTS_TS,
    [`src/${spec.feature}.ts`]: spec.source,
    [`src/${spec.feature}.test.ts`]: spec.test,
    ...configFiles(spec.config, dataset, name),
  };
}

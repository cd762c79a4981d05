/**
 * Repositories of the demo fleet that do not consume play events: code search for the dataset's
 * location must not find them, and the migration must leave them alone. One reads a similarly named
 * dataset (data/podcast-events/v1), one another dataset, one none at all.
 */
export const BYSTANDERS: Readonly<Record<string, Record<string, string>>> = {
  'acme/podcast-stats': {
    'README.md': '# podcast-stats\n\nListening figures for podcasts (not music plays).\n',
    'src/config.ts':
      "/** Where this service reads podcast events, relative to the data lake. */\nexport const DATASET = 'data/podcast-events/v1';\n",
    'config/dataset.yaml': 'dataset:\n  path: data/podcast-events/v1\n  format: avro\n',
  },
  'acme/clicks-pipeline': {
    'README.md': '# clicks-pipeline\n\nAggregates web clicks into hourly tables.\n',
    'sql/clicks.sql': "SELECT page, COUNT(*) AS clicks\nFROM read_parquet('data/clicks/v3/*.parquet')\nGROUP BY page;\n",
    'src/pipeline.ts': "export const SOURCE = 'data/clicks/v3';\nexport const SINK = 'data/clicks-hourly/v1';\n",
  },
  'acme/web-frontend': {
    'README.md': '# web-frontend\n\nThe web player. Talks to the API, never to the data lake.\n',
    'package.json': `${JSON.stringify({ name: '@acme/web-frontend', version: '3.2.0', private: true, type: 'module' }, null, 2)}\n`,
    'src/player.ts':
      "export function formatDuration(ms: number): string {\n  const s = Math.round(ms / 1000);\n  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;\n}\n",
  },
};

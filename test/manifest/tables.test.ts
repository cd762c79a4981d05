/**
 * dataset.source.table / dataset.target.table (issue 17): a table as SQL names it, any number of
 * parts, each bare or quoted the dialect's way; wrong names and missing relations are errors at the
 * value's file:line:col.
 */
import { describe, expect, it } from '@jest/globals';
import { parseManifest } from '../../src/manifest/load.js';
import { parseTableName } from '../../src/manifest/table-name.js';
import { ValidationError, type Problem } from '../../src/util/errors.js';

function manifestText(dataset: string[], changes: string[] = []): string {
  return [
    'apiVersion: fleetwave/v1',
    'kind: DatasetMigration',
    'metadata: { name: m, owner: data }',
    'dataset:',
    ...dataset.map((l) => `  ${l}`),
    'consumers:',
    '  discover: [{ repos: [acme/x] }]',
    ...(changes.length ? ['changes:', ...changes.map((l) => `  ${l}`)] : []),
    '',
  ].join('\n');
}

function problemsOf(text: string): Problem[] {
  try {
    parseManifest(text, 'm.yaml');
  } catch (err) {
    if (err instanceof ValidationError) return err.problems;
    throw err;
  }
  throw new Error('expected a ValidationError');
}

describe('table names', () => {
  it('splits parts, bare or quoted ("", ``, []), and a backquoted BigQuery path into its parts', () => {
    const names = (s: string) => {
      const r = parseTableName(s);
      return 'error' in r ? r.error : r.parts.map((p) => `${p.quoted ? 'q:' : ''}${p.name}`);
    };
    expect(names('play_events')).toEqual(['play_events']);
    expect(names('analytics-prod.events.play_events_v1')).toEqual(['analytics-prod', 'events', 'play_events_v1']);
    expect(names('`analytics.events.play_events_v1`')).toEqual(['q:analytics', 'q:events', 'q:play_events_v1']);
    expect(names('"ANALYTICS"."Events".play_events')).toEqual(['q:ANALYTICS', 'q:Events', 'play_events']);
    expect(names('[dbo].[a""b]')).toEqual(['q:dbo', 'q:a""b']);
    expect(names('"a""b".c')).toEqual(['q:a"b', 'c']);
    expect(names('a..b')).toContain('expected a table name');
    expect(names('a.')).toContain("ends with '.'");
    expect(names('"a')).toContain('closing "');
    expect(names('a b')).toContain("expected '.'");
  });

  it('reads source.table and target.table into the manifest', () => {
    const { manifest } = parseManifest(
      manifestText([
        'source: { uri: a/, format: avro, table: analytics.events.play_events_v1 }',
        'target: { uri: b/, format: parquet, table: "`analytics.events.play_events_v2`" }',
      ]),
      'm.yaml',
    );
    expect(manifest.dataset.source.table).toBe('analytics.events.play_events_v1');
    expect(manifest.dataset.target.table).toBe('`analytics.events.play_events_v2`');
  });

  it('a bad name is an error at its value; a target table without a source table, or a sql rule without one, too', () => {
    const bad = problemsOf(manifestText(['source: { uri: a/, format: avro, table: "events..t" }', 'target: { uri: b/, format: parquet }']));
    expect(bad).toEqual([expect.objectContaining({ path: 'dataset.source.table', line: 5, col: 43 })]);
    expect(bad[0]?.message).toContain('expected a table name');

    const missing = problemsOf(
      manifestText(
        ['source: { uri: a/, format: avro }', 'target: { uri: b/, format: parquet, table: events.t2 }'],
        ['- sql: { dialect: bigquery }'],
      ),
    );
    expect(missing.map((p) => [p.path, p.line, p.col])).toEqual([
      ['dataset.target.table', 6, 46],
      ['changes[0].sql', 10, 10],
    ]);
    expect(missing[0]?.message).toContain('dataset.source.table names none');
    expect(missing[1]?.message).toContain('the sql rule rewrites references');
  });
});

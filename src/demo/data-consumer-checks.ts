/**
 * The checks of the demo's data consumers, as files their repositories hold. They run without a
 * warehouse (docs/demo.md, "Data consumers").
 *
 * SQL (`ci/check.mjs`, run by `npm test`): DuckDB stands in for the warehouse. The lake's catalog
 * (`$FLEETWAVE_LAKE/warehouse/catalog.json`, written by buildDemoFleet) names each table and where its
 * files are; each is registered in DuckDB under its warehouse name (`analytics.events.play_events_v1`:
 * database `analytics`, schema `events`). DuckDB reads Parquet itself; Avro it reads only through an
 * extension it downloads, so Avro files are decoded with avsc and loaded into a table. Then the
 * repository's SQL runs for real, so a wrong column or table fails the check.
 *
 * Python (`.fleetwave/check` → `ci/check.py`): every file must compile; the tests run when python3 can
 * import the libraries they need, else one line says they were skipped and that only the syntax was
 * checked.
 */

/** The SQL consumers' check (Node, ESM): no backquote or `${` in it, so it sits in a raw template as written. */
export const SQL_CHECK_MJS = String.raw`
// The check of this SQL repository, run without a warehouse: DuckDB stands in for it. The tables
// come from the lake's catalog ($FLEETWAVE_LAKE/warehouse/catalog.json: table name -> folder and
// format), each registered in DuckDB under the name the warehouse gives it (analytics.events.t is
// database analytics, schema events, table t). Parquet is read by DuckDB itself; Avro (which DuckDB
// reads only through an extension it would download) is decoded with avsc and loaded into a table.
// Then the SQL of this repository runs for real: a wrong column or table name fails here.
//   dbt project (dbt_project.yml): models rendered (source(), ref() and config() only) and created
//     as views in dependency order, the sources' not_null/unique tests, the tests/*.sql data tests
//     (each must return no rows).
//   jobs (jobs/*.sql, BigQuery style): each job's query materialized as a table named after the
//     file, then jobs/checks/*.sql (each must return no rows). Backquoted names become DuckDB's.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import avro from 'avsc';
import { parse as parseYaml } from 'yaml';

const BACKTICK = String.fromCharCode(96);
const results = [];
const q = (name) => '"' + name.replace(/"/g, '""') + '"';
const qualified = (name) => name.split('.').map(q).join('.');

function files(dir, ext) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(join(dir, e.name), ext) : e.name.endsWith(ext) ? [join(dir, e.name)] : []))
    .sort();
}

async function step(name, fn) {
  try {
    const note = await fn();
    results.push({ name, ok: true });
    console.log('ok ' + results.length + ' - ' + name + (note ? ' (' + note + ')' : ''));
  } catch (err) {
    results.push({ name, ok: false });
    console.log('not ok ' + results.length + ' - ' + name);
    console.log('  ' + String(err && err.message ? err.message : err).split('\n').join('\n  '));
  }
}

function avroColumnType(type) {
  if (Array.isArray(type)) return avroColumnType(type.find((t) => t !== 'null'));
  if (typeof type === 'object' && type.logicalType === 'timestamp-millis') return 'TIMESTAMP';
  const t = typeof type === 'object' ? type.type : type;
  const types = { string: 'VARCHAR', int: 'INTEGER', long: 'BIGINT', boolean: 'BOOLEAN', float: 'FLOAT', double: 'DOUBLE' };
  if (!types[t]) throw new Error('this check does not load Avro columns of type ' + JSON.stringify(type));
  return types[t];
}

function readAvro(path) {
  return new Promise((resolve, reject) => {
    const rows = [];
    let schema;
    avro
      .createFileDecoder(path)
      // the writer's schema as the header holds it: a parsed type would drop timestamp-millis
      .on('metadata', (_type, _codec, header) => (schema = JSON.parse(header.meta['avro.schema'].toString('utf8'))))
      .on('data', (row) => rows.push(row))
      .on('end', () => resolve({ schema, rows }))
      .on('error', reject);
  });
}

/** One warehouse table in DuckDB, under its warehouse name. */
async function register(db, name, table, lake) {
  const parts = name.split('.');
  if (parts.length !== 3) throw new Error('catalog table ' + name + ': expected database.schema.table');
  await db.run('ATTACH IF NOT EXISTS ' + "':memory:'" + ' AS ' + q(parts[0]));
  await db.run('CREATE SCHEMA IF NOT EXISTS ' + q(parts[0]) + '.' + q(parts[1]));
  const dir = join(lake, table.location);
  if (table.format === 'parquet') {
    const glob = join(dir, '*.parquet').replace(/'/g, "''");
    await db.run('CREATE VIEW ' + qualified(name) + " AS SELECT * FROM read_parquet('" + glob + "')");
    return;
  }
  if (table.format !== 'avro') throw new Error('catalog table ' + name + ': format ' + table.format + ' is not known here');
  let created = false;
  for (const file of files(dir, '.avro')) {
    const { schema, rows } = await readAvro(file);
    const fields = schema.fields;
    if (!created) {
      const cols = fields.map((f) => q(f.name) + ' ' + avroColumnType(f.type)).join(', ');
      await db.run('CREATE TABLE ' + qualified(name) + ' (' + cols + ')');
      created = true;
    }
    const marks = fields.map((f, i) => (avroColumnType(f.type) === 'TIMESTAMP' ? 'epoch_ms($' + (i + 1) + '::BIGINT)' : '$' + (i + 1)));
    const insert = 'INSERT INTO ' + qualified(name) + ' VALUES (' + marks.join(', ') + ')';
    for (const row of rows) {
      await db.run(
        insert,
        fields.map((f) => {
          const v = row[f.name];
          return v instanceof Date ? v.getTime() : v;
        }),
      );
    }
  }
  if (!created) throw new Error('no .avro file in ' + dir);
}

async function count(db, sql) {
  const reader = await db.runAndReadAll(sql);
  return Number(reader.getRows()[0][0]);
}

/** A data test: a query that returns the rows that are wrong, so none is a pass. */
async function expectNoRows(db, sql) {
  const reader = await db.runAndReadAll(sql);
  const rows = reader.getRowObjectsJson();
  if (rows.length > 0) throw new Error(rows.length + ' failing row(s), e.g. ' + JSON.stringify(rows[0]));
  return '0 failing rows';
}

// --- dbt: just enough Jinja for source(), ref() and config() ---
function dbtSources(root) {
  const out = new Map();
  for (const file of [...files(join(root, 'models'), '.yml'), ...files(join(root, 'models'), '.yaml')]) {
    const doc = parseYaml(readFileSync(file, 'utf8')) || {};
    for (const source of doc.sources || []) {
      for (const table of source.tables || []) {
        const relation = [source.database, source.schema || source.name, table.identifier || table.name].filter(Boolean).join('.');
        out.set(source.name + '.' + table.name, { relation, columns: table.columns || [] });
      }
    }
  }
  return out;
}

function render(sql, sources, where) {
  const refs = [];
  const text = sql
    .replace(/\{#[\s\S]*?#\}/g, '')
    .replace(/\{\{\s*config\([\s\S]*?\)\s*\}\}/g, '')
    .replace(/\{\{\s*source\(\s*'([^']+)'\s*,\s*'([^']+)'\s*\)\s*\}\}/g, (_m, s, t) => {
      const found = sources.get(s + '.' + t);
      if (!found) throw new Error(where + ": source('" + s + "', '" + t + "') is not declared in models/*.yml");
      return qualified(found.relation);
    })
    .replace(/\{\{\s*ref\(\s*'([^']+)'\s*\)\s*\}\}/g, (_m, m) => {
      refs.push(m);
      return q(m);
    });
  const left = /\{[{%][\s\S]*?[}%]\}/.exec(text);
  if (left) throw new Error(where + ': this check renders only source(), ref() and config(), not ' + left[0]);
  return { text: text.replace(/;\s*$/, ''), refs };
}

async function checkDbt(db, root) {
  const sources = dbtSources(root);
  const models = new Map();
  for (const file of files(join(root, 'models'), '.sql')) {
    models.set(basename(file, '.sql'), render(readFileSync(file, 'utf8'), sources, relative(root, file)));
  }
  const built = new Set();
  const build = async (name, path) => {
    if (built.has(name)) return;
    if (path.includes(name)) throw new Error('ref() cycle: ' + [...path, name].join(' -> '));
    const model = models.get(name);
    if (!model) throw new Error("ref('" + name + "'): no model " + name + '.sql');
    for (const dep of model.refs) await build(dep, [...path, name]);
    await db.run('CREATE VIEW ' + q(name) + ' AS ' + model.text);
    built.add(name);
  };
  for (const name of models.keys()) {
    await step('model ' + name, async () => {
      await build(name, []);
      const n = await count(db, 'SELECT count(*) FROM ' + q(name));
      if (n === 0) throw new Error('the model has no rows');
      return n + ' rows';
    });
  }
  for (const [key, source] of sources) {
    for (const column of source.columns) {
      for (const test of column.tests || column.data_tests || []) {
        const kind = typeof test === 'string' ? test : Object.keys(test)[0];
        const rel = qualified(source.relation);
        const col = q(column.name);
        const sql =
          kind === 'not_null'
            ? 'SELECT * FROM ' + rel + ' WHERE ' + col + ' IS NULL'
            : kind === 'unique'
              ? 'SELECT ' + col + ', count(*) AS n FROM ' + rel + ' GROUP BY ' + col + ' HAVING count(*) > 1'
              : null;
        if (sql) await step('source ' + key + ' ' + column.name + ' ' + kind, () => expectNoRows(db, sql));
      }
    }
  }
  for (const file of files(join(root, 'tests'), '.sql')) {
    const where = relative(root, file);
    await step('data test ' + where, () => expectNoRows(db, render(readFileSync(file, 'utf8'), sources, where).text));
  }
}

// --- jobs: BigQuery-style queries, each materialized as a table named after its file ---
function fromBigQuery(sql) {
  const quoted = new RegExp(BACKTICK + '([^' + BACKTICK + ']+)' + BACKTICK, 'g');
  return sql.replace(quoted, (_m, path) => qualified(path)).replace(/;\s*$/, '');
}

async function checkJobs(db, root) {
  const jobs = files(join(root, 'jobs'), '.sql').filter((f) => !relative(root, f).startsWith(join('jobs', 'checks')));
  if (jobs.length === 0) throw new Error('no jobs/*.sql');
  for (const file of jobs) {
    const name = basename(file, '.sql');
    await step('job ' + relative(root, file), async () => {
      await db.run('CREATE TABLE ' + q(name) + ' AS ' + fromBigQuery(readFileSync(file, 'utf8')));
      const n = await count(db, 'SELECT count(*) FROM ' + q(name));
      if (n === 0) throw new Error('the job wrote no rows');
      return n + ' rows';
    });
  }
  for (const file of files(join(root, 'jobs', 'checks'), '.sql')) {
    await step('check ' + relative(root, file), () => expectNoRows(db, fromBigQuery(readFileSync(file, 'utf8'))));
  }
}

const lake = process.env.FLEETWAVE_LAKE;
if (!lake) {
  console.error('FLEETWAVE_LAKE is not set: point it at the data lake folder');
  process.exit(2);
}
const root = process.cwd();
const instance = await DuckDBInstance.create(':memory:');
const db = await instance.connect();
const catalog = JSON.parse(readFileSync(join(lake, 'warehouse', 'catalog.json'), 'utf8'));
for (const [name, table] of Object.entries(catalog.tables)) {
  await step('warehouse table ' + name + ' (' + table.format + ', ' + table.location + ')', () => register(db, name, table, lake));
}
if (existsSync(join(root, 'dbt_project.yml'))) await checkDbt(db, root);
else await checkJobs(db, root);
const failed = results.filter((r) => !r.ok).length;
console.log('1..' + results.length);
console.log('# pass ' + (results.length - failed));
console.log('# fail ' + failed);

process.exitCode = failed > 0 ? 1 : 0;
`.trimStart();

/** The Python consumers' check: `python3 ci/check.py <modules the tests need>`. */
export const PYTHON_CHECK_PY = String.raw`
"""The check of this Python repository: what it can run here, and a plain line for what it cannot.

1. Every .py file must compile (syntax only: python3's own compile(), nothing written).
2. The tests (tests/test_*.py, unittest) run when python3 can import what they need (REQUIRES below).
   When it cannot, they are skipped and this says so: a skipped run checked the syntax, not the logic.
"""
import importlib.util
import pathlib
import sys
import unittest

REQUIRES = sys.argv[1:]

sources = sorted(p for p in pathlib.Path(".").rglob("*.py") if ".git" not in p.parts)
for path in sources:
    compile(path.read_text(encoding="utf-8"), str(path), "exec")
print(f"ok - {len(sources)} Python files compile (python {sys.version.split()[0]})")

missing = [m for m in REQUIRES if importlib.util.find_spec(m) is None]
if missing:
    print(f"SKIPPED: the tests were not run: python3 cannot import {', '.join(missing)} here; only the syntax was checked, not the logic")
    sys.exit(0)

result = unittest.TextTestRunner(verbosity=2).run(unittest.defaultTestLoader.discover("tests", top_level_dir="."))
sys.exit(0 if result.wasSuccessful() else 1)
`.trimStart();

/** `.fleetwave/check` of a Python consumer (executable: it starts with `#!`). */
export function pythonCheckScript(requires: readonly string[]): string {
  return `#!/bin/sh
# This repository's check (the local forge runs .fleetwave/check). Without python3 nothing can be checked: say so.
set -eu
if ! command -v python3 >/dev/null 2>&1; then
  echo "SKIPPED: python3 is not on PATH; nothing was checked"
  exit 0
fi
exec python3 ci/check.py ${requires.join(' ')}
`;
}

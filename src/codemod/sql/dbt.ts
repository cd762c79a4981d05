/**
 * dbt projects in a consumer repository: the folder of each `dbt_project.yml`, its sources
 * (`sources:` in any YAML file of the project: `name`, `database`, `schema` (default: the source's
 * name), `tables[].name`, `tables[].identifier` (default: the table's name), `tables[].columns`),
 * and how `source('x','y')` and `ref('y')` resolve to a table's name parts
 * (https://docs.getdbt.com/reference/source-properties, https://docs.getdbt.com/reference/resource-properties/identifier).
 * `ref('y')` names the model (or seed, snapshot) `y` in the project's own schema: its name alone.
 */
import { dirname, posix } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type Document, type Node as YamlNode, type Scalar, type YAMLMap } from 'yaml';

export interface DbtColumn {
  name: string;
  /** The `name:` scalar's range in the file. */
  nameRange: [number, number];
  /** The whole list item (from its line's start to the next item's line). */
  itemRange: [number, number];
  quoted: boolean;
}

export interface DbtSourceTable {
  file: string;
  source: string;
  table: string;
  /** database, schema, identifier: the table as the warehouse names it. */
  parts: string[];
  /** The table entry's `name:` value range (an `identifier:` line goes after it) and its indentation. */
  nameEnd: number;
  indent: number;
  identifier?: { value: string; range: [number, number] };
  columns: DbtColumn[];
  /** Scalars inside the table's tests that name a column (`field: user_id`, `combination_of_columns: [...]`). */
  testColumns: { value: string; range: [number, number] }[];
}

export interface DbtProject {
  dir: string;
  tables: DbtSourceTable[];
}

const SKIP = /(^|\/)(target|dbt_packages|dbt_modules|logs)\//;

/** The dbt projects of a repository, from its paths and a reader of their text. */
export function dbtProjects(paths: readonly string[], read: (path: string) => string | undefined): DbtProject[] {
  const dirs = paths.filter((p) => posix.basename(p) === 'dbt_project.yml').map((p) => (dirname(p) === '.' ? '' : dirname(p)));
  return dirs.map((dir) => {
    const tables: DbtSourceTable[] = [];
    for (const path of paths) {
      if (!/\.ya?ml$/.test(path) || (dir && !path.startsWith(`${dir}/`)) || SKIP.test(path.slice(dir ? dir.length + 1 : 0))) continue;
      const text = read(path);
      if (text === undefined || !/^sources\s*:/m.test(text)) continue;
      tables.push(...sourceTables(path, text));
    }
    return { dir, tables };
  });
}

/** The project a file belongs to: the deepest project folder holding it. */
export function projectOf(projects: readonly DbtProject[], path: string): DbtProject | undefined {
  return projects.filter((p) => p.dir === '' || path.startsWith(`${p.dir}/`)).sort((a, b) => b.dir.length - a.dir.length)[0];
}

function str(node: unknown): string | undefined {
  return isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number') ? String(node.value) : undefined;
}

function lineStart(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

export function sourceTables(file: string, text: string): DbtSourceTable[] {
  let doc: Document;
  try {
    doc = parseDocument(text);
  } catch {
    return [];
  }
  if (doc.errors.length) return [];
  const out: DbtSourceTable[] = [];
  const sources = doc.get('sources', true);
  if (!isSeq(sources)) return out;
  for (const src of sources.items) {
    if (!isMap(src)) continue;
    const sourceName = str(src.get('name', true));
    if (!sourceName) continue;
    const database = str(src.get('database', true));
    const schema = str(src.get('schema', true)) ?? sourceName;
    const tablesNode = src.get('tables', true);
    if (!isSeq(tablesNode)) continue;
    for (const t of tablesNode.items) {
      if (!isMap(t)) continue;
      const nameNode = t.get('name', true) as Scalar | undefined;
      const name = str(nameNode);
      if (!name || !nameNode?.range) continue;
      const idNode = t.get('identifier', true) as Scalar | undefined;
      const identifier = str(idNode);
      const namePair = t.items.find((p) => isScalar(p.key) && p.key.value === 'name');
      const keyStart = (namePair?.key as YamlNode | undefined)?.range?.[0] ?? nameNode.range[0];
      const columns: DbtColumn[] = [];
      const colsNode = t.get('columns', true);
      if (isSeq(colsNode)) {
        colsNode.items.forEach((c, i) => {
          if (!isMap(c)) return;
          const cn = c.get('name', true) as Scalar | undefined;
          const cname = str(cn);
          if (!cname || !cn?.range || !c.range) return;
          const next = colsNode.items[i + 1] as YamlNode | undefined;
          const end = next?.range ? lineStart(text, next.range[0]) : endOfLine(text, c.range[1]);
          columns.push({
            name: cname,
            nameRange: [cn.range[0], cn.range[1]],
            itemRange: [lineStart(text, c.range[0]), end],
            quoted: cn.type !== 'PLAIN',
          });
        });
      }
      out.push({
        file,
        source: sourceName,
        table: name,
        parts: knownParts([...(database ? [database] : []), schema, identifier ?? name]),
        nameEnd: nameNode.range[1],
        indent: keyStart - lineStart(text, keyStart),
        ...(identifier && idNode?.range
          ? { identifier: { value: identifier, range: [idNode.range[0], idNode.range[1]] as [number, number] } }
          : {}),
        columns,
        testColumns: testColumnScalars(t),
      });
    }
  }
  return out;
}

/**
 * A part written with Jinja (`database: "{{ env_var('DBT_DB') }}"`) is known only when dbt runs: the
 * parts up to the last such one are dropped, so the table matches on the parts that are known.
 */
function knownParts(parts: string[]): string[] {
  let last = -1;
  parts.forEach((p, i) => {
    if (p.includes('{{') || p.includes('{%')) last = i;
  });
  return parts.slice(last + 1);
}

function endOfLine(text: string, at: number): number {
  const nl = text.indexOf('\n', Math.max(0, at - 1));
  return nl === -1 ? text.length : nl + 1;
}

/**
 * `column_name: c` and `combination_of_columns: [a, b]` anywhere in the table's tests: they name the
 * table's own columns. (A `relationships` test's `field` names the other model's column: left alone.)
 */
function testColumnScalars(table: YAMLMap): { value: string; range: [number, number] }[] {
  const out: { value: string; range: [number, number] }[] = [];
  const walk = (node: unknown, key?: string) => {
    if (isMap(node)) for (const p of node.items) walk(p.value, isScalar(p.key) ? String(p.key.value) : undefined);
    else if (isSeq(node)) for (const i of node.items) walk(i, key === 'combination_of_columns' ? key : undefined);
    else if (isScalar(node) && node.range && (key === 'column_name' || key === 'combination_of_columns')) {
      const v = str(node);
      if (v) out.push({ value: v, range: [node.range[0], node.range[1]] });
    }
  };
  for (const key of ['tests', 'data_tests']) walk(table.get(key, true), key);
  const cols = table.get('columns', true);
  if (isSeq(cols)) for (const c of cols.items) if (isMap(c)) for (const key of ['tests', 'data_tests']) walk(c.get(key, true), key);
  return out;
}

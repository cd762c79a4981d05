/**
 * What a Python file does with the dataset (pandas, PySpark, polars), on tree-sitter's syntax tree:
 *
 * 1. **Reads**: a call with an argument that names the dataset — its URI (or a path under it) or its
 *    table (`spark.table("a.b.c")`) — as a string literal or through a module-level name bound to one
 *    (`PATH = "s3://…"`). The string moves to the target URI or table; with Avro → Parquet the reader
 *    follows (`pl.read_avro` → `pl.read_parquet`, `.format("avro")` and `format="avro"` → parquet; a
 *    reader with no Parquet twin is a warning).
 * 2. **Frames**: the value of a read, and of any name bound to an expression on a frame (method chains,
 *    masks, column lists), in statement order. A frame passed to a function or returned is not
 *    followed further.
 * 3. **Column references** on a frame: `df["c"]`, `df[["a", "c"]]`, `df.c` (a column the migration
 *    touches), the string arguments and `subset=`/`by=`/`on=`/`columns=`… keywords of column-taking
 *    methods (`select`, `groupBy`, `sort_values`, `drop`, `rename(columns={…})`, `withColumnRenamed`'s
 *    first argument, …), `col("c")` / `F.col("c")` / `pl.col("c")` inside a method call on a frame,
 *    and `columns=` / `usecols=` of the read itself.
 *
 * Each reference to a renamed column becomes an edit (the string's content, or the attribute's name);
 * to a dropped column a blocking finding; to a cast column a warning. What is not understood is left
 * alone with a warning: a column the migration touches named in a string that is no recognised
 * reference (a SQL expression in `filter("…")`, a dict key elsewhere), a column written by
 * `withColumn`, a reader with no Parquet twin, a file that does not parse. Pure but for the parser.
 */
import type { Node } from 'web-tree-sitter';
import type { FieldFate } from '../impact-fields.js';
import type { Finding } from '../port.js';
import type { SpanEdit } from '../rules/rule.js';
import { parsePython } from './parser.js';

export interface PythonDataset {
  /** The source URI without a trailing slash (`s3://lake/events/v1`). */
  sourceUri: string;
  targetUri: string;
  /** The table as SQL names it, dotted, without quotes (`analytics.events.play_events_v1`). */
  sourceTable?: string;
  targetTable?: string;
  /** Avro → Parquet: readers switch format. */
  switchFormat: boolean;
}

export interface PythonAnalysis {
  edits: SpanEdit[];
  findings: Finding[];
  /** Reads of the dataset found. */
  reads: number;
}

/** Methods whose string arguments (and these keywords) name columns of the frame they are called on. */
const COLUMN_METHODS = new Set([
  'select',
  'groupBy',
  'groupby',
  'group_by',
  'orderBy',
  'sort',
  'sort_values',
  'sortWithinPartitions',
  'drop',
  'dropna',
  'drop_nulls',
  'fillna',
  'fill_null',
  'dropDuplicates',
  'drop_duplicates',
  'unique',
  'distinct',
  'set_index',
  'pivot',
  'pivot_table',
  'explode',
  'describe',
  'agg',
  'aggregate',
  'rename',
  'withColumnRenamed',
  'partitionBy',
  'repartition',
  'cube',
  'rollup',
  'melt',
  'unpivot',
  'join',
  'merge',
  'filter',
  'where',
  'with_columns',
  'withColumn',
  'withColumns',
  'assign',
  'astype',
  'cast',
  'nunique',
  'value_counts',
  'cov',
  'corr',
]);
/** Keywords whose value names columns. */
const COLUMN_KEYWORDS = new Set([
  'subset',
  'by',
  'on',
  'left_on',
  'right_on',
  'columns',
  'usecols',
  'cols',
  'index',
  'values',
  'id_vars',
  'value_vars',
  'keys',
  'partition_by',
  'sort_by',
]);
/** Methods whose first argument names a column the call writes, not one it reads. */
const WRITES_FIRST = new Set(['withColumn', 'with_column']);
/** Methods whose first positional argument is a SQL expression string. */
const SQL_STRING = new Set(['filter', 'where', 'selectExpr', 'expr', 'query', 'eval', 'sql']);
/** Methods that return a frame (or something a column method applies to) when called on one. */
const FRAME_METHODS = new Set([
  ...COLUMN_METHODS,
  'alias',
  'cache',
  'persist',
  'limit',
  'head',
  'tail',
  'sample',
  'copy',
  'reset_index',
  'union',
  'unionByName',
  'concat',
  'with_row_count',
  'with_row_index',
  'lazy',
  'collect',
  'toPandas',
  'to_pandas',
  'to_polars',
  'to_arrow',
  'toArrow',
  'df',
  'to_df',
  'toDF',
  'fetchdf',
  'fetch_df',
  'pl',
  'arrow',
  'coalesce',
  'checkpoint',
  'localCheckpoint',
  'dropna',
  'query',
  'selectExpr',
  'na',
  'fill',
  'loc',
  'iloc',
]);
/** Readers that return a frame when called with the dataset. */
const READERS = /^(read_\w+|scan_\w+|load|table|parquet|avro|orc|dataset|open_dataset|read|from_\w+)$/;
/** Readers with a Parquet twin under the same module: `read_avro` → `read_parquet`. */
const PARQUET_TWINS: Record<string, string> = { read_avro: 'read_parquet', scan_avro: 'scan_parquet' };
/** Modules whose `read_avro` has a `read_parquet` twin (polars); others (pandavro, fastavro) do not. */
const TWIN_MODULES = new Set(['polars']);

function stringContent(node: Node): Node | null {
  if (node.type !== 'string') return null;
  const parts = node.namedChildren.filter((c): c is Node => c !== null && c.type !== 'string_start' && c.type !== 'string_end');
  return parts.length === 1 && parts[0]!.type === 'string_content' ? parts[0]! : null;
}

/** Python's reserved words: a column renamed to one is written `df["class"]`, not `df.class`. */
const KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(
    ' ',
  ),
);
const attributeName = (name: string): boolean => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !KEYWORDS.has(name);

/** The string's value when it is a plain literal (no interpolation, no escapes). */
function literal(node: Node): { value: string; content: Node } | null {
  const content = stringContent(node);
  if (!content || content.namedChildren.length > 0) return null;
  const prefix = node.firstChild?.text ?? '';
  if (/[bf]/i.test(prefix.replace(/['"]/g, ''))) return null;
  return { value: content.text, content };
}

function walk(node: Node, visit: (n: Node) => void): void {
  visit(node);
  for (const child of node.namedChildren) if (child) walk(child, visit);
}

/** The callee's last name: `pl.read_avro` → `read_avro`, `col` → `col`. */
function calleeName(call: Node): string | undefined {
  const f = call.childForFieldName('function');
  if (!f) return undefined;
  if (f.type === 'identifier') return f.text;
  if (f.type === 'attribute') return f.childForFieldName('attribute')?.text;
  return undefined;
}

/** The identifier at the root of an attribute/call/subscript chain. */
function chainRoot(node: Node): Node | null {
  let n: Node | null = node;
  while (n) {
    if (n.type === 'identifier') return n;
    if (n.type === 'attribute') n = n.childForFieldName('object');
    else if (n.type === 'call') n = n.childForFieldName('function');
    else if (n.type === 'subscript') n = n.childForFieldName('value');
    else if (n.type === 'parenthesized_expression') n = n.namedChildren[0] ?? null;
    else return null;
  }
  return null;
}

export async function analyzePython(
  path: string,
  text: string,
  dataset: PythonDataset,
  fates: ReadonlyMap<string, FieldFate>,
  mode: 'rewrite' | 'impact',
): Promise<PythonAnalysis> {
  const edits: SpanEdit[] = [];
  const findings: Finding[] = [];
  const tree = await parsePython(text);
  if (!tree || tree.rootNode.hasError) {
    const at = tree ? firstError(tree.rootNode) : null;
    findings.push({
      severity: 'warning',
      file: path,
      ...(at ? { line: at.startPosition.row + 1 } : {}),
      message: `python: ${path}${at ? `:${at.startPosition.row + 1}:${at.startPosition.column + 1}` : ''}: does not parse as Python 3; nothing in it was changed or checked — check it by hand`,
    });
    tree?.delete();
    return { edits, findings, reads: 0 };
  }
  const root = tree.rootNode;
  const where = (n: Node) => `${path}:${n.startPosition.row + 1}:${n.startPosition.column + 1}`;
  const finding = (severity: Finding['severity'], n: Node, message: string, field?: string): void => {
    findings.push({
      severity,
      file: path,
      line: n.startPosition.row + 1,
      ...(field ? { field } : {}),
      message: `python: ${where(n)}: ${message}`,
    });
  };
  const edited = new Set<number>();
  const editSpan = (start: number, end: number, replacement: string): void => {
    if (edited.has(start)) return;
    edited.add(start);
    edits.push({ start, end, text: replacement });
  };
  const edit = (n: Node, replacement: string): void => editSpan(n.startIndex, n.endIndex, replacement);

  // Module aliases: `import polars as pl` → pl: polars.
  const modules = new Map<string, string>();
  walk(root, (n) => {
    if (n.type === 'aliased_import') {
      const name = n.childForFieldName('name')?.text;
      const alias = n.childForFieldName('alias')?.text;
      if (name && alias) modules.set(alias, name.split('.')[0]!);
    } else if (n.type === 'import_statement') {
      for (const c of n.namedChildren) if (c?.type === 'dotted_name') modules.set(c.text.split('.')[0]!, c.text.split('.')[0]!);
    }
  });

  const source = dataset.sourceUri.replace(/\/+$/, '');
  const target = dataset.targetUri.replace(/\/+$/, '');
  /** A string naming the dataset (before or after the move), and what it becomes. */
  const datasetString = (value: string): { side: 'source' | 'target'; moved: string } | null => {
    if (value === source || value.startsWith(`${source}/`)) {
      // A file or glob under the dataset: convert writes `part-0.parquet` for `part-0.avro`.
      const rest = value.slice(source.length);
      return { side: 'source', moved: target + (dataset.switchFormat ? rest.replace(/\.avro$/, '.parquet') : rest) };
    }
    if (target !== source && (value === target || value.startsWith(`${target}/`))) return { side: 'target', moved: value };
    const table = value.replace(/`/g, '');
    if (dataset.sourceTable && table === dataset.sourceTable) return { side: 'source', moved: dataset.targetTable ?? value };
    if (dataset.targetTable && table === dataset.targetTable) return { side: 'target', moved: value };
    return null;
  };

  // Module-level names bound to a string that names the dataset.
  const pathNames = new Set<string>();
  walk(root, (n) => {
    if (n.type !== 'assignment') return;
    const left = n.childForFieldName('left');
    const right = n.childForFieldName('right');
    if (left?.type === 'identifier' && right) {
      const s = literal(right);
      if (s && datasetString(s.value)) pathNames.add(left.text);
    }
  });

  // Every string that names the dataset moves.
  let reads = 0;
  const moved = new Set<number>();
  walk(root, (n) => {
    if (n.type !== 'string') return;
    const s = literal(n);
    if (!s) {
      const content = n.text;
      if (content.includes(source) && mode === 'rewrite')
        finding(
          'warning',
          n,
          `a string built from parts names the dataset's location ${source}; it was left as it is — move it to ${dataset.targetUri} by hand`,
        );
      return;
    }
    const hit = datasetString(s.value);
    if (!hit) return;
    moved.add(n.startIndex);
    if (hit.side === 'target') return;
    if (mode === 'rewrite') edit(s.content, hit.moved);
    else finding('warning', n, `still names the old dataset ${s.value}; the migration moves it to ${hit.moved}`);
  });

  // Reads: calls with a dataset string (or a name bound to one) as an argument.
  const frames = new Set<string>();
  const readCalls = new Set<number>();
  const isDatasetArg = (a: Node): boolean => {
    const v = a.type === 'keyword_argument' ? a.childForFieldName('value') : a;
    if (!v) return false;
    if (v.type === 'string') return moved.has(v.startIndex);
    return v.type === 'identifier' && pathNames.has(v.text);
  };
  const readOf = (call: Node): boolean => {
    if (call.type !== 'call' || readCalls.has(call.id)) return readCalls.has(call.id);
    const args = call.childForFieldName('arguments');
    const name = calleeName(call);
    if (!args || !name || !READERS.test(name)) return false;
    if (!args.namedChildren.some((a) => a !== null && isDatasetArg(a))) return false;
    readCalls.add(call.id);
    return true;
  };
  walk(root, (n) => {
    if (n.type === 'call' && readOf(n)) reads++;
  });

  /** Does this read call name the dataset as it is after the migration? */
  const readsTarget = (call: Node): boolean =>
    (call.childForFieldName('arguments')?.namedChildren ?? []).some((a) => {
      const v = a?.type === 'keyword_argument' ? a.childForFieldName('value') : a;
      const l = v ? literal(v) : null;
      return l !== null && datasetString(l.value)?.side === 'target';
    });

  /** Is this expression a frame: a read, a frame name, or an operation on one? */
  const isFrame = (n: Node | null): boolean => {
    if (!n) return false;
    if (n.type === 'identifier') return frames.has(n.text);
    if (n.type === 'call') {
      if (readCalls.has(n.id)) return true;
      const f = n.childForFieldName('function');
      if (f?.type === 'attribute') {
        const method = f.childForFieldName('attribute')?.text ?? '';
        return FRAME_METHODS.has(method) && isFrame(f.childForFieldName('object'));
      }
      return false;
    }
    if (n.type === 'subscript') return isFrame(n.childForFieldName('value'));
    if (n.type === 'attribute') {
      const a = n.childForFieldName('attribute')?.text ?? '';
      return (FRAME_METHODS.has(a) || a === 'na') && isFrame(n.childForFieldName('object'));
    }
    if (n.type === 'parenthesized_expression') return isFrame(n.namedChildren[0] ?? null);
    return false;
  };
  // Names bound to frames, until nothing changes (a later statement may feed an earlier loop).
  for (let changed = true, rounds = 0; changed && rounds < 5; rounds++) {
    changed = false;
    walk(root, (n) => {
      if (n.type !== 'assignment') return;
      const left = n.childForFieldName('left');
      if (left?.type === 'identifier' && !frames.has(left.text) && isFrame(n.childForFieldName('right'))) {
        frames.add(left.text);
        changed = true;
      }
    });
  }

  const referenced = new Set<number>();
  /** A string literal that names a column: edit, block or warn by its fate. */
  const columnString = (s: Node): void => {
    const l = literal(s);
    if (!l) return;
    referenced.add(s.startIndex);
    const fate = fates.get(l.value);
    if (!fate) return;
    columnFate(l.content, l.value, fate, (to) => edit(l.content, to));
  };
  const columnFate = (at: Node, name: string, fate: FieldFate, rename: (to: string) => void): void => {
    if (fate.kind === 'dropped' || fate.kind === 'absent') {
      finding(
        'blocking',
        at,
        `reads the column ${name}, which the migration drops (${fate.kind === 'dropped' ? fate.step : 'not in the target schema'})`,
        name,
      );
    } else if (fate.kind === 'renamed') {
      if (mode === 'rewrite') rename(fate.to);
      else finding('blocking', at, `reads the column ${name}, renamed to ${fate.to} by ${fate.step}, under its old name`, name);
    } else {
      finding('warning', at, `reads the column ${name}, cast to ${fate.to} by ${fate.step}: check how it is used here`, name);
    }
  };
  const columnsIn = (v: Node | null): void => {
    if (!v) return;
    if (v.type === 'string') columnString(v);
    else if (v.type === 'list' || v.type === 'tuple' || v.type === 'set')
      for (const c of v.namedChildren) if (c?.type === 'string') columnString(c);
  };
  /**
   * A join key names a column on both sides: renaming it on the dataset's side alone would break the
   * join, so a key the migration changes is a warning (dropped: blocking), left as it is.
   */
  const joinKeys = (v: Node | null): void => {
    if (!v) return;
    const keys =
      v.type === 'string'
        ? [v]
        : v.type === 'list' || v.type === 'tuple'
          ? v.namedChildren.filter((c): c is Node => c?.type === 'string')
          : [];
    for (const k of keys) {
      const l = literal(k);
      if (!l) continue;
      referenced.add(k.startIndex);
      const fate = fates.get(l.value);
      if (!fate) continue;
      if (fate.kind === 'renamed')
        finding(
          'warning',
          k,
          `joins on ${l.value}, which the migration renames to ${fate.to} on the dataset's side only; rewrite the join by hand (e.g. left_on/right_on)`,
          l.value,
        );
      else columnFate(l.content, l.value, fate, () => undefined);
    }
  };
  /** `col("c")`, `F.col("c")`, `pl.col("c")` anywhere under `n`. */
  const colCalls = (n: Node): void => {
    walk(n, (c) => {
      if (c.type !== 'call') return;
      const name = calleeName(c);
      if (name !== 'col' && name !== 'column') return;
      const first = c.childForFieldName('arguments')?.namedChildren[0];
      if (first?.type === 'string') columnString(first);
    });
  };

  walk(root, (n) => {
    if (n.type === 'subscript') {
      if (!isFrame(n.childForFieldName('value'))) return;
      const parent = n.parent;
      const sub = n.childForFieldName('subscript');
      const writes = parent?.type === 'assignment' && parent.childForFieldName('left')?.startIndex === n.startIndex;
      if (writes && sub?.type === 'string') {
        const l = literal(sub);
        if (l && fates.has(l.value))
          finding(
            'warning',
            sub,
            `writes the column ${l.value}, which the migration changes (${describeFate(fates.get(l.value)!)}); left as it is`,
            l.value,
          );
        if (l) referenced.add(sub.startIndex);
        return;
      }
      columnsIn(sub);
    } else if (n.type === 'attribute') {
      const attr = n.childForFieldName('attribute');
      if (!attr || !isFrame(n.childForFieldName('object'))) return;
      const fate = fates.get(attr.text);
      if (!fate || FRAME_METHODS.has(attr.text)) return;
      const parent = n.parent;
      if (parent?.type === 'call' && parent.childForFieldName('function')?.startIndex === n.startIndex) return; // a method
      const object = n.childForFieldName('object')!;
      // `df.user_id` → `df.userId`; a new name that cannot follow a dot → `df["class"]`.
      columnFate(attr, attr.text, fate, (to) =>
        attributeName(to) ? edit(attr, to) : editSpan(object.endIndex, n.endIndex, `[${JSON.stringify(to)}]`),
      );
    } else if (n.type === 'call') {
      const f = n.childForFieldName('function');
      const args = n.childForFieldName('arguments');
      if (!args) return;
      if (readCalls.has(n.id)) {
        for (const a of args.namedChildren) {
          if (a?.type === 'keyword_argument' && COLUMN_KEYWORDS.has(a.childForFieldName('name')?.text ?? ''))
            columnsIn(a.childForFieldName('value'));
        }
        switchReader(n);
        return;
      }
      if (f?.type !== 'attribute' || !isFrame(f.childForFieldName('object'))) return;
      const method = f.childForFieldName('attribute')?.text ?? '';
      colCalls(args);
      if (!COLUMN_METHODS.has(method) && !SQL_STRING.has(method)) return;
      const positional = args.namedChildren.filter((a): a is Node => a !== null && a.type !== 'keyword_argument');
      positional.forEach((a, i) => {
        if (i === 0 && WRITES_FIRST.has(method)) {
          const l = literal(a);
          if (l) {
            referenced.add(a.startIndex);
            if (fates.has(l.value))
              finding(
                'warning',
                a,
                `writes the column ${l.value}, which the migration changes (${describeFate(fates.get(l.value)!)}); left as it is`,
                l.value,
              );
          }
          return;
        }
        if (i === 1 && method === 'withColumnRenamed') {
          if (a.type === 'string') referenced.add(a.startIndex);
          return;
        }
        if (i === 0 && SQL_STRING.has(method) && a.type === 'string') return; // a SQL expression: the catch-all below warns
        if (a.type === 'dictionary' && (method === 'agg' || method === 'aggregate' || method === 'rename' || method === 'astype')) {
          for (const pair of a.namedChildren) if (pair?.type === 'pair') columnsIn(pair.childForFieldName('key'));
          return;
        }
        if ((method === 'join' || method === 'merge') && i >= 1) {
          joinKeys(a);
          return;
        }
        columnsIn(a);
      });
      for (const a of args.namedChildren) {
        if (a?.type !== 'keyword_argument') continue;
        const key = a.childForFieldName('name')?.text ?? '';
        const value = a.childForFieldName('value');
        if ((method === 'join' || method === 'merge') && (key === 'on' || key === 'right_on')) {
          if (key === 'on') joinKeys(value);
          else if (value) referenced.add(value.startIndex);
        } else if (key === 'columns' && value?.type === 'dictionary') {
          for (const pair of value.namedChildren) if (pair?.type === 'pair') columnsIn(pair.childForFieldName('key'));
        } else if (COLUMN_KEYWORDS.has(key)) columnsIn(value);
      }
    }
  });

  function switchReader(call: Node): void {
    // In impact mode the code is as the pull request leaves it: only reads of the new dataset must be Parquet.
    if (!dataset.switchFormat || (mode === 'impact' && !readsTarget(call))) return;
    const f = call.childForFieldName('function');
    const name = calleeName(call) ?? '';
    const args = call.childForFieldName('arguments');
    for (const a of args?.namedChildren ?? []) {
      if (a?.type !== 'keyword_argument' || a.childForFieldName('name')?.text !== 'format') continue;
      const l = literal(a.childForFieldName('value')!);
      if (l && l.value.toLowerCase() === 'avro') {
        if (mode === 'rewrite') edit(l.content, 'parquet');
        else finding('blocking', l.content, 'reads the dataset as Avro; it is Parquet after the migration');
      }
      if (l) referenced.add(a.childForFieldName('value')!.startIndex);
    }
    // `.format("avro")` earlier in the chain.
    for (
      let n = f?.childForFieldName('object') ?? null;
      n;
      n =
        n.type === 'call'
          ? (n.childForFieldName('function')?.childForFieldName('object') ?? null)
          : n.type === 'attribute'
            ? n.childForFieldName('object')
            : null
    ) {
      if (n.type === 'call' && calleeName(n) === 'format') {
        const first = n.childForFieldName('arguments')?.namedChildren[0];
        const l = first ? literal(first) : null;
        if (first && l) referenced.add(first.startIndex);
        if (l && l.value.toLowerCase() === 'avro') {
          if (mode === 'rewrite') edit(l.content, 'parquet');
          else finding('blocking', l.content, 'reads the dataset as Avro; it is Parquet after the migration');
        }
      }
    }
    const twin = PARQUET_TWINS[name];
    if (twin) {
      const root = f?.type === 'attribute' ? chainRoot(f) : null;
      const module = root ? modules.get(root.text) : undefined;
      if (module && TWIN_MODULES.has(module) && f?.type === 'attribute') {
        if (mode === 'rewrite') edit(f.childForFieldName('attribute')!, twin);
        else finding('blocking', f, `reads the dataset with ${name}; it is Parquet after the migration`);
      } else {
        finding(
          'blocking',
          call,
          `reads the dataset with ${f?.text ?? name}, which has no Parquet twin Fleetwave knows; the dataset is Parquet after the migration — switch the reader by hand (e.g. pandas.read_parquet)`,
        );
      }
    }
  }

  // Names bound in this file to something other than a dataset frame (another dataset's frame, a
  // dict, …): a string used on one of them is that object's business, not the dataset's.
  const otherNames = new Set<string>();
  walk(root, (n) => {
    if (n.type !== 'assignment') return;
    const left = n.childForFieldName('left');
    const right = n.childForFieldName('right');
    if (left?.type !== 'identifier' || frames.has(left.text) || pathNames.has(left.text)) return;
    // Bound to something made from the dataset that is not followed as a frame (`.df()` of an
    // unknown library, a helper's result): not another object — a string on it is said, not skipped.
    let fromDataset = false;
    if (right) walk(right, (m) => (fromDataset ||= readCalls.has(m.id) || (m.type === 'identifier' && frames.has(m.text))));
    if (!fromDataset) otherNames.add(left.text);
  });
  /** Does this chain start from a read of something else (`spark.read.parquet(USERS).select(…)`)? */
  const readsSomethingElse = (owner: Node): boolean => {
    for (let n: Node | null = owner; n;) {
      if (n.type === 'call') {
        const name = calleeName(n);
        if (name && READERS.test(name) && !readCalls.has(n.id) && (n.childForFieldName('arguments')?.namedChildren.length ?? 0) > 0)
          return true;
        n = n.childForFieldName('function');
      } else if (n.type === 'attribute') n = n.childForFieldName('object');
      else if (n.type === 'subscript') n = n.childForFieldName('value');
      else return false;
    }
    return false;
  };
  /** Is this string used on another object (`users["user_id"]`, `other.select("user_id")`)? */
  const onOtherObject = (n: Node): boolean => {
    for (let p = n.parent; p && p.type !== 'expression_statement' && p.type !== 'block'; p = p.parent) {
      const owner = p.type === 'subscript' ? p.childForFieldName('value') : p.type === 'call' ? p.childForFieldName('function') : null;
      if (!owner) continue;
      if (readsSomethingElse(owner)) return true;
      const r = chainRoot(owner);
      if (!r || modules.has(r.text)) continue; // pl.col(…), F.lit(…): look further up
      if (frames.has(r.text) || readCalls.has(p.id)) return false;
      if (otherNames.has(r.text)) return true;
    }
    return false;
  };

  // What the migration touches, named in a string no rule above understood: left alone, said.
  walk(root, (n) => {
    if (n.type !== 'string' || referenced.has(n.startIndex) || moved.has(n.startIndex) || reads === 0) return;
    // A docstring (a string alone as a statement) is prose.
    if (n.parent?.type === 'expression_statement' && n.parent.namedChildren.length === 1) return;
    const l = literal(n);
    const words = new Set((l?.value ?? n.text).match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []);
    const touched = [...fates].filter(([name]) => words.has(name));
    if (touched.length === 0 || onOtherObject(n)) return;
    for (const [name, fate] of touched) {
      finding(
        'warning',
        n,
        l && l.value === name
          ? `the string "${name}" may name the column ${describeFate(fate)}, but Fleetwave cannot tell it is a column of the dataset here; left as it is — check it by hand`
          : `mentions ${name} (${describeFate(fate)}) in a string Fleetwave cannot read as a column reference (a SQL expression, a name built elsewhere); left as it is — check it by hand`,
        name,
      );
    }
  });

  tree.delete();
  edits.sort((a, b) => a.start - b.start);
  return { edits, findings, reads };
}

function firstError(node: Node): Node | null {
  if (node.type === 'ERROR' || node.isMissing) return node;
  for (const child of node.children) {
    const found = child ? firstError(child) : null;
    if (found) return found;
  }
  return null;
}

function describeFate(fate: FieldFate): string {
  switch (fate.kind) {
    case 'dropped':
      return `dropped by ${fate.step}`;
    case 'renamed':
      return `renamed to ${fate.to} by ${fate.step}`;
    case 'cast':
      return `cast to ${fate.to} by ${fate.step}`;
    default:
      return 'not in the target schema';
  }
}

/**
 * Scope resolution over sql-parser-cst's syntax tree: which table each column reference belongs to.
 * Shared by the `sql` rule (src/codemod/rules/sql.ts) and impact analysis (src/codemod/impact-sql.ts).
 *
 * A query's FROM clause opens a scope of relations: the dataset's table (named by `isDataset`),
 * another table (columns unknown), a CTE or a subquery (columns known from their select lists, each
 * with the dataset column it carries, if any), a table function (unknown). A column reference is
 * resolved the way SQL resolves it:
 * - qualified (`e.user_id`, `events.play_events_v1.user_id`): the relation of that alias or name,
 *   innermost scope first;
 * - unqualified: the one relation of the innermost scope that has the column. The dataset has the
 *   columns the field mapping names; another table's columns are unknown, but a query that runs today
 *   cannot have two relations with the same column unqualified, so when the dataset is the one
 *   relation known to have it, it is the dataset's. A column of a CTE/subquery that does not come from
 *   the dataset is another table's; a name two known relations share (or a USING column of a join
 *   with another table) is ambiguous and left alone with a warning; a name no relation of the scope
 *   can have is looked up in the enclosing query (correlated subqueries);
 * - in ORDER BY and QUALIFY, an unqualified name that is one of the query's output names is that
 *   output.
 * Comparisons (`=`, `<`, IN, BETWEEN, JOIN ON/USING) mark the references they compare.
 */
import type { DialectInfo } from './dialect.js';
import { identifierQuote, sameName } from './dialect.js';

/** A CST node, read structurally (sql-parser-cst's types are a union of 300 node kinds). */
export interface Node {
  type: string;
  range?: [number, number];
  [key: string]: unknown;
}

/** One part of a name as written: `e`, `"Events"`, `` `analytics.events.t` `` (a whole backquoted path). */
export interface WrittenPart {
  name: string;
  quoted: boolean;
  quote?: '`' | '"' | '[';
  start: number;
  end: number;
}

export interface TableUse {
  /** The written name's parts; for a backquoted path (`` `a.b.c` ``) `path` is true and the range spans the quotes. */
  parts: WrittenPart[];
  start: number;
  end: number;
  path: boolean;
  /** The reference is a column's qualifier (`events.play_events_v1.user_id`), not a FROM item. */
  qualifier: boolean;
}

export interface ColumnUse {
  /** The dataset's column (its name before the migration, as the field mapping spells it). */
  column: string;
  /** The identifier's range and text as written (`user_id`, `"user_id"`). */
  start: number;
  end: number;
  text: string;
  /**
   * The reference names the column by the dataset's name, so a rename rewrites it: directly on the
   * table, or through a CTE/subquery whose output is that column under its own name.
   */
  follows: boolean;
  /** It is a bare column item of a select list (its output name is the column's name). */
  item?: { top: boolean };
  /** It names an output of the query (ORDER BY, QUALIFY): a rename reaches it only if that output's name changes. */
  output?: { top: boolean };
  /** Compared or joined: `=`, `<`, IN, BETWEEN, JOIN ON, USING. */
  compared: boolean;
  /** What it is compared with, when that is a literal: a cast to a type of the same kind changes nothing there. */
  against?: Literal;
  /**
   * An unqualified reference to a `USING` column that joins the table with another relation: after a
   * rename only the table's side has the new name, so the reference is qualified with the table's alias.
   */
  qualify?: string;
  /**
   * The column of `JOIN … USING (c)` joining the table with another relation: a rename turns the whole
   * specification (`start`–`end`) into `ON <dataset>.<new> = <other>.c` (written in the join's order).
   */
  using?: { start: number; end: number; dataset: string; other: string; datasetLeft: boolean };
}

export interface StarUse {
  start: number;
  end: number;
  /** The dataset columns the star passes on. */
  columns: string[];
}

export interface Ambiguity {
  start: number;
  end: number;
  column: string;
  why: string;
}

export interface Resolution {
  tables: TableUse[];
  columns: ColumnUse[];
  /** `SELECT *` (or `e.*`) in a statement's output that passes the dataset's columns on. */
  stars: StarUse[];
  ambiguous: Ambiguity[];
}

export interface ResolveOptions {
  dialect: DialectInfo;
  /** The dataset's columns that matter (the field mapping's keys). */
  columns: readonly string[];
  /** Those the target table still has under the same name (cast, not renamed or dropped). */
  kept: readonly string[];
  /** Is a table written with these parts the dataset? `placeholder` is the offset of a Jinja expression standing for it. */
  tableOf(parts: WrittenPart[], placeholder?: number): 'source' | 'target' | undefined;
  /** A Jinja placeholder's offset, when the identifier at `start` is one. */
  isPlaceholder(start: number): boolean;
  /** Outputs take the new names (the rule's `renameOutputs`): a statement's star then pins nothing. */
  renameOutputs?: boolean;
}

interface Output {
  name: string;
  /** The dataset column it carries. */
  origin?: string;
  /** Its name is the dataset column's name and changes with a rename. */
  follows: boolean;
  /** The bare select item that defines it (so that a statement's star can pin its name). */
  use?: ColumnUse;
}

interface Relation {
  kind: 'dataset' | 'derived' | 'other';
  /** For the dataset: the source table, or the target table (where renamed and dropped columns are gone). */
  which?: 'source' | 'target';
  /** The name that qualifies its columns: the alias, else the table's last name part. */
  alias?: string;
  aliased: boolean;
  parts?: WrittenPart[];
  use?: TableUse;
  outputs?: Output[];
  /** Its columns are not all known (a star over another table, a recursive CTE). */
  opaque?: boolean;
}

interface Scope {
  relations: Relation[];
  parent?: Scope;
  /**
   * USING columns: true when the merged column is the dataset's on every side, false when it cannot be
   * told, the dataset's alias when a rewrite to ON makes the dataset's side the one to read.
   */
  using: Map<string, boolean | string>;
}

interface Ctx {
  outer?: Scope;
  ctes: Map<string, Relation>;
  top: boolean;
}

export type Literal = 'number' | 'string' | 'boolean' | 'null';

function literalKind(n: unknown): Literal | undefined {
  if (!isNode(n)) return undefined;
  if (n.type === 'number_literal') return 'number';
  if (n.type === 'string_literal') return 'string';
  if (n.type === 'boolean_literal') return 'boolean';
  if (n.type === 'null_literal') return 'null';
  if (n.type === 'paren_expr') return literalKind(n.expr);
  if (n.type === 'list_expr') {
    const kinds = new Set(((n.items as unknown[]) ?? []).map(literalKind));
    return kinds.size === 1 ? [...kinds][0] : undefined;
  }
  return undefined;
}

const COMPARE = new Set(['=', '==', '<>', '!=', '<', '>', '<=', '>=', 'IN', 'NOT IN', 'LIKE', 'IS', 'IS NOT', 'IS DISTINCT FROM']);

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && typeof (v as Node).type === 'string';

export function resolveProgram(program: Node, opts: ResolveOptions): Resolution {
  return new Resolver(opts).run(program);
}

class Resolver {
  private readonly out: Resolution = { tables: [], columns: [], stars: [], ambiguous: [] };
  private readonly wanted: Set<string>;
  private readonly kept: Set<string>;
  /** References made through a CTE/subquery output defined by a bare item: that item. */
  private readonly through = new Map<ColumnUse, ColumnUse>();
  /** Bare items whose output name a statement's star exposes: they keep the name (an alias is added). */
  private readonly pinned = new Set<ColumnUse>();

  constructor(private readonly opts: ResolveOptions) {
    this.wanted = new Set(opts.columns.map((c) => c.toLowerCase()));
    this.kept = new Set(opts.kept.map((c) => c.toLowerCase()));
  }

  run(program: Node): Resolution {
    for (const stmt of (program.statements as Node[] | undefined) ?? []) this.statement(stmt);
    // A reference through a pinned output reads the old name, which the pinned item keeps.
    for (const [ref, item] of this.through) if (this.pinned.has(item)) ref.follows = false;
    return this.out;
  }

  private statement(stmt: Node, top = true): void {
    if (!isNode(stmt)) return;
    if (isQuery(stmt)) {
      this.query(stmt, { ctes: new Map(), top });
      return;
    }
    // CREATE TABLE … AS, CREATE VIEW … AS, INSERT … SELECT, MERGE … USING (SELECT …): the query inside
    // is the statement's output; a subquery in a DELETE's or UPDATE's WHERE is not.
    for (const [key, value] of Object.entries(stmt)) {
      if (key === 'range' || key === 'type') continue;
      for (const v of Array.isArray(value) ? value : [value]) {
        if (!isNode(v)) continue;
        if (isQuery(v)) this.query(v, { ctes: new Map(), top });
        else if (v.type === 'paren_expr' && isNode(v.expr) && isQuery(v.expr)) this.query(v.expr, { ctes: new Map(), top });
        else if (key !== 'name' && key !== 'table') this.statement(v, top && v.type !== 'where_clause');
      }
    }
  }

  /** A query (select, compound, parenthesized): its output columns. */
  private query(node: Node, ctx: Ctx): Output[] | undefined {
    if (node.type === 'select_stmt') return this.select(node, ctx);
    if (node.type === 'compound_select_stmt') {
      const left = this.query(node.left as Node, ctx);
      this.query(node.right as Node, ctx);
      return left;
    }
    if (node.type === 'paren_expr' && isNode(node.expr)) return this.query(node.expr, ctx);
    return undefined;
  }

  private select(node: Node, ctx: Ctx): Output[] | undefined {
    const clauses = (node.clauses as Node[]).filter(isNode);
    let ctes = ctx.ctes;
    for (const clause of clauses) {
      if (clause.type !== 'with_clause') continue;
      ctes = new Map(ctes);
      for (const cte of listItems(clause.tables as Node)) {
        const name = (cte.table as Node).name as string;
        if (clause.recursiveKw) ctes.set(name.toLowerCase(), { kind: 'derived', alias: name, aliased: true, outputs: [], opaque: true });
        let outs = this.query(cte.expr as Node, { outer: ctx.outer, ctes, top: false });
        const cols = cte.columns as Node | undefined;
        if (cols)
          outs = listItems(cols.expr as Node).map((id, i) => ({ name: id.name as string, origin: outs?.[i]?.origin, follows: false }));
        ctes.set(name.toLowerCase(), { kind: 'derived', alias: name, aliased: true, outputs: outs ?? [], opaque: outs === undefined });
      }
    }
    const scope: Scope = { relations: [], parent: ctx.outer, using: new Map() };
    const joins: { spec: Node; left: Relation[]; right: Relation; operator: unknown }[] = [];
    const from = clauses.find((c) => c.type === 'from_clause');
    if (from) this.relations(from.expr as Node, scope, ctes, joins);
    for (const j of joins) this.joinSpec(j.spec, j.left, j.right, scope, operatorText(j.operator));

    const sub: Ctx = { outer: scope, ctes, top: false };
    let outputs: Output[] | undefined;
    for (const clause of clauses) {
      switch (clause.type) {
        case 'with_clause':
        case 'from_clause':
          break;
        case 'select_clause':
          outputs = this.selectList(clause, scope, sub, ctx.top);
          break;
        case 'order_by_clause':
        case 'qualify_clause':
          this.expr(clause, scope, sub, { outputs, top: ctx.top });
          break;
        default:
          this.expr(clause, scope, sub, {});
      }
    }
    return outputs;
  }

  private selectList(clause: Node, scope: Scope, sub: Ctx, top: boolean): Output[] | undefined {
    const outputs: Output[] = [];
    let known = true;
    this.expr(clause.modifiers, scope, sub, {}); // DISTINCT ON (…)
    for (const item of listItems(clause.columns as Node)) {
      if (item.type === 'all_columns') {
        const passed = this.star(scope.relations, outputs, top);
        if (passed === undefined) known = false;
        else if (top && passed.length) this.out.stars.push({ start: item.range![0], end: item.range![1], columns: passed });
        continue;
      }
      if (item.type === 'member_expr' && isNode(item.property) && item.property.type === 'all_columns') {
        const q = nameParts(item.object as Node);
        const rel = q ? this.findRelation(scope, q, false) : undefined;
        const passed = rel ? this.star([rel], outputs, top) : undefined;
        if (passed === undefined) known = false;
        else if (top && passed.length) this.out.stars.push({ start: item.range![0], end: item.range![1], columns: passed });
        continue;
      }
      if (item.type === 'except_columns' || item.type === 'replace_columns') {
        // BigQuery `* EXCEPT (c)` / `* REPLACE (x AS c)`: the names are the star's columns.
        const star = item.expr as Node;
        const q = star.type === 'member_expr' ? nameParts(star.object as Node) : undefined;
        const rel = q ? this.findRelation(scope, q, false) : undefined;
        const rels = star.type === 'all_columns' ? scope.relations : rel ? [rel] : [];
        const starOutputs: Output[] = [];
        const passed = this.star(rels, starOutputs, top);
        const named = new Set<string>();
        for (const entry of listItems((item.columns as Node).expr as Node)) {
          const id = entry.type === 'alias' ? (entry.alias as Node) : entry;
          if (entry.type === 'alias') this.expr(entry.expr, scope, sub, {});
          if (id.type !== 'identifier') continue;
          const part = identPart(id);
          named.add(part.name.toLowerCase());
          const holder = rels.find(
            (r) => r.kind === 'dataset' || r.outputs?.some((o) => o.origin && sameName(this.opts.dialect, part, o.name)),
          );
          if (holder) this.onRelation(holder, part, {}, []);
        }
        const kept = item.type === 'except_columns' ? starOutputs.filter((o) => !named.has(o.name.toLowerCase())) : starOutputs;
        outputs.push(...kept);
        if (passed === undefined) known = false;
        else {
          const left = item.type === 'except_columns' ? passed.filter((c) => !named.has(c.toLowerCase())) : passed;
          if (top && left.length) this.out.stars.push({ start: item.range![0], end: item.range![1], columns: left });
        }
        continue;
      }
      if (item.type === 'alias') {
        const before = this.out.columns.length;
        this.expr(item.expr as Node, scope, sub, {});
        const direct = this.out.columns.slice(before).find((c) => c.start === columnStart(item.expr as Node));
        outputs.push({ name: (item.alias as Node).name as string, origin: direct?.column, follows: false });
        continue;
      }
      const before = this.out.columns.length;
      this.expr(item, scope, sub, { item: { top } });
      const start = columnStart(item);
      const direct = start === undefined ? undefined : this.out.columns.slice(before).find((c) => c.start === start);
      const name = columnName(item);
      if (name !== undefined)
        outputs.push({ name, origin: direct?.column, follows: direct?.follows ?? false, ...(direct ? { use: direct } : {}) });
    }
    return known ? outputs : undefined;
  }

  /** The columns a star passes on: the dataset's (by their names), a derived relation's outputs; undefined when unknown. */
  private star(relations: Relation[], outputs: Output[], top = false): string[] | undefined {
    const passed: string[] = [];
    let known = true;
    for (const rel of relations) {
      if (rel.kind === 'dataset') {
        for (const c of this.opts.columns) {
          if (!this.has(rel, c)) continue;
          outputs.push({ name: c, origin: c, follows: true });
          passed.push(c);
        }
        known = false; // its other columns are not known
      } else if (rel.kind === 'derived' && rel.outputs) {
        for (const o of rel.outputs) {
          outputs.push({ ...o });
          if (!o.origin) continue;
          // A statement's star exposes a CTE's column: the CTE's own item keeps the name (userId AS user_id).
          if (top && o.follows && o.use && !this.opts.renameOutputs) {
            this.pinned.add(o.use);
            o.use.item = { top: true };
          } else passed.push(o.origin);
        }
        if (rel.opaque) known = false;
      } else known = false;
    }
    // A star over the dataset has columns beyond the mapping's: the outputs are partial, marked opaque by the caller.
    return known || passed.length ? passed : undefined;
  }

  private relations(
    node: Node,
    scope: Scope,
    ctes: Map<string, Relation>,
    joins: { spec: Node; left: Relation[]; right: Relation; operator: unknown }[],
  ): void {
    if (!isNode(node)) return;
    if (node.type === 'join_expr') {
      this.relations(node.left as Node, scope, ctes, joins);
      const left = [...scope.relations];
      this.relations(node.right as Node, scope, ctes, joins);
      const right = scope.relations[scope.relations.length - 1];
      if (isNode(node.specification) && right) joins.push({ spec: node.specification, left, right, operator: node.operator });
      return;
    }
    const rel = this.relation(node, scope, ctes, joins);
    if (rel) scope.relations.push(rel);
  }

  private relation(
    node: Node,
    scope: Scope,
    ctes: Map<string, Relation>,
    joins: { spec: Node; left: Relation[]; right: Relation; operator: unknown }[],
  ): Relation | undefined {
    switch (node.type) {
      case 'alias': {
        const inner = node.expr as Node;
        const rel = this.relation(inner, scope, ctes, joins) ?? { kind: 'other', aliased: true };
        rel.alias = (node.alias as Node).name as string;
        rel.aliased = true;
        const cols = node.columnAliases as Node | undefined;
        if (cols) {
          const names = listItems(cols.expr as Node).map((id) => id.name as string);
          rel.outputs = names.map((n, i) => ({
            name: n,
            origin: rel.kind === 'derived' ? rel.outputs?.[i]?.origin : undefined,
            follows: false,
          }));
          if (rel.kind === 'dataset') Object.assign(rel, { kind: 'derived', opaque: true });
        }
        return rel;
      }
      case 'identifier':
      case 'member_expr':
      case 'bigquery_quoted_member_expr': {
        const parts = nameParts(node);
        if (!parts) return { kind: 'other', aliased: false };
        if (parts.length === 1 && !this.opts.isPlaceholder(parts[0]!.start)) {
          const cte = ctes.get(parts[0]!.name.toLowerCase());
          if (cte) return { ...cte, aliased: false, alias: parts[0]!.name };
        }
        const placeholder = parts.length === 1 && this.opts.isPlaceholder(parts[0]!.start) ? parts[0]!.start : undefined;
        const which = this.opts.tableOf(parts, placeholder);
        const last = parts[parts.length - 1]!;
        const rel: Relation = { kind: which ? 'dataset' : 'other', ...(which ? { which } : {}), alias: last.name, aliased: false, parts };
        if (which === 'source' && placeholder === undefined) {
          rel.use = {
            parts,
            start: node.range![0],
            end: node.range![1],
            path: node.type === 'bigquery_quoted_member_expr',
            qualifier: false,
          };
          this.out.tables.push(rel.use);
        }
        return rel;
      }
      case 'paren_expr': {
        const inner = node.expr as Node;
        if (isQuery(inner)) {
          const outputs = this.query(inner, { outer: scope.parent, ctes, top: false });
          return { kind: 'derived', aliased: false, outputs: outputs ?? [], opaque: outputs === undefined };
        }
        this.relations(inner, scope, ctes, joins);
        return undefined;
      }
      case 'lateral_derived_table': {
        const inner = node.expr as Node;
        if (inner.type === 'paren_expr' && isQuery(inner.expr as Node)) {
          const outputs = this.query(inner.expr as Node, { outer: scope, ctes, top: false });
          return { kind: 'derived', aliased: false, outputs: outputs ?? [], opaque: outputs === undefined };
        }
        this.expr(inner, scope, { outer: scope, ctes, top: false }, {});
        return { kind: 'other', aliased: false };
      }
      default: {
        // Table functions, UNNEST, TABLESAMPLE, FOR SYSTEM_TIME AS OF, PIVOT: a relation of unknown columns
        // whose arguments are read in this scope (UNNEST(e.tags) reads e).
        if (isNode(node.expr) && ['tablesample_expr', 'for_system_time_as_of_expr', 'partitioned_table'].includes(node.type)) {
          return this.relation(node.expr, scope, ctes, joins);
        }
        this.expr(node, scope, { outer: scope, ctes, top: false }, {});
        return { kind: 'other', aliased: false };
      }
    }
  }

  private joinSpec(spec: Node, left: Relation[], right: Relation, scope: Scope, operator: string): void {
    if (spec.type === 'join_on_specification') {
      this.expr(spec.expr as Node, scope, { outer: scope, ctes: new Map(), top: false }, { compared: true });
      return;
    }
    if (spec.type !== 'join_using_specification') return;
    const paren = spec.expr as Node;
    for (const id of listItems(paren.expr as Node)) {
      const name = id.name as string;
      if (!this.wanted.has(name.toLowerCase())) continue;
      const sides = [this.sideHas(left, name), this.sideHas([right], name)];
      const ours = sides.filter((s) => s !== undefined && s !== 'other');
      if (ours.length === 2) {
        scope.using.set(name.toLowerCase(), true);
        const column = this.column(name);
        this.out.columns.push({
          column,
          start: id.range![0],
          end: id.range![1],
          text: id.text as string,
          follows: sides.every((s) => s === 'follows'),
          compared: true,
        });
      } else if (ours.length === 1) {
        const datasetLeft = sides[0] !== undefined && sides[0] !== 'other';
        const lc = name.toLowerCase();
        const holds = (r: Relation) => r.kind === 'dataset' || r.outputs?.some((o) => o.origin && o.name.toLowerCase() === lc);
        const ds = datasetLeft ? left.find(holds) : right;
        const others = datasetLeft ? [right] : left.filter((r) => r !== ds);
        const other = others.length === 1 ? others[0] : undefined;
        const otherName = other?.aliased
          ? other.alias
          : other?.parts?.map((p) => (p.quote ? `${p.quote}${p.name}${p.quote === '[' ? ']' : p.quote}` : p.name)).join('.');
        let why: string | undefined;
        if (listItems(paren.expr as Node).length !== 1) why = `USING (…) lists more columns than ${name}`;
        else if (operator.includes('FULL')) why = 'a FULL JOIN merges both sides (COALESCE)';
        else if (!ds?.aliased || !ds.alias) why = "the dataset's table has no alias";
        else if (!otherName) why = 'the other side is not one named relation';
        if (why || !ds?.alias || !otherName) {
          scope.using.set(lc, false);
          this.out.ambiguous.push({
            start: id.range![0],
            end: id.range![1],
            column: this.column(name),
            why: `USING (${name}) joins the dataset's column with another relation's and ${why ?? 'cannot be rewritten'}; write the join as ON … by hand`,
          });
          continue;
        }
        // Which side's value the merged column has: the dataset's for an inner join, the preserved side's for an outer one.
        const fromDataset = operator.includes('LEFT') ? datasetLeft : operator.includes('RIGHT') ? !datasetLeft : true;
        scope.using.set(lc, fromDataset ? ds.alias : false);
        this.out.columns.push({
          column: this.column(name),
          start: id.range![0],
          end: id.range![1],
          text: id.text as string,
          follows: (datasetLeft ? sides[0] : sides[1]) === 'follows',
          compared: true,
          using: { start: spec.range![0], end: spec.range![1], dataset: ds.alias, other: otherName, datasetLeft },
        });
      }
    }
  }

  /** Whether one side of a join has the dataset column `name`: 'follows' (named as the dataset names it), 'fixed', 'other' or unknown. */
  private sideHas(rels: Relation[], name: string): 'follows' | 'fixed' | 'other' | undefined {
    for (const rel of rels) {
      if (rel.kind === 'dataset' && this.has(rel, name)) return 'follows';
      const o = rel.outputs?.find((x) => x.name.toLowerCase() === name.toLowerCase());
      if (o) return o.origin ? (o.follows ? 'follows' : 'fixed') : 'other';
    }
    return rels.some((r) => r.kind === 'other' || r.opaque) ? 'other' : undefined;
  }

  /** Does the dataset relation have this mapped column? The target table lacks the renamed and dropped ones. */
  private has(rel: Relation, name: string): boolean {
    return rel.which !== 'target' || this.kept.has(name.toLowerCase());
  }

  private column(name: string): string {
    return this.opts.columns.find((c) => c.toLowerCase() === name.toLowerCase()) ?? name;
  }

  /** The relation a qualifier names, innermost scope first. */
  private findRelation(scope: Scope | undefined, q: WrittenPart[], anyScope = true): Relation | undefined {
    for (let s = scope; s; s = anyScope ? s.parent : undefined) {
      for (const rel of [...s.relations].reverse()) {
        if (q.length === 1 && rel.alias && sameName(this.opts.dialect, q[0]!, rel.alias)) return rel;
        if (!rel.aliased && rel.parts && q.length <= rel.parts.length) {
          const tail = rel.parts.slice(rel.parts.length - q.length);
          if (tail.every((p, i) => p.name.toLowerCase() === q[i]!.name.toLowerCase())) return rel;
        }
      }
      if (!anyScope) break;
    }
    return undefined;
  }

  private expr(
    node: unknown,
    scope: Scope,
    sub: Ctx,
    o: { outputs?: Output[]; top?: boolean; compared?: boolean; against?: Literal; item?: { top: boolean } },
  ): void {
    if (Array.isArray(node)) {
      for (const n of node) this.expr(n, scope, sub, o);
      return;
    }
    if (!isNode(node)) return;
    switch (node.type) {
      case 'keyword':
      case 'all_columns':
      case 'data_type_name':
      case 'string_literal':
      case 'number_literal':
      case 'boolean_literal':
      case 'null_literal':
        return;
      case 'identifier':
        this.reference([node as Node], scope, o);
        return;
      case 'member_expr':
      case 'bigquery_quoted_member_expr': {
        const parts = nameParts(node);
        if (parts) this.reference(parts, scope, o, node);
        else {
          this.expr(node.object, scope, sub, {});
          if (isNode(node.property) && node.property.type !== 'identifier') this.expr(node.property, scope, sub, {});
        }
        return;
      }
      case 'select_stmt':
      case 'compound_select_stmt':
        this.query(node, sub);
        return;
      case 'paren_expr':
        if (isNode(node.expr) && isQuery(node.expr)) this.query(node.expr, sub);
        else this.expr(node.expr, scope, sub, { ...o, item: undefined });
        return;
      case 'alias':
        this.expr(node.expr, scope, sub, {});
        return;
      case 'func_call':
        this.expr(node.args, scope, sub, {});
        this.expr(node.filter, scope, sub, {});
        if (isNode(node.over) && isNode(node.over.window) && node.over.window.type !== 'identifier')
          this.expr(node.over.window, scope, sub, {});
        return;
      case 'cast_expr':
        this.expr(((node.args as Node).expr as Node).expr, scope, sub, { compared: o.compared });
        return;
      case 'cast_operator_expr':
        this.expr(node.left, scope, sub, { compared: o.compared });
        return;
      case 'named_window':
        this.expr(node.window, scope, sub, {});
        return;
      case 'window_definition':
        this.expr([node.partitionBy, node.orderBy, node.frame], scope, sub, {});
        return;
      case 'binary_expr': {
        const op = operatorText(node.operator);
        const compared = COMPARE.has(op);
        const rightKind = compared ? literalKind(node.right) : undefined;
        const leftKind = compared ? literalKind(node.left) : undefined;
        this.expr(node.left, scope, sub, { ...o, item: undefined, compared, against: rightKind });
        this.expr(node.right, scope, sub, { ...o, item: undefined, compared, against: leftKind });
        return;
      }
      case 'between_expr':
        this.expr(node.left, scope, sub, {
          ...o,
          item: undefined,
          compared: true,
          against: literalKind({ type: 'list_expr', items: [node.begin, node.end] }),
        });
        this.expr([node.begin, node.end], scope, sub, { ...o, item: undefined, compared: true, against: undefined });
        return;
      default:
        for (const [key, value] of Object.entries(node)) {
          if (key === 'range' || key === 'type') continue;
          this.expr(value, scope, sub, { ...o, item: undefined, compared: false });
        }
    }
  }

  /** A column reference: `col`, `q.col`, `schema.table.col`, `alias.struct_col.field`. */
  private reference(
    parts: WrittenPart[] | Node[],
    scope: Scope,
    o: { outputs?: Output[]; top?: boolean; compared?: boolean; against?: Literal; item?: { top: boolean } },
    whole?: Node,
  ): void {
    const written: WrittenPart[] = parts.map((p) => (isNode(p) ? identPart(p) : p));
    if (written.length === 0 || this.opts.isPlaceholder(written[0]!.start)) return;
    // Which leading parts name a relation? Longest first: `events.play_events_v1.user_id`, then `e.user_id`.
    for (let k = Math.min(written.length - 1, 4); k >= 1; k--) {
      const rel = this.findRelation(scope, written.slice(0, k));
      if (!rel) continue;
      const col = written[k]!;
      this.onRelation(rel, col, o, written.slice(0, k), whole);
      return;
    }
    const col = written[0]!;
    if (!this.wanted.has(col.name.toLowerCase()) && !(o.outputs && written.length === 1)) return;
    // ORDER BY / QUALIFY: a name that is one of the query's outputs.
    if (o.outputs && written.length === 1) {
      const out = o.outputs.find((x) => sameName(this.opts.dialect, col, x.name));
      if (out) {
        if (out.origin)
          this.out.columns.push({
            column: out.origin,
            start: col.start,
            end: col.end,
            text: this.text(col),
            follows: out.follows,
            output: { top: o.top === true },
            compared: o.compared === true,
            ...(o.against ? { against: o.against } : {}),
          });
        return;
      }
      if (!this.wanted.has(col.name.toLowerCase())) return;
    }
    this.unqualified(scope, col, o);
  }

  private onRelation(
    rel: Relation,
    col: WrittenPart,
    o: { compared?: boolean; against?: Literal; item?: { top: boolean } },
    qualifier: WrittenPart[],
    whole?: Node,
  ): void {
    if (rel.kind === 'dataset') {
      if (!rel.aliased && rel.use && qualifier.length >= 1) {
        const start = qualifier[0]!.start;
        const end = qualifier[qualifier.length - 1]!.end;
        const path =
          whole?.type === 'bigquery_quoted_member_expr' ||
          (qualifier.length === 1 && qualifier[0]!.quote === '`' && qualifier[0]!.name.includes('.'));
        this.out.tables.push({ parts: qualifier, start, end, path: path && qualifier.length > 1, qualifier: true });
      }
      if (!this.wanted.has(col.name.toLowerCase())) return;
      this.push(this.column(col.name), col, true, o);
      return;
    }
    if (rel.kind === 'derived') {
      const out = rel.outputs?.find((x) => sameName(this.opts.dialect, col, x.name));
      if (out?.origin) this.push(out.origin, col, out.follows, o, out.use);
    }
  }

  private push(
    column: string,
    col: WrittenPart,
    follows: boolean,
    o: { compared?: boolean; against?: Literal; item?: { top: boolean } },
    via?: ColumnUse,
  ): void {
    const use: ColumnUse = {
      column,
      start: col.start,
      end: col.end,
      text: this.text(col),
      follows,
      ...(o.item ? { item: o.item } : {}),
      compared: o.compared === true,
      ...(o.against ? { against: o.against } : {}),
    };
    this.out.columns.push(use);
    if (via) this.through.set(use, via);
  }

  private text(p: WrittenPart): string {
    return p.quote ? `${p.quote}${p.name}${p.quote === '[' ? ']' : p.quote}` : p.name;
  }

  private unqualified(scope: Scope, col: WrittenPart, o: { compared?: boolean; against?: Literal; item?: { top: boolean } }): void {
    const lc = col.name.toLowerCase();
    for (let s: Scope | undefined = scope; s; s = s.parent) {
      const merged = s.using.get(lc);
      if (merged === false) return;
      if (typeof merged === 'string') {
        this.out.columns.push({
          column: this.column(col.name),
          start: col.start,
          end: col.end,
          text: this.text(col),
          follows: true,
          ...(o.item ? { item: o.item } : {}),
          compared: o.compared === true,
          ...(o.against ? { against: o.against } : {}),
          qualify: merged,
        });
        return;
      }
      const definite: { rel: Relation; out?: Output }[] = [];
      let maybe = false;
      for (const rel of s.relations) {
        if (rel.kind === 'dataset') {
          if (this.has(rel, col.name)) definite.push({ rel });
        } else if (rel.kind === 'derived') {
          const out = rel.outputs?.find((x) => sameName(this.opts.dialect, col, x.name));
          if (out) definite.push({ rel, out });
          else if (rel.opaque) maybe = true;
        } else maybe = true;
      }
      if (merged === true && definite.length) {
        this.push(
          this.column(col.name),
          col,
          definite.every((d) => d.rel.kind === 'dataset' || d.out?.follows),
          o,
        );
        return;
      }
      if (definite.length === 1) {
        const d = definite[0]!;
        if (d.rel.kind === 'dataset') this.push(this.column(col.name), col, true, o);
        else if (d.out?.origin) this.push(d.out.origin, col, d.out.follows, o, d.out.use);
        return;
      }
      if (definite.length > 1) {
        if (definite.some((d) => d.rel.kind === 'dataset' || d.out?.origin))
          this.out.ambiguous.push({
            start: col.start,
            end: col.end,
            column: this.column(col.name),
            why: `\`${col.name}\` is a column of more than one relation here; qualify it`,
          });
        return;
      }
      if (maybe) return;
    }
  }
}

function isQuery(n: Node): boolean {
  return n.type === 'select_stmt' || n.type === 'compound_select_stmt' || (n.type === 'paren_expr' && isNode(n.expr) && isQuery(n.expr));
}

function listItems(n: Node | undefined): Node[] {
  if (!isNode(n)) return [];
  if (n.type === 'list_expr') return (n.items as unknown[]).filter(isNode);
  return [n];
}

function operatorText(op: unknown): string {
  if (typeof op === 'string') return op.toUpperCase();
  if (Array.isArray(op)) return op.map((k) => operatorText(k)).join(' ');
  if (isNode(op) && typeof op.name === 'string') return op.name.toUpperCase();
  return '';
}

function identPart(id: Node): WrittenPart {
  const text = id.text as string;
  const quote = identifierQuote(text);
  return { name: id.name as string, quoted: quote !== undefined, ...(quote ? { quote } : {}), start: id.range![0], end: id.range![1] };
}

/** The parts of a dotted name (identifiers only), or undefined for anything else. */
export function nameParts(node: Node): WrittenPart[] | undefined {
  if (node.type === 'identifier') return [identPart(node)];
  if (node.type === 'bigquery_quoted_member_expr') {
    const inner = nameParts(node.expr as Node);
    return inner?.map((p) => ({ ...p, quoted: true, quote: '`' as const }));
  }
  if (node.type === 'member_expr' && isNode(node.property) && node.property.type === 'identifier' && isNode(node.object)) {
    const left = nameParts(node.object);
    return left ? [...left, identPart(node.property)] : undefined;
  }
  return undefined;
}

/** Where a bare column item's column name starts (`user_id`, `e.user_id`): its last identifier. */
function columnStart(node: Node): number | undefined {
  const parts = nameParts(node);
  return parts ? parts[parts.length - 1]!.start : undefined;
}

function columnName(node: Node): string | undefined {
  const parts = nameParts(node);
  return parts ? parts[parts.length - 1]!.name : undefined;
}

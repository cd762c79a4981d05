/**
 * `dataset.transform` as one field mapping for every language rule (SQL, Python, …): what becomes of
 * each column a consumer names today. The owner writes the mapping once; each rule reads this.
 *
 * Keys are the names as consumers write them before the migration (the source's names): a rename
 * chain `a → b → c` is `a → c`; a field renamed then dropped is dropped under its old name; a cast
 * applies to the field whatever it is called when the step runs. Nested names (`address.city`) are
 * left out: no rule rewrites nested paths. Pure: no I/O.
 */
import type { CastTarget, TransformStep } from '../data/transform/schema.js';

export interface ColumnMapping {
  /** The column's name before the migration. */
  from: string;
  /** Its name after, when it is renamed (else absent). */
  to?: string;
  /** Dropped by the migration: a read of it breaks. */
  dropped: boolean;
  /** Its new type, when a step casts it. */
  cast?: CastTarget;
  /** The steps that concern it (`dataset.transform[0]`), for findings. */
  steps: string[];
}

export interface FieldMapping {
  /** By the column's name before the migration. */
  columns: Map<string, ColumnMapping>;
  /** Renames alone: old name → new name. */
  renames: Map<string, string>;
  /** Dropped columns (old names). */
  drops: Set<string>;
  /** Casts by old name. */
  casts: Map<string, CastTarget>;
}

export function fieldMapping(steps: readonly TransformStep[], where = 'dataset.transform'): FieldMapping {
  const columns = new Map<string, ColumnMapping>();
  /** current name → the name before the migration */
  const origin = new Map<string, string>();
  const entry = (current: string): ColumnMapping => {
    const from = origin.get(current) ?? current;
    let c = columns.get(from);
    if (!c) {
      c = { from, dropped: false, steps: [] };
      columns.set(from, c);
    }
    return c;
  };
  steps.forEach((step, i) => {
    const label = `${where}[${i}]`;
    if ('rename' in step) {
      const { from, to } = step.rename;
      if (from.includes('.') || to.includes('.')) return;
      const c = entry(from);
      origin.delete(from);
      origin.set(to, c.from);
      c.to = to === c.from ? undefined : to;
      c.steps.push(label);
    } else if ('drop' in step) {
      for (const name of Array.isArray(step.drop) ? step.drop : [step.drop]) {
        if (name.includes('.')) continue;
        const c = entry(name);
        c.dropped = true;
        c.steps.push(label);
        origin.delete(name);
      }
    } else if ('cast' in step) {
      if (step.cast.field.includes('.')) return;
      const c = entry(step.cast.field);
      c.cast = step.cast.to;
      c.steps.push(label);
    }
  });
  const renames = new Map<string, string>();
  const drops = new Set<string>();
  const casts = new Map<string, CastTarget>();
  for (const c of columns.values()) {
    if (c.dropped) drops.add(c.from);
    else {
      if (c.to !== undefined) renames.set(c.from, c.to);
      if (c.cast) casts.set(c.from, c.cast);
    }
  }
  return { columns, renames, drops, casts };
}

/**
 * What the migration does to each field a consumer may read: gone (dropped), renamed, or of another
 * type (cast), from the manifest's transform steps and, when known, the source and target schemas.
 * Keys are the names a consumer's code uses (top-level fields; nested `a.b` steps are not tracked).
 */
import type { AvroRecordSchema } from '../data/transform/avro-schema.js';
import type { TransformStep } from '../data/transform/schema.js';
import { fieldTypes, tsTypeOfCast, tsTypesCompatible } from './schema-types.js';

export type FieldFate =
  | { kind: 'dropped'; step: string }
  | { kind: 'renamed'; to: string; step: string }
  /** `from` is the TypeScript type before, when the source schema tells it. */
  | { kind: 'cast'; to: string; from?: string; step: string }
  | { kind: 'absent' };

export function fieldFates(
  steps: readonly TransformStep[],
  options: { sourceSchema?: AvroRecordSchema; targetSchema?: AvroRecordSchema; where?: string } = {},
): Map<string, FieldFate> {
  const where = options.where ?? 'dataset.transform';
  const fates = new Map<string, FieldFate>();
  /** current name → the name consumer code used before the migration */
  const origin = new Map<string, string>();
  const originOf = (name: string) => origin.get(name) ?? name;
  const sourceTypes = options.sourceSchema ? fieldTypes(options.sourceSchema) : undefined;
  steps.forEach((step, i) => {
    const label = `${where}[${i}]`;
    if ('rename' in step) {
      const { from, to } = step.rename;
      if (from.includes('.') || to.includes('.')) return;
      const o = originOf(from);
      origin.delete(from);
      origin.set(to, o);
      fates.set(o, { kind: 'renamed', to, step: label });
      fates.delete(to);
    } else if ('drop' in step) {
      for (const name of Array.isArray(step.drop) ? step.drop : [step.drop]) {
        if (name.includes('.')) continue;
        const o = originOf(name);
        fates.set(o, { kind: 'dropped', step: label });
        if (o !== name) fates.set(name, { kind: 'dropped', step: label });
      }
    } else if ('cast' in step) {
      const name = step.cast.field;
      if (name.includes('.')) return;
      const to = tsTypeOfCast(step.cast.to);
      const from = sourceTypes?.get(originOf(name));
      if (from !== undefined && tsTypesCompatible(from, to)) return;
      fates.set(name, { kind: 'cast', to, ...(from !== undefined ? { from } : {}), step: label });
    }
  });
  if (options.targetSchema) {
    const target = new Set(options.targetSchema.fields.map((f) => f.name));
    for (const f of options.sourceSchema?.fields ?? [])
      if (!target.has(f.name) && !fates.has(f.name)) fates.set(f.name, { kind: 'absent' });
  }
  return fates;
}

/** Why reading `field` breaks, for a finding. */
export function explainFate(field: string, fate: FieldFate): string {
  switch (fate.kind) {
    case 'dropped':
      return `reads \`${field}\`, which ${fate.step} drops from the dataset`;
    case 'renamed':
      return `reads \`${field}\`, which ${fate.step} renames to \`${fate.to}\`, and no change rule rewrote this read (add a renameField rule or change it by hand)`;
    case 'cast':
      return `reads \`${field}\`${fate.from ? ` (${fate.from})` : ''}, which ${fate.step} turns into ${fate.to}`;
    case 'absent':
      return `reads \`${field}\`, which the target schema does not have`;
  }
}

/**
 * Just enough zod introspection to explain a problem: which keys a mapping allows at a path, and the
 * branches of a "one-key entry" list (`- rename: {...}`, `- replace: {...}`) by their key.
 */
import type { z } from 'zod';

type AnySchema = z.core.$ZodType;

interface Def {
  type: string;
  innerType?: AnySchema;
  in?: AnySchema;
  out?: AnySchema;
  shape?: Record<string, AnySchema>;
  element?: AnySchema;
  options?: readonly AnySchema[];
  getter?: () => AnySchema;
}

function def(schema: AnySchema): Def {
  return schema._zod.def as unknown as Def;
}

/** Through optional, default, nullable, pipes (the side that checks the input) and lazy. */
export function unwrap(schema: AnySchema): AnySchema {
  let current = schema;
  for (let hops = 0; hops < 32; hops++) {
    const d = def(current);
    if (d.innerType) current = d.innerType;
    else if (d.type === 'pipe' && d.in && d.out) current = def(d.in).type === 'transform' ? d.out : d.in;
    else if (d.type === 'lazy' && d.getter) current = d.getter();
    else return current;
  }
  return current;
}

/** The object schemas a value at this schema may be (a union contributes each object branch). */
function objectsOf(schema: AnySchema): AnySchema[] {
  const inner = unwrap(schema);
  const d = def(inner);
  if (d.type === 'object') return [inner];
  if (d.type === 'union' && d.options) return d.options.flatMap(objectsOf);
  return [];
}

/** The schema(s) at `path` below `schema`, following every union branch that has the path. */
export function schemasAt(schema: AnySchema, path: readonly PropertyKey[]): AnySchema[] {
  let current: AnySchema[] = [schema];
  for (const segment of path) {
    const next: AnySchema[] = [];
    for (const s of current) {
      const inner = unwrap(s);
      const d = def(inner);
      if (typeof segment === 'number') {
        if (d.type === 'array' && d.element) next.push(d.element);
        else if (d.type === 'union' && d.options)
          for (const o of d.options) if (def(unwrap(o)).type === 'array') next.push(def(unwrap(o)).element!);
      } else {
        for (const o of objectsOf(inner)) {
          const field = def(o).shape?.[String(segment)];
          if (field) next.push(field);
        }
      }
    }
    current = next;
    if (!current.length) break;
  }
  return current;
}

/** The keys a mapping at `path` allows (union of every object branch there). */
export function allowedKeysAt(schema: AnySchema, path: readonly PropertyKey[]): string[] {
  const keys = new Set<string>();
  for (const s of schemasAt(schema, path)) for (const o of objectsOf(s)) for (const k of Object.keys(def(o).shape ?? {})) keys.add(k);
  return [...keys];
}

/**
 * A list whose entries each name one kind by their single key: each key's value schema. Works for a
 * union of one-key objects (transform steps, discovery sources) and for one object whose every key is
 * an optional kind (change rules).
 */
export function keyedBranches(entrySchema: AnySchema): Map<string, AnySchema> {
  const branches = new Map<string, AnySchema>();
  for (const o of objectsOf(entrySchema)) {
    for (const [key, value] of Object.entries(def(o).shape ?? {})) {
      const d = def(value);
      branches.set(key, d.type === 'optional' && d.innerType ? d.innerType : value);
    }
  }
  return branches;
}

/** The element schema of the array at `path`. */
export function elementSchemaAt(schema: AnySchema, path: readonly PropertyKey[]): AnySchema | undefined {
  for (const s of schemasAt(schema, path)) {
    const d = def(unwrap(s));
    if (d.type === 'array' && d.element) return d.element;
  }
  return undefined;
}

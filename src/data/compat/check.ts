/**
 * Schema compatibility between an old and a new Avro schema, in the registry's terms:
 * BACKWARD (the new schema reads data written with the old), FORWARD (the old schema reads data
 * written with the new), FULL (both), NONE (neither). Impact analysis imports `checkCompatibility`.
 */
import avro from 'avsc';
import { InputError } from '../../util/errors.js';
import type { AvroSchema } from '../transform/avro-schema.js';
import { SchemaSide, resolutionProblems, type Incompatibility } from './resolve.js';

export type CompatibilityVerdict = 'FULL' | 'BACKWARD' | 'FORWARD' | 'NONE';

export interface CompatibilityReport {
  verdict: CompatibilityVerdict;
  /** The new schema reads old data; the problems when it cannot. */
  backward: { compatible: boolean; incompatibilities: Incompatibility[] };
  /** The old schema reads new data; the problems when it cannot. */
  forward: { compatible: boolean; incompatibilities: Incompatibility[] };
}

export function checkCompatibility(oldSchema: AvroSchema, newSchema: AvroSchema): CompatibilityReport {
  const oldSide = side(oldSchema, 'old');
  const newSide = side(newSchema, 'new');
  const backward = resolutionProblems(newSide, oldSide);
  const forward = resolutionProblems(oldSide, newSide);
  const b = backward.length === 0;
  const f = forward.length === 0;
  return {
    verdict: b && f ? 'FULL' : b ? 'BACKWARD' : f ? 'FORWARD' : 'NONE',
    backward: { compatible: b, incompatibilities: backward },
    forward: { compatible: f, incompatibilities: forward },
  };
}

/** Does the verdict satisfy a required level? (FULL satisfies all; NONE only `none`.) */
export function satisfies(verdict: CompatibilityVerdict, required: 'backward' | 'forward' | 'full' | 'none'): boolean {
  switch (required) {
    case 'none':
      return true;
    case 'full':
      return verdict === 'FULL';
    case 'backward':
      return verdict === 'FULL' || verdict === 'BACKWARD';
    case 'forward':
      return verdict === 'FULL' || verdict === 'FORWARD';
  }
}

function side(schema: AvroSchema, which: string): SchemaSide {
  try {
    avro.Type.forSchema(schema as avro.Schema); // refuses what Avro refuses: unknown names, bad fields, bad defaults …
    return new SchemaSide(schema);
  } catch (err) {
    throw new InputError(`the ${which} schema is not a valid Avro schema: ${(err as Error).message}`);
  }
}

import { z } from 'zod';

/**
 * The manifest's `dataset.transform` steps: one schema per step kind. The same steps are applied to
 * the Avro schema and to every record (src/data/transform).
 */
const fieldName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/, 'a field name (letters, digits, _; nested fields joined by .)');

export const castTargetSchema = z.strictObject({
  type: z.enum(['int', 'long', 'float', 'double', 'string', 'boolean', 'decimal', 'enum', 'date', 'timestamp-millis', 'timestamp-micros']),
  precision: z.number().int().min(1).max(38).optional(),
  scale: z.number().int().min(0).max(38).optional(),
  symbols: z.array(z.string()).min(1).optional(),
  /** The enum type's name (an Avro named type); default: the field's name in PascalCase. */
  name: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an Avro name (letters, digits, _)')
    .optional(),
  /** Allow a cast that loses digits: a decimal rescale (rounded half-even), a finer timestamp to a coarser one (floor). Off by default: a lossy cast fails. */
  round: z.boolean().optional(),
});

export const transformStepSchema = z.union([
  z.strictObject({ rename: z.strictObject({ from: fieldName, to: fieldName }) }),
  z.strictObject({ cast: z.strictObject({ field: fieldName, to: castTargetSchema }) }),
  z.strictObject({ drop: z.union([fieldName, z.array(fieldName).min(1)]) }),
  z.strictObject({ default: z.strictObject({ field: fieldName, value: z.union([z.string(), z.number(), z.boolean(), z.null()]) }) }),
]);

export type TransformStep = z.infer<typeof transformStepSchema>;
export type CastTarget = z.infer<typeof castTargetSchema>;

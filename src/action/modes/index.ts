/**
 * The Action's modes, one file each: the `mode` input picks one. Each is loaded only when picked, so
 * that the bundle's chunks for the others (the TypeScript compiler for codemod and reconcile) are
 * not parsed by a convert or verify step.
 */
import type { ModeRun } from '../io.js';

export const MODES: Readonly<Record<string, ModeRun>> = {
  convert: async (io) => (await import('./convert.js')).convertMode(io),
  verify: async (io) => (await import('./verify.js')).verifyMode(io),
  validate: async (io) => (await import('./validate.js')).validateMode(io),
  reconcile: async (io) => (await import('./reconcile.js')).reconcileMode(io),
  codemod: async (io) => (await import('./codemod.js')).codemodMode(io),
};

import { FleetwaveError } from '../util/errors.js';

/**
 * A change rule could not run for one repository (a custom codemod threw, timed out or ran out of
 * memory). The target fails with this message; no edit of the run is kept.
 */
export class CodemodError extends FleetwaveError {
  readonly kind = 'data' as const;
  constructor(
    message: string,
    readonly rule: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

import { LoaError } from "../errors.ts";

/**
 * A staff-side request that cannot be done: an unknown account, a name already taken, an action outside
 * her role or area. `code` starts with `staff:`; the HTTP layer maps it to a status.
 */
export class StaffError extends LoaError {
  constructor(message: string, code: `staff:${string}`, context: Record<string, unknown> = {}) {
    super(message, code, { context });
  }
}

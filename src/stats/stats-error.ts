import { LoaError } from "../errors.ts";

/**
 * A statistics request or record that cannot be served: an unknown period name, a query without the place it
 * needs, an aggregate write the database refused. Codes start with `stats:`; context holds keys and codes,
 * never a pseudonym or message text.
 */
export class StatsError extends LoaError {
  constructor(message: string, code: `stats:${string}`, options: { cause?: unknown; context?: Record<string, unknown> } = {}) {
    super(message, code, options);
  }
}

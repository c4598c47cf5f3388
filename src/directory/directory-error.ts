import { LoaError } from "../errors.ts";

/**
 * A help directory problem outside the content files: a stored entry that no longer parses, or a staff
 * import that cannot be used. Codes start with `directory:`; context names the entry or the file.
 */
export class DirectoryError extends LoaError {
  constructor(message: string, code: `directory:${string}`, options: { cause?: unknown; context?: Record<string, unknown> } = {}) {
    super(message, code, options);
  }
}

import { LoaError } from "../errors.ts";

/**
 * A content, flow-adjacent or directory data file that cannot be used. The context names the file
 * and, where known, the key, entry or field, so an editor can fix the file without reading code.
 */
export class ContentError extends LoaError {
  constructor(
    message: string,
    code: `content:${string}`,
    options: { cause?: unknown; context?: Record<string, unknown> } = {},
  ) {
    super(message, code, options);
  }
}

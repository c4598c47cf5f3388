import { inspect } from "node:util";
import { loggableError } from "../../../src/logger.ts";

/** Every way an error can end up in a log line or a crash report: for checking that none shows a secret. */
export function renderingsOf(error: unknown): string[] {
  const own = error instanceof Error ? { ...error } : {};
  return [
    String(error),
    error instanceof Error ? error.stack ?? "" : "",
    JSON.stringify(own),
    JSON.stringify(loggableError(error)),
    inspect(error, { depth: Infinity, showHidden: true }),
  ];
}

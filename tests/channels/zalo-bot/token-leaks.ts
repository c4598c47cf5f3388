import { inspect } from "node:util";

/**
 * Everything an error could show anywhere: its string form, stack, JSON, a deep inspection with hidden
 * properties, and the same for every `cause` down the chain. Tests assert that no secret is in it.
 */
export function everythingShownBy(error: unknown): string {
  const shown: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 10; depth += 1) {
    shown.push(String(current), inspect(current, { depth: 20, showHidden: true }), JSON.stringify(current) ?? "");
    if (current instanceof Error) {
      shown.push(current.message, current.stack ?? "");
      current = current.cause;
    } else {
      current = undefined;
    }
  }
  return shown.join("\n");
}

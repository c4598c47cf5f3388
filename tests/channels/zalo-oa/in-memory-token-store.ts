import type { ZaloOaTokens, ZaloOaTokenStore } from "../../../src/channels/zalo-oa/zalo-oa-tokens.ts";

/**
 * A token store in memory, for tests. Production needs a durable store: the refresh token rotates on every
 * refresh, so a pair lost on restart means an OA admin must consent again. `log` receives "save <refresh token>"
 * lines so a test can check a pair was saved before it was used; `failSaves` makes the next saves throw.
 */
export function createInMemoryTokenStore(initial: ZaloOaTokens | null = null, log: string[] = []) {
  let stored = initial;
  let failures = 0;
  const store: ZaloOaTokenStore = {
    async load() {
      return stored === null ? null : { ...stored };
    },
    async save(tokens) {
      if (failures > 0) {
        failures -= 1;
        throw new Error("token store unavailable");
      }
      log.push(`save ${tokens.refreshToken}`);
      stored = { ...tokens };
    },
  };
  return {
    store,
    log,
    current: () => stored,
    /** Replaces the stored pair behind the adapter's back, as another process sharing the store would. */
    replace(tokens: ZaloOaTokens) {
      stored = { ...tokens };
    },
    failSaves(count = 1) {
      failures += count;
    },
  };
}

import { z } from "zod";
import { LoaError } from "../../errors.ts";
import type { CredentialStore } from "../../store/credential-store.ts";
import type { ZaloOaTokenStore } from "./zalo-oa-tokens.ts";

/** The credential row holding an app's OA token pair. */
export function zaloOaCredentialKey(appId: string): string {
  return `zalo-oa:tokens:${appId}`;
}

const storedTokensSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  expiresAt: z.iso.datetime(),
});

/**
 * The OA token pair kept in the database's credential table as JSON, so every process and every restart
 * uses the newest pair. A row that is not a pair stops the channel with an error rather than being replaced
 * by the configured refresh token, which has most likely been spent already.
 */
export function createZaloOaTokenStore(credentials: CredentialStore, appId: string): ZaloOaTokenStore {
  const key = zaloOaCredentialKey(appId);
  return {
    async load() {
      const value = await credentials.load(key);
      if (value === null) return null;
      const parsed = storedTokensSchema.safeParse(parseJson(value));
      if (!parsed.success) throw new LoaError("The stored Zalo OA token pair is unreadable", "zalo-oa:token-store-invalid", { context: { key } });
      return { accessToken: parsed.data.accessToken, refreshToken: parsed.data.refreshToken, expiresAt: new Date(parsed.data.expiresAt) };
    },
    async save(tokens) {
      await credentials.save(key, JSON.stringify({ ...tokens, expiresAt: tokens.expiresAt.toISOString() }));
    },
  };
}

function parseJson(value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

import { z } from "zod";
import { LoaError } from "../../errors.ts";
import { loggableError, type Logger } from "../../logger.ts";
import type { ZaloOaHttp } from "./zalo-oa-http.ts";

/** The OA's OAuth v4 pair and when its access token expires. */
export type ZaloOaTokens = { accessToken: string; refreshToken: string; expiresAt: Date };

/**
 * Where the current pair is kept across restarts. Zalo's refresh token is single-use: every refresh returns
 * a new one and invalidates the old, so a pair that is not saved is lost and an OA admin must consent again
 * in a browser. `save` must be durable when it resolves; the pair is used only after it does.
 */
export interface ZaloOaTokenStore {
  load(): Promise<ZaloOaTokens | null>;
  save(tokens: ZaloOaTokens): Promise<void>;
}

/** Access tokens for the sender: the current one, and a fresh one when Zalo rejected the one it was given. */
export interface ZaloOaTokenSource {
  /** An access token valid now; refreshes first when the current one is due. */
  accessToken(): Promise<string>;
  /**
   * Called after Zalo answered -216/-220 for `rejected`. Refreshes unless someone already replaced that
   * token, so senders that were all rejected together cause one refresh between them.
   */
  replaceRejected(rejected: string): Promise<string>;
}

/** A refresh that failed: Zalo said no (`refused`), or did not answer. Never carries a token or the app secret. */
export class ZaloOaTokenError extends LoaError {
  constructor(
    message: string,
    readonly refused: boolean,
    options: { zaloError?: number; status?: number; cause?: unknown } = {},
  ) {
    super(message, "zalo-oa:token-refresh-failed", {
      cause: options.cause,
      context: { zaloError: options.zaloError, status: options.status },
    });
  }
}

/** The documented lifetime of an access token (25 h, `expires_in` 90000); used for pairs loaded from the store. */
const documentedLifetimeMs = 25 * 60 * 60 * 1000;

/** Refresh when a fifth of the lifetime is left (about 20 h into 25 h, as the platform notes advise). */
const refreshWhenLeftFraction = 0.2;

/**
 * After a failed refresh, Zalo's OAuth endpoint is not called again for this long: sends fail at once with
 * the same error (or, during an early refresh, keep using the still-valid token) instead of hammering it.
 */
const retryFailedRefreshMs = 60_000;

/** A token this close to expiry is not used: a request sent with it might arrive after it expired. */
const expirySafetyMs = 30_000;

const refreshResponseSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  // Documented as a string of seconds ("90000"); a number is accepted too.
  expires_in: z.union([z.string().regex(/^\d{1,9}$/).transform(Number), z.number().int().nonnegative()]),
});

const oauthErrorSchema = z.object({ error: z.number().int() });

/**
 * What the token source needs. `initialRefreshToken` (from configuration) is used while the store is empty,
 * and once more if Zalo refuses the stored refresh token (an admin consented again and configured the new one).
 */
export type ZaloOaTokenSourceOptions = {
  oauthRoot: string;
  appId: string;
  appSecret: string;
  store: ZaloOaTokenStore;
  initialRefreshToken: string;
  http: ZaloOaHttp;
  now: () => Date;
  logger?: Logger;
};

/**
 * Keeps the OA's access token fresh. Refreshes are single-flight: concurrent callers share one request to
 * Zalo's OAuth endpoint. A refreshed pair is saved to the store BEFORE its access token is handed out or its
 * refresh token used; if saving fails, the pair is held and saved again before any later use.
 *
 * Before refreshing, the store is read again: another process sharing it may already have refreshed, and its
 * pair is adopted rather than spending the (single-use) refresh token this process holds. Two processes can
 * still refresh at the same instant; run one sending process per OA, or serialise `save` across processes.
 */
export function createZaloOaTokenSource(options: ZaloOaTokenSourceOptions): ZaloOaTokenSource {
  let current: { tokens: ZaloOaTokens; refreshAt: number } | null = null;
  let unsaved: { tokens: ZaloOaTokens; refreshAt: number } | null = null;
  let inFlight: Promise<string> | null = null;
  let nextEarlyRefreshAt = 0;
  let configuredTokenTried = false;
  let lastOauthFailure: { error: unknown; until: number } | null = null;

  const now = () => options.now().getTime();
  const usable = (tokens: ZaloOaTokens) => tokens.expiresAt.getTime() - expirySafetyMs > now();
  const fromStore = (tokens: ZaloOaTokens) => ({ tokens, refreshAt: tokens.expiresAt.getTime() - documentedLifetimeMs * refreshWhenLeftFraction });

  async function adopt(next: { tokens: ZaloOaTokens; refreshAt: number }, needsSave: boolean): Promise<string> {
    if (needsSave) {
      unsaved = next;
      await options.store.save(next.tokens);
      unsaved = null;
    }
    current = next;
    return next.tokens.accessToken;
  }

  async function callOauth(refreshToken: string): Promise<{ tokens: ZaloOaTokens; refreshAt: number }> {
    const issuedAt = now();
    const body = new URLSearchParams({ refresh_token: refreshToken, app_id: options.appId, grant_type: "refresh_token" });
    const url = `${options.oauthRoot.replace(/\/+$/, "")}/v4/oa/access_token`;
    let response;
    try {
      response = await options.http.post(url, body.toString(), {
        secret_key: options.appSecret,
        "Content-Type": "application/x-www-form-urlencoded",
      });
    } catch (error) {
      throw new ZaloOaTokenError("Zalo OAuth did not answer the token refresh", false, { cause: error });
    }
    const parsed = refreshResponseSchema.safeParse(response.body);
    if (response.status !== 200 || !parsed.success) {
      const zaloError = oauthErrorSchema.safeParse(response.body);
      throw new ZaloOaTokenError("Zalo OAuth refused the token refresh; if it keeps failing, an OA admin must consent again", true, {
        status: response.status,
        ...(zaloError.success ? { zaloError: zaloError.data.error } : {}),
      });
    }
    const lifetimeMs = parsed.data.expires_in * 1000;
    return {
      tokens: { accessToken: parsed.data.access_token, refreshToken: parsed.data.refresh_token, expiresAt: new Date(issuedAt + lifetimeMs) },
      refreshAt: issuedAt + lifetimeMs * (1 - refreshWhenLeftFraction),
    };
  }

  /** One refresh: save a held pair, adopt a newer stored pair, or spend the refresh token. */
  async function refresh(rejected: string | undefined): Promise<string> {
    if (unsaved !== null) {
      const held = unsaved;
      if (held.tokens.accessToken !== rejected && usable(held.tokens)) return adopt(held, true);
      // A held pair whose access token is spent still has the only valid refresh token: save it before using it.
      await adopt(held, true);
    }
    const stored = await options.store.load();
    const known = current?.tokens;
    const storedIsOther = stored !== null && (known === undefined || stored.refreshToken !== known.refreshToken);
    if (stored !== null && storedIsOther && stored.accessToken !== rejected && usable(stored)) {
      const candidate = fromStore(stored);
      if (rejected !== undefined || candidate.refreshAt > now()) return adopt(candidate, false);
    }
    if (lastOauthFailure !== null && lastOauthFailure.until > now()) throw lastOauthFailure.error;
    const refreshToken = stored?.refreshToken ?? known?.refreshToken ?? options.initialRefreshToken;
    let refreshed;
    try {
      refreshed = await callOauthOrConfigured(refreshToken);
      lastOauthFailure = null;
    } catch (error) {
      lastOauthFailure = { error, until: now() + retryFailedRefreshMs };
      throw error;
    }
    return adopt(refreshed, true);
  }

  async function callOauthOrConfigured(refreshToken: string) {
    try {
      return await callOauth(refreshToken);
    } catch (error) {
      // After an admin consents again, the new refresh token is put in configuration while the store still
      // holds the dead one: when Zalo refuses the stored token, the configured one is tried, once per process.
      const refused = error instanceof ZaloOaTokenError && error.refused;
      if (!refused || configuredTokenTried || refreshToken === options.initialRefreshToken) throw error;
      configuredTokenTried = true;
      return callOauth(options.initialRefreshToken);
    }
  }

  function singleFlight(rejected: string | undefined): Promise<string> {
    inFlight ??= refresh(rejected).finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  return {
    async accessToken() {
      const held = current;
      const due = held === null || unsaved !== null || (held.refreshAt <= now() && nextEarlyRefreshAt <= now()) || !usable(held.tokens);
      if (inFlight === null && held !== null && !due) return held.tokens.accessToken;
      try {
        return await singleFlight(undefined);
      } catch (error) {
        // An early refresh failed while the token still works: use it, say so, and try again a minute later.
        const still = current;
        if (still === null || !usable(still.tokens)) throw error;
        nextEarlyRefreshAt = now() + retryFailedRefreshMs;
        options.logger?.warn({ error: loggableError(error) }, "Zalo OA token refresh failed; the current token is still valid");
        return still.tokens.accessToken;
      }
    },
    async replaceRejected(rejected) {
      if (inFlight !== null) {
        const next = await inFlight;
        if (next !== rejected) return next;
      }
      const held = current;
      if (held !== null && held.tokens.accessToken !== rejected && usable(held.tokens)) return held.tokens.accessToken;
      return singleFlight(rejected);
    },
  };
}

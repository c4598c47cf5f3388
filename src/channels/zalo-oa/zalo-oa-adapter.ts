import { z } from "zod";
import type { Logger } from "../../logger.ts";
import type { ChannelAdapter } from "../channel-adapter.ts";
import type { ChannelAddress, OutboundMessage } from "../outbound-message.ts";
import { logSkippedMedia } from "../skipped-media.ts";
import { createZaloOaHttp, type ZaloOaHttp } from "./zalo-oa-http.ts";
import { renderZaloOaMedia, renderZaloOaMessage, zaloOaMaxButtons, zaloOaMaxTextLength, type ZaloOaCsMessage } from "./zalo-oa-render.ts";
import { windowClosedCode, zaloOaChannel, ZaloOaSendError, secondsToNextMinute, zaloOaSendError } from "./zalo-oa-send-error.ts";
import { createZaloOaTokenSource, type ZaloOaTokenStore } from "./zalo-oa-tokens.ts";

/** Days after her last interaction during which the OA may still send her consultation messages. */
export const zaloOaWindowDays = 7;

/** In-process memory of partly sent messages, so a retry does not repeat the parts already delivered. */
const maxRememberedPartialSends = 1000;

/** Zalo's answer to `message/cs`: `error` 0 and a message id, or an error number (always with HTTP 200). */
const csResponseSchema = z.object({
  error: z.union([z.number().int(), z.string().regex(/^-?\d+$/).transform(Number)]),
  data: z.object({ message_id: z.string().optional() }).optional().catch(undefined),
});

/** Zalo's answers meaning "this access token is not (or no longer) valid": refresh once and retry once. */
const tokenRejected = new Set([-216, -220]);

/** What the Zalo OA channel needs; the URLs are roots so tests can point them at a local fake. */
export type ZaloOaAdapterOptions = {
  /** `https://openapi.zalo.me` in production. */
  apiRoot: string;
  /** `https://oauth.zaloapp.com` in production. */
  oauthRoot: string;
  appId: string;
  /** The app's Secret Key, sent as the `secret_key` header of token refreshes; never logged or put in errors. */
  appSecret: string;
  /** Where the rotating token pair is kept, and the refresh token from configuration for an empty store. */
  tokens: { store: ZaloOaTokenStore; initialRefreshToken: string };
  now: () => Date;
  /**
   * When she last interacted with the OA (wrote, tapped a button, followed), or null when unknown. With it,
   * a send past the 7-day window is refused here instead of spending a call on Zalo's -230.
   */
  lastInboundAt?: (channelUserId: string) => Promise<Date | null>;
  /**
   * Warns when an early token refresh fails while the current token still works, and says at info which
   * pictures or voice notes were skipped and why (never their URL).
   */
  logger?: Logger;
  /** Per-request timeout; the default suits production. */
  timeoutMs?: number;
};

/**
 * The Zalo Official Account channel: consultation ("tư vấn") messages through Open API v3 with OAuth v4 tokens.
 *
 * Zalo's window rules: a consultation message is free within 48 hours of her last interaction, billable from
 * 48 hours to 7 days, and refused (-230) after 7 days. Loa only replies to what she writes, so replies fall in
 * the free 48 hours; anything later (a reminder, a campaign) is billable, and past 7 days it is refused here
 * with `channel:window_closed` when `lastInboundAt` is given. Zalo does not deduplicate sends, so a crash in
 * the instant after a successful send can repeat that message once.
 *
 * A message's pictures go first, each a consultation message of its own (jpg or png up to 1 MB), then its
 * text; voice notes and other pictures are skipped and logged. A message that failed part-way is resumed, in
 * this process, after its last delivered part, pictures included.
 */
export function createZaloOaAdapter(options: ZaloOaAdapterOptions): ChannelAdapter {
  const http: ZaloOaHttp = createZaloOaHttp(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs });
  const tokens = createZaloOaTokenSource({
    oauthRoot: options.oauthRoot,
    appId: options.appId,
    appSecret: options.appSecret,
    store: options.tokens.store,
    initialRefreshToken: options.tokens.initialRefreshToken,
    http,
    now: options.now,
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  const sendUrl = `${options.apiRoot.replace(/\/+$/, "")}/v3.0/oa/message/cs`;
  const partsDelivered = new Map<string, number>();

  async function post(userId: string, message: ZaloOaCsMessage, accessToken: string) {
    const body = JSON.stringify({ recipient: { user_id: userId }, message });
    let response;
    try {
      response = await http.post(sendUrl, body, { access_token: accessToken, "Content-Type": "application/json" });
    } catch (error) {
      throw new ZaloOaSendError("Zalo OA did not answer the send", "transient", { cause: error });
    }
    if (response.status === 429) {
      throw new ZaloOaSendError("Zalo OA answered HTTP 429", "rate_limited", { status: 429, retryAfterSeconds: secondsToNextMinute(options.now()) });
    }
    if (response.status !== 200) {
      const kind = response.status >= 500 || response.status === 408 ? "transient" : "permanent";
      throw new ZaloOaSendError(`Zalo OA answered HTTP ${response.status}`, kind, { status: response.status });
    }
    const parsed = csResponseSchema.safeParse(response.body);
    if (!parsed.success) throw new ZaloOaSendError("Zalo OA answered with an unreadable body", "transient", { status: 200 });
    return { error: parsed.data.error, messageId: parsed.data.data?.message_id };
  }

  /** Sends one part; a rejected token is refreshed once and the part sent once more. */
  async function sendPart(userId: string, message: ZaloOaCsMessage): Promise<string | undefined> {
    let accessToken = await tokenOrFail(() => tokens.accessToken());
    let result = await post(userId, message, accessToken);
    if (tokenRejected.has(result.error)) {
      accessToken = await tokenOrFail(() => tokens.replaceRejected(accessToken));
      result = await post(userId, message, accessToken);
      if (tokenRejected.has(result.error)) {
        throw new ZaloOaSendError(`Zalo OA rejected a freshly refreshed access token: error ${result.error}`, "transient", { zaloError: result.error });
      }
    }
    if (result.error !== 0) throw zaloOaSendError(result.error, options.now());
    return result.messageId;
  }

  async function checkWindow(userId: string): Promise<void> {
    if (options.lastInboundAt === undefined) return;
    const last = await options.lastInboundAt(userId);
    if (last === null) return;
    if (options.now().getTime() - last.getTime() > zaloOaWindowDays * 24 * 60 * 60 * 1000) {
      throw new ZaloOaSendError(`She has not interacted with the OA for more than ${zaloOaWindowDays} days`, "permanent", { code: windowClosedCode });
    }
  }

  return {
    channel: zaloOaChannel,
    capabilities: { maxTextLength: zaloOaMaxTextLength, maxButtons: zaloOaMaxButtons },
    async send(to: ChannelAddress, message: OutboundMessage, { idempotencyKey }) {
      await checkWindow(to.channelUserId);
      const media = renderZaloOaMedia(message);
      logSkippedMedia(options.logger, zaloOaChannel, message, media.skipped);
      const parts: ZaloOaCsMessage[] = [...media.sends, ...renderZaloOaMessage(message)];
      const key = `${to.channelUserId}\u0000${idempotencyKey}`;
      let next = Math.min(partsDelivered.get(key) ?? 0, parts.length - 1);
      let lastId: string | undefined;
      try {
        for (; next < parts.length; next += 1) {
          const part = parts[next];
          if (part !== undefined) lastId = await sendPart(to.channelUserId, part);
        }
      } catch (error) {
        remember(partsDelivered, key, next);
        throw error;
      }
      partsDelivered.delete(key);
      return lastId === undefined ? {} : { externalMessageId: lastId };
    },
  };
}

/** A token that could not be had is a transient send failure; the token error (no secrets) is its cause. */
async function tokenOrFail(get: () => Promise<string>): Promise<string> {
  try {
    return await get();
  } catch (error) {
    throw new ZaloOaSendError("No Zalo OA access token: the refresh failed", "transient", { cause: error });
  }
}

/** Records that the first `delivered` parts of a message went out; bounded, oldest forgotten first. */
function remember(partsDelivered: Map<string, number>, key: string, delivered: number): void {
  partsDelivered.delete(key);
  if (delivered === 0) return;
  partsDelivered.set(key, delivered);
  const oldest = partsDelivered.keys().next();
  if (partsDelivered.size > maxRememberedPartialSends && !oldest.done) partsDelivered.delete(oldest.value);
}

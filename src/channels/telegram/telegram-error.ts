import { GrammyError, HttpError } from "grammy";
import { ChannelSendError } from "../channel-adapter.ts";

/** Telegram's descriptions for a person who blocked the bot or deleted her account (Bot API server source). */
const blockedDescriptions = ["bot was blocked by the user", "user is deactivated"];

/**
 * Turns a failed Bot API call into a `ChannelSendError` the dispatcher understands: 429 → `rate_limited`
 * with Telegram's `retry_after`, for the whole channel (Telegram does not say whether a flood limit is per
 * chat or per bot, and ignoring one risks a ban, so every send waits it out); 403 blocked or deactivated →
 * `blocked` (the contact is stopped); 401 (a revoked or wrong token: the operator's problem, not the message's)
 * and 5xx and network failures → `transient`; other 4xx → `permanent`. Anything that is not a grammY error (a bug) gives
 * undefined and is rethrown unchanged.
 *
 * grammY's error is deliberately NOT kept as the cause: a `GrammyError` carries the call's payload (the
 * message text and chat id), and an `HttpError` wraps the fetch error, whose message holds the request URL
 * and so the bot token. The new error keeps what diagnosis needs: method, status, Telegram's description,
 * and the network error's code.
 */
export function classifyTelegramError(error: unknown, method: string): ChannelSendError | undefined {
  const channel = "telegram";
  if (error instanceof GrammyError) {
    const status = error.error_code;
    const message = `Telegram ${method} failed: ${status} ${error.description.slice(0, 200)}`;
    if (status === 429) {
      const retryAfter = error.parameters.retry_after;
      return new ChannelSendError(message, "rate_limited", {
        channel,
        status,
        scope: "channel",
        ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter }),
      });
    }
    const description = error.description.toLowerCase();
    if (status === 403 && blockedDescriptions.some((blocked) => description.includes(blocked))) {
      return new ChannelSendError(message, "blocked", { channel, status });
    }
    const permanent = status >= 400 && status < 500 && status !== 401;
    return new ChannelSendError(message, permanent ? "permanent" : "transient", { channel, status });
  }
  if (error instanceof HttpError) {
    return new ChannelSendError(`Telegram ${method} failed: network error (${networkReason(error.error)})`, "transient", { channel });
  }
  return undefined;
}

/** A short, token-free reason: the system error code (ECONNREFUSED), a timeout, or the error's class. */
function networkReason(inner: unknown): string {
  if (!(inner instanceof Error)) return "unknown";
  if ("code" in inner && typeof inner.code === "string" && /^[A-Z0-9_]{1,40}$/.test(inner.code)) return inner.code;
  if (/timed out/i.test(inner.message)) return "timeout";
  return /^[A-Za-z]{1,40}$/.test(inner.name) ? inner.name : "unknown";
}

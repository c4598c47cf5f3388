import { ChannelSendError } from "../channel-adapter.ts";
import { zaloBotChannel } from "./zalo-bot-api.ts";

/**
 * Code of a send refused with Zalo's 429 "Quota exceeded": the bot's monthly message quota (3,000 on the free
 * plan) is used up and nothing more goes out until it resets or the plan changes. The dispatcher logs this
 * code and stores it as the outbox row's `lastError`, so an operator alert can match on it.
 */
export const zaloBotQuotaExhaustedCode = "channel:quota_exhausted";

/** Code of a send refused with Zalo's 401: the token was reset or is wrong, so an operator must set the new one. */
export const zaloBotUnauthorizedCode = "channel:unauthorized";

/**
 * How long a message waits after the monthly quota ran out before it is tried again. The reset date is not
 * documented; the whole channel pauses, and an hourly try costs one refused call and resumes sending within
 * the hour once the quota is back (or the plan is upgraded).
 */
export const zaloBotQuotaRetryAfterSeconds = 60 * 60;

/**
 * The monthly quota is exhausted. A channel-wide rate limit to the dispatcher (every Zalo Bot send waits, no
 * attempts are used up), with its own code so it is not mistaken for a short per-second limit.
 */
export class ZaloBotQuotaExhaustedError extends ChannelSendError {
  override readonly code = zaloBotQuotaExhaustedCode;

  constructor(message: string, options: { status: number }) {
    super(message, "rate_limited", {
      channel: zaloBotChannel,
      status: options.status,
      retryAfterSeconds: zaloBotQuotaRetryAfterSeconds,
      scope: "channel",
    });
  }
}

/**
 * The token is not accepted. Transient to the dispatcher (nothing is wrong with the message or the person, so
 * it is retried with backoff), with its own code so an operator is alerted to reset the token.
 */
export class ZaloBotUnauthorizedError extends ChannelSendError {
  override readonly code = zaloBotUnauthorizedCode;

  constructor(message: string, options: { status: number }) {
    super(message, "transient", { channel: zaloBotChannel, status: options.status });
  }
}

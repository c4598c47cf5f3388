import { createHash, timingSafeEqual } from "node:crypto";
import { ConfigError } from "../../errors.ts";
import type { ChannelWebhook, WebhookRequest } from "../channel-webhook.ts";
import { telegramChannel } from "./telegram-adapter.ts";
import { parseTelegramUpdate } from "./telegram-update.ts";

/** The header in which Telegram repeats the `secret_token` given to `setWebhook`. */
export const telegramSecretHeader = "x-telegram-bot-api-secret-token";

/** What `setWebhook` accepts as `secret_token`: 1–256 of A–Z, a–z, 0–9, `_` and `-`. */
const secretTokenPattern = /^[A-Za-z0-9_-]{1,256}$/;

/**
 * Telegram's inbound half: `POST /webhooks/telegram`. `verify` checks the secret token Telegram sends with
 * every request (set with `setWebhook`); `parse` is `parseTelegramUpdate`, shared with long polling.
 * A secret Telegram would refuse is a configuration error, raised here at start-up (without the secret).
 */
export function createTelegramWebhook(options: { secretToken: string }): ChannelWebhook {
  if (!secretTokenPattern.test(options.secretToken)) {
    throw new ConfigError("The Telegram webhook secret must be 1-256 characters of A-Z, a-z, 0-9, _ and -", { channel: telegramChannel });
  }
  const expected = digest(options.secretToken);
  return {
    channel: telegramChannel,
    route: "telegram",
    verify(request: WebhookRequest): boolean {
      const received = request.headers[telegramSecretHeader];
      if (typeof received !== "string") return false;
      return timingSafeEqual(digest(received), expected);
    },
    parse: parseTelegramUpdate,
  };
}

/**
 * Both sides are hashed first, so the buffers compared are always 32 bytes: `timingSafeEqual` needs equal
 * lengths, and the time taken tells nothing about the secret's length or any prefix of it.
 */
function digest(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}

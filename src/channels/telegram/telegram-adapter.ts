import { Api } from "grammy";
import type { ChannelAdapter } from "../channel-adapter.ts";
import { classifyTelegramError } from "./telegram-error.ts";
import { renderTelegramMessage, telegramLimits } from "./telegram-rendering.ts";

/** Telegram's channel name in the inbox, the outbox and contacts. */
export const telegramChannel = "telegram";

/** How to reach the Bot API. `apiRoot` is Telegram's unless a local Bot API server or a test fake is used. */
export type TelegramAdapterOptions = {
  token: string;
  apiRoot?: string;
  /**
   * Longest wait for one API call. Kept well under the dispatcher's 30 s lease: a call still hanging when
   * the lease ends could be sent a second time by another dispatcher.
   */
  timeoutSeconds?: number;
};

/** The Telegram channel: the send contract, plus acknowledging a pressed button. */
export type TelegramAdapter = ChannelAdapter & {
  /**
   * Answers a callback query so the pressed button stops spinning in the person's app. Rejects with a
   * token-free `ChannelSendError` (an expired query gives 400); callers log that and carry on.
   */
  acknowledge(callbackQueryId: string): Promise<void>;
};

/** Multi-part messages whose later parts failed, remembered so a retry sends only what is missing. */
const maxRememberedPartialSends = 1000;

/**
 * Sends Loa's messages through grammY's Bot API client. Long text goes as several messages, the menu's
 * inline keyboard on the last; the last part's `message_id` is the receipt.
 *
 * It does NOT retry inside `send` (no auto-retry plugin): the outbox dispatcher owns retries and records
 * each one in the database, so a 429's `retry_after` or a 5xx backoff survives a restart, spreads over other
 * conversations instead of holding a dispatcher slot, and cannot outlast the row's lease and be resent by
 * another process. Every failure becomes a `ChannelSendError` whose kind tells the dispatcher what to do.
 *
 * Telegram cannot deduplicate on the idempotency key, so a crash after a successful send resends the message
 * (the contract's `deliversOnce: false`). What the adapter can do, it does: when part 2 of 3 fails, it
 * remembers in memory that part 1 was delivered, and the dispatcher's retry with the same key continues
 * from part 2 instead of repeating part 1.
 */
export function createTelegramAdapter(options: TelegramAdapterOptions): TelegramAdapter {
  const api = new Api(options.token, {
    ...(options.apiRoot === undefined ? {} : { apiRoot: options.apiRoot.replace(/\/+$/, "") }),
    timeoutSeconds: options.timeoutSeconds ?? 20,
  });
  const partialSends = new Map<string, { parts: number; delivered: number; lastMessageId: string }>();

  function rememberPartialSend(key: string, progress: { parts: number; delivered: number; lastMessageId: string }): void {
    partialSends.delete(key);
    partialSends.set(key, progress);
    const oldest = partialSends.keys().next();
    if (partialSends.size > maxRememberedPartialSends && !oldest.done) partialSends.delete(oldest.value);
  }

  return {
    channel: telegramChannel,
    capabilities: {
      maxTextLength: telegramLimits.maxTextLength,
      maxButtons: telegramLimits.maxButtons,
      // Telegram's FAQ: about 30 messages a second in bulk, and about one a second to one chat.
      maxPerSecond: 30,
      perConversationIntervalMs: 1000,
    },

    async send(to, message, { idempotencyKey }) {
      const parts = renderTelegramMessage(message);
      const key = `${to.channelUserId}\u0000${idempotencyKey}`;
      const earlier = partialSends.get(key);
      const resumeAt = earlier?.parts === parts.length ? earlier.delivered : 0;
      let lastMessageId = resumeAt > 0 ? earlier?.lastMessageId : undefined;
      for (const [index, part] of parts.entries()) {
        if (index < resumeAt) continue;
        try {
          const sent = await api.sendMessage(to.channelUserId, part.text, {
            // Hotline messages carry links; a preview costs data on a weak connection and says nothing new.
            link_preview_options: { is_disabled: true },
            ...(part.replyMarkup === undefined ? {} : { reply_markup: part.replyMarkup }),
          });
          lastMessageId = String(sent.message_id);
        } catch (error) {
          const failure = classifyTelegramError(error, "sendMessage");
          const retried = failure === undefined || failure.kind === "rate_limited" || failure.kind === "transient";
          if (index > 0 && lastMessageId !== undefined && retried) {
            rememberPartialSend(key, { parts: parts.length, delivered: index, lastMessageId });
          } else {
            partialSends.delete(key);
          }
          throw failure ?? error;
        }
      }
      partialSends.delete(key);
      return lastMessageId === undefined ? {} : { externalMessageId: lastMessageId };
    },

    async acknowledge(callbackQueryId) {
      try {
        await api.answerCallbackQuery(callbackQueryId);
      } catch (error) {
        throw classifyTelegramError(error, "answerCallbackQuery") ?? error;
      }
    },
  };
}

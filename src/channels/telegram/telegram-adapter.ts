import { Api } from "grammy";
import type { ChannelAdapter } from "../channel-adapter.ts";
import { classifyTelegramError } from "./telegram-error.ts";
import { renderTelegramMedia, renderTelegramMessage, telegramLimits, type TelegramMediaCall, type TelegramMessagePart } from "./telegram-rendering.ts";

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

/** One Bot API call of a message: a picture or voice note first, then each part of the text. */
type TelegramCall = TelegramMediaCall | { method: "sendMessage"; part: TelegramMessagePart };

/** Multi-part messages whose later parts failed, remembered so a retry sends only what is missing. */
const maxRememberedPartialSends = 1000;

/**
 * Sends Loa's messages through grammY's Bot API client. Pictures and voice notes go first, one call each by
 * URL; then the text, long text as several messages, the menu's inline keyboard on the last; the last part's
 * `message_id` is the receipt.
 *
 * It does NOT retry inside `send` (no auto-retry plugin): the outbox dispatcher owns retries and records
 * each one in the database, so a 429's `retry_after` or a 5xx backoff survives a restart, spreads over other
 * conversations instead of holding a dispatcher slot, and cannot outlast the row's lease and be resent by
 * another process. Every failure becomes a `ChannelSendError` whose kind tells the dispatcher what to do.
 *
 * Telegram cannot deduplicate on the idempotency key, so a crash after a successful send resends the message
 * (the contract's `deliversOnce: false`). What the adapter can do, it does: when part 2 of 3 fails, it
 * remembers in memory that part 1 was delivered, and the dispatcher's retry with the same key continues
 * from part 2 instead of repeating part 1. Pictures and voice notes count as parts: a retry after the text
 * failed does not send the picture again.
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

  /** Makes one Bot API call and returns the `message_id` of what it sent. */
  async function callApi(chatId: string, call: TelegramCall): Promise<number> {
    switch (call.method) {
      case "sendPhoto":
        return (await api.sendPhoto(chatId, call.url)).message_id;
      case "sendVoice":
        return (await api.sendVoice(chatId, call.url)).message_id;
      case "sendAudio":
        return (await api.sendAudio(chatId, call.url)).message_id;
      case "sendMessage":
        return (
          await api.sendMessage(chatId, call.part.text, {
            // Hotline messages carry links; a preview costs data on a weak connection and says nothing new.
            link_preview_options: { is_disabled: true },
            ...(call.part.replyMarkup === undefined ? {} : { reply_markup: call.part.replyMarkup }),
          })
        ).message_id;
    }
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
      const calls: TelegramCall[] = [
        ...renderTelegramMedia(message),
        ...renderTelegramMessage(message).map((part) => ({ method: "sendMessage" as const, part })),
      ];
      const key = `${to.channelUserId}\u0000${idempotencyKey}`;
      const earlier = partialSends.get(key);
      const resumeAt = earlier?.parts === calls.length ? earlier.delivered : 0;
      let lastMessageId = resumeAt > 0 ? earlier?.lastMessageId : undefined;
      for (const [index, call] of calls.entries()) {
        if (index < resumeAt) continue;
        try {
          lastMessageId = String(await callApi(to.channelUserId, call));
        } catch (error) {
          const failure = classifyTelegramError(error, call.method);
          const retried = failure === undefined || failure.kind === "rate_limited" || failure.kind === "transient";
          if (index > 0 && lastMessageId !== undefined && retried) {
            rememberPartialSend(key, { parts: calls.length, delivered: index, lastMessageId });
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

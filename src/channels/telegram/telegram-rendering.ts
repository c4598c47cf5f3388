import type { InlineKeyboardMarkup } from "grammy/types";
import type { OutboundMessage } from "../outbound-message.ts";
import { textWithNumberedMenu } from "../numbered-menu.ts";
import { splitText } from "../split-text.ts";
import { encodeCallbackData } from "./callback-data.ts";

/**
 * What Loa sends on Telegram. 4096 is `sendMessage`'s text limit (UTF-16 units, as `splitText` counts).
 * 12 buttons, one per row, is the most a flow's menu has and still fits a small phone screen; Telegram
 * itself takes far more (about 100 buttons and 10 KB of markup, by an unofficial count).
 */
export const telegramLimits = { maxTextLength: 4096, maxButtons: 12 } as const;

/** One `sendMessage` call: a part of the text, and on the last part the menu's keyboard. */
export type TelegramMessagePart = { text: string; replyMarkup?: InlineKeyboardMarkup };

/** One call that sends a picture or a voice note by its public URL, which Telegram fetches itself. */
export type TelegramMediaCall = { method: "sendPhoto" | "sendVoice" | "sendAudio"; url: string };

/**
 * The calls that send a message's pictures and voice notes, in order, before its text. A picture is a photo.
 * A voice note in OGG/Opus (`audio/ogg`) is a voice message, played in the chat like one she recorded;
 * Telegram wants that format for voice messages, so any other audio (MP3, AAC, M4A) goes as an audio file,
 * which every Telegram app still plays. No caption: the text follows as its own message, with the menu.
 */
export function renderTelegramMedia(message: OutboundMessage): TelegramMediaCall[] {
  return (message.media ?? []).map((item) => ({
    method: item.kind === "image" ? "sendPhoto" : item.mimeType === "audio/ogg" ? "sendVoice" : "sendAudio",
    url: item.url,
  }));
}

/**
 * Renders a message for Telegram, purely, so layout is tested without a network. The text is NFC-normalised
 * and split at 4096; a menu becomes an inline keyboard with one option per row on the LAST part, so the
 * buttons sit under the question. A menu that cannot be buttons (more options than `maxButtons`, or ids too
 * long for 64 bytes of callback data) is appended as a numbered list instead; the engine accepts a typed
 * number for any menu, so the person can still answer.
 */
export function renderTelegramMessage(message: OutboundMessage): TelegramMessagePart[] {
  const options = message.options ?? [];
  const rows = options.flatMap((option) => {
    const callbackData = encodeCallbackData(option.id, message.nodeId);
    return callbackData === undefined ? [] : [[{ text: option.label.normalize("NFC"), callback_data: callbackData }]];
  });
  const asButtons = options.length > 0 && options.length <= telegramLimits.maxButtons && rows.length === options.length;
  const texts = asButtons ? splitText(message.text, telegramLimits.maxTextLength) : textWithNumberedMenu(message.text, options, telegramLimits.maxTextLength);
  const parts: TelegramMessagePart[] = texts.map((part) => ({ text: part }));
  const last = parts[parts.length - 1];
  if (asButtons && last) last.replyMarkup = { inline_keyboard: rows };
  return parts;
}

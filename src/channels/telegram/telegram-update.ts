import { z } from "zod";
import type { InboundMessage, InboundUpdate } from "../../conversation/inbound-message.ts";
import type { WebhookParseResult } from "../channel-webhook.ts";
import { WebhookBodyError } from "../webhook-body-error.ts";
import { decodeCallbackData } from "./callback-data.ts";
import { telegramChannel } from "./telegram-adapter.ts";

/**
 * The update kinds Loa handles; pass them as `allowed_updates` to `setWebhook` (polling does), so Telegram
 * does not send edits, reactions or group events only to have them ignored.
 */
export const telegramAllowedUpdates = ["message", "callback_query", "my_chat_member"] as const;

const chatSchema = z.object({ id: z.number().int(), type: z.string() });
const present = z.unknown().optional();

/** A message, reduced to what Loa reads: who (the chat), and what she sent. */
const messageSchema = z.object({
  message_id: z.number().int(),
  chat: chatSchema,
  text: z.string().optional(),
  caption: z.string().optional(),
  // Things a person sends that Loa cannot read: she gets the question again (see `toInboundMessage`).
  sticker: present,
  photo: present,
  voice: present,
  audio: present,
  video: present,
  video_note: present,
  animation: present,
  document: present,
  location: present,
  venue: present,
  contact: present,
  dice: present,
  poll: present,
  story: present,
});

const unreadableContent = [
  "sticker", "photo", "voice", "audio", "video", "video_note", "animation", "document",
  "location", "venue", "contact", "dice", "poll", "story",
] as const satisfies readonly (keyof typeof messageSchema.shape)[];

const callbackQuerySchema = z.object({
  id: z.string().min(1),
  from: z.object({ id: z.number().int() }),
  message: z.object({ chat: chatSchema }).optional(),
  data: z.string().optional(),
});

const chatMemberUpdatedSchema = z.object({
  chat: chatSchema,
  new_chat_member: z.object({ status: z.string() }),
});

/**
 * A Telegram `Update`, checked in the parts Loa reads and loose elsewhere, so a new Bot API field never
 * breaks parsing. Objects only: a body that is not one, or lacks `update_id`, is malformed.
 */
export const telegramUpdateSchema = z.object({
  update_id: z.number().int(),
  message: messageSchema.optional(),
  callback_query: callbackQuerySchema.optional(),
  my_chat_member: chatMemberUpdatedSchema.optional(),
});
export type TelegramUpdate = z.infer<typeof telegramUpdateSchema>;

/** An update that says a person blocked the bot in her private chat. */
export type BlockedByUserUpdate = TelegramUpdate & { my_chat_member: z.infer<typeof chatMemberUpdatedSchema> };

/**
 * Turns one Telegram update (a webhook body, or one update from `getUpdates`) into inbox updates; webhook
 * and polling share it. `externalId` is the `update_id` (Telegram redelivers with the same id, and the
 * inbox is unique on it); `channelUserId` is the chat id.
 *
 * - A private-chat text message → text. A photo or video with a caption → the caption as text.
 * - A sticker, photo, voice note or other content Loa cannot read → text "" (empty), so the engine asks the
 *   current question again: a person who sends a voice note or sticker gets an answer telling her what to
 *   do, not silence. Service messages (pins, shared users, gifts…) are ignored: she did not write them.
 * - A button press with Loa's callback data → a choice; other data is ignored.
 * - `my_chat_member` saying she blocked the bot (see `isBlockedByUser`) → a `blocked` input: the contact is
 *   stopped and her waiting replies are cancelled. Other member changes (unblocking) are ignored; she is
 *   back when she writes again.
 * - Groups and channels, edited messages (the original was answered already) and other update kinds are
 *   ignored, never an error.
 * - A body that is not an update of the documented shape throws `WebhookBodyError` (answered 400).
 */
export function parseTelegramUpdate(body: unknown): WebhookParseResult {
  const parsed = telegramUpdateSchema.safeParse(body);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.code}`).join("; ");
    throw new WebhookBodyError(telegramChannel, detail);
  }
  const update = parsed.data;
  const inbound = (chatId: number, message: InboundMessage): WebhookParseResult => ({
    updates: [{ channel: telegramChannel, externalId: String(update.update_id), channelUserId: String(chatId), message } satisfies InboundUpdate],
  });

  if (update.message) {
    if (update.message.chat.type !== "private") return { updates: [], ignored: `message in a ${kindName(update.message.chat.type)} chat` };
    const message = toInboundMessage(update.message);
    return message === undefined ? { updates: [], ignored: "service message" } : inbound(update.message.chat.id, message);
  }
  if (update.callback_query) {
    const query = update.callback_query;
    const chat = query.message?.chat ?? { id: query.from.id, type: "private" };
    if (chat.type !== "private") return { updates: [], ignored: `button in a ${kindName(chat.type)} chat` };
    const choice = query.data === undefined ? undefined : decodeCallbackData(query.data);
    return choice === undefined ? { updates: [], ignored: "callback data not recognised" } : inbound(chat.id, choice);
  }
  if (update.my_chat_member) {
    if (saysBlocked(update)) return inbound(update.my_chat_member.chat.id, { kind: "blocked" });
    return { updates: [], ignored: `my_chat_member ${kindName(update.my_chat_member.new_chat_member.status)}` };
  }
  return { updates: [], ignored: `unsupported update: ${updateKind(body)}` };
}

/**
 * True when the update says the person blocked the bot: `my_chat_member` with new status `kicked` in a private
 * chat (Telegram sends it in private chats only on a block or unblock). `parseTelegramUpdate` already turns
 * it into a `blocked` input, so the person is stopped on arrival rather than at the next failed send (403);
 * exported for code that sees raw updates outside the inbox. Takes the raw body and never throws.
 */
export function isBlockedByUser(body: unknown): body is BlockedByUserUpdate {
  const parsed = telegramUpdateSchema.safeParse(body);
  return parsed.success && saysBlocked(parsed.data);
}

function saysBlocked(update: TelegramUpdate): update is BlockedByUserUpdate {
  const member = update.my_chat_member;
  return member !== undefined && member.chat.type === "private" && member.new_chat_member.status === "kicked";
}

/**
 * The id of a pressed button's callback query, to acknowledge with `TelegramAdapter.acknowledge`, also when
 * its data was not recognised (the button must stop spinning either way). Takes the raw body, never throws.
 */
export function callbackQueryIdOf(body: unknown): string | undefined {
  const parsed = telegramUpdateSchema.safeParse(body);
  return parsed.success ? parsed.data.callback_query?.id : undefined;
}

function toInboundMessage(message: z.infer<typeof messageSchema>): InboundMessage | undefined {
  if (message.text !== undefined) return { kind: "text", text: message.text };
  if (message.caption !== undefined && message.caption.trim() !== "") return { kind: "text", text: message.caption };
  return unreadableContent.some((kind) => message[kind] !== undefined) ? { kind: "text", text: "" } : undefined;
}

/** The update's kind (its first field after `update_id`), safe for a log line. */
function updateKind(body: unknown): string {
  const key = typeof body === "object" && body !== null ? Object.keys(body).find((name) => name !== "update_id") : undefined;
  return key === undefined ? "none" : kindName(key);
}

function kindName(name: string): string {
  return /^[a-z_]{1,40}$/.test(name) ? name : "other";
}

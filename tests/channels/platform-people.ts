import { z } from "zod";
import type { WebhookDelivery } from "./running-loa.ts";
import type { FakeTelegramApi } from "./telegram/fake-telegram-api.ts";
import type { FakeZaloBotPlatform } from "./zalo-bot/fake-zalo-bot-platform.ts";
import { fakeApp, signZaloOaEvent, type FakeZaloOaPlatform } from "./zalo-oa/fake-zalo-oa-platform.ts";

/** A message as she sees it on her phone: its text, and the titles of the buttons under it. */
export type SeenMessage = { text: string; buttons: string[] };

/**
 * A person writing to Loa on one platform: builds the webhook requests her actions make the platform send,
 * and reads what the platform's fake delivered to her.
 */
export type PlatformPerson = {
  readonly channelUserId: string;
  /** She types and sends `text`: a new update with ids of its own. */
  types(text: string): WebhookDelivery;
  /** She answers the newest menu with option `label`: taps its button, or types its number when the menu is numbered text. */
  chooses(label: string): WebhookDelivery;
  /** She blocks or unfollows the bot, as the platform reports it. */
  leaves(): WebhookDelivery;
  /** The same request signed with a wrong secret, as a forger without the secret would send it. */
  forged(delivery: WebhookDelivery): WebhookDelivery;
  /** What the platform delivered to her, in order. */
  received(): SeenMessage[];
};

/** A line of a numbered menu (`1. Đồng ý`): every Zalo Bot menu, and a Zalo OA menu of more than five options. */
const numberedLine = /^(\d{1,2})\. (.+)$/;

/** The number she types for `label` in a numbered menu (`1. Đồng ý`), searching the newest message first. */
function numberOf(messages: readonly SeenMessage[], label: string): string {
  for (const message of [...messages].reverse()) {
    for (const line of message.text.split("\n")) {
      const match = numberedLine.exec(line.trim());
      if (match?.[2] === label && match[1] !== undefined) return match[1];
    }
  }
  throw new Error(`no numbered option "${label}" in what she received`);
}

const inlineKeyboardSchema = z.object({
  inline_keyboard: z.array(z.array(z.object({ text: z.string(), callback_data: z.string() }))),
});

/** A Telegram user in a private chat with the bot; her updates carry the webhook's secret token header. */
export function telegramPerson(fake: FakeTelegramApi, options: { chatId: number; secretToken: string }) {
  const { chatId } = options;
  const from = { id: chatId, is_bot: false, first_name: "Hoa", language_code: "vi" };
  const chat = { id: chatId, first_name: "Hoa", type: "private" };
  let updateId = 873_640_000;
  let messageId = 0;
  let queryId = 0;
  const pressed: string[] = [];
  const date = () => Math.floor(Date.now() / 1000);
  const delivery = (update: Record<string, unknown>, secretToken = options.secretToken): WebhookDelivery => ({
    route: "telegram",
    rawBody: JSON.stringify({ update_id: (updateId += 1), ...update }),
    headers: { "x-telegram-bot-api-secret-token": secretToken },
  });
  const mine = () => fake.delivered.filter((message) => message.chatId === String(chatId));
  const buttonsOf = (markup: unknown) => {
    const parsed = inlineKeyboardSchema.safeParse(markup);
    return parsed.success ? parsed.data.inline_keyboard.flat() : [];
  };

  return {
    channelUserId: String(chatId),
    /** Ids of the callback queries her button presses sent, in order. */
    pressedQueries: pressed,
    types: (text: string) => delivery({ message: { message_id: (messageId += 1), from, chat, date: date(), text } }),
    chooses(label: string) {
      const menu = mine().findLast((message) => buttonsOf(message.replyMarkup).some((button) => button.text === label));
      const button = buttonsOf(menu?.replyMarkup).find((candidate) => candidate.text === label);
      if (menu === undefined || button === undefined) throw new Error(`no button "${label}" in what she received`);
      const id = `${chatId}-query-${(queryId += 1)}`;
      pressed.push(id);
      return delivery({
        callback_query: {
          id,
          from,
          message: { message_id: menu.messageId, from: { id: 4242, is_bot: true, first_name: "Loa" }, chat, date: date(), text: menu.text, reply_markup: menu.replyMarkup },
          chat_instance: "-8157163526452716243",
          data: button.callback_data,
        },
      });
    },
    leaves: () =>
      delivery({
        my_chat_member: {
          chat,
          from,
          date: date(),
          old_chat_member: { user: { id: 4242, is_bot: true, first_name: "Loa" }, status: "member" },
          new_chat_member: { user: { id: 4242, is_bot: true, first_name: "Loa" }, status: "kicked", until_date: 0 },
        },
      }),
    forged: (original: WebhookDelivery) => ({ ...original, headers: { "x-telegram-bot-api-secret-token": "Not_the-Secret_0123456789" } }),
    received: (): SeenMessage[] => mine().map((message) => ({ text: message.text, buttons: buttonsOf(message.replyMarkup).map((button) => button.text) })),
  } satisfies PlatformPerson & { pressedQueries: string[] };
}

/** A Zalo user chatting privately with a Zalo Bot; live webhooks send the update bare, with the secret header. */
export function zaloBotPerson(fake: FakeZaloBotPlatform, options: { chatId: string; secretToken: string }): PlatformPerson {
  const { chatId } = options;
  let messageId = 0;
  const person: PlatformPerson = {
    channelUserId: chatId,
    types: (text) => ({
      route: "zalo-bot",
      rawBody: JSON.stringify({
        event_name: "message.text.received",
        message: {
          from: { id: chatId, display_name: "Hoa", is_bot: false },
          chat: { id: chatId, chat_type: "PRIVATE" },
          text,
          message_id: (messageId += 1).toString(16).padStart(20, "7a1f0c2b9e4d3a5f6b70"),
          date: Date.now(),
        },
      }),
      headers: { "x-bot-api-secret-token": options.secretToken },
    }),
    chooses: (label) => person.types(numberOf(person.received(), label)),
    leaves() {
      throw new Error("the Zalo Bot Platform does not report a block");
    },
    forged: (original) => ({ ...original, headers: { "x-bot-api-secret-token": "Not_the-Secret_0123456789" } }),
    received: () => fake.messages.filter((message) => message.chatId === chatId).map((message) => ({ text: message.text, buttons: [] })),
  };
  return person;
}

/**
 * A Zalo user following the fake's Official Account. Events are signed as Zalo signs them (`X-ZEvent-Signature`
 * over the raw body); a tapped `oa.query.hide` button comes back as a `user_send_text` carrying its payload.
 */
export function zaloOaPerson(fake: FakeZaloOaPlatform, options: { userId: string }): PlatformPerson {
  const { userId } = options;
  let messageId = 0;
  const event = (fields: Record<string, unknown>): WebhookDelivery => {
    const rawBody = JSON.stringify({ app_id: fakeApp.appId, user_id_by_app: "552177279717587730", ...fields, timestamp: String(Date.now()) });
    return { route: "zalo-oa", rawBody, headers: { "x-zevent-signature": signZaloOaEvent(rawBody, { first: fakeApp.appId }) } };
  };
  const mine = () => fake.delivered().filter((send) => send.userId === userId);
  const person: PlatformPerson = {
    channelUserId: userId,
    types: (text) =>
      event({ sender: { id: userId }, recipient: { id: fakeApp.oaId }, event_name: "user_send_text", message: { text, msg_id: `96d3cdf3af15046${(messageId += 1)}` } }),
    chooses(label) {
      const button = mine()
        .flatMap((send) => send.message.attachment?.payload.buttons ?? [])
        .findLast((candidate) => candidate.title === label);
      if (button === undefined) return person.types(numberOf(person.received(), label));
      if (typeof button.payload !== "string") throw new Error(`button "${label}" has no text payload`);
      return person.types(button.payload);
    },
    leaves: () => event({ oa_id: fakeApp.oaId, follower: { id: userId }, event_name: "unfollow", source: "oa_profile" }),
    // The usual mistake, and a forger's best guess: signing with the App Secret instead of the OA Secret Key.
    forged: (original) => ({
      ...original,
      headers: { "x-zevent-signature": signZaloOaEvent(original.rawBody, { first: fakeApp.appId, oaSecretKey: fakeApp.appSecret }) },
    }),
    received: () =>
      mine().map((send) => ({ text: send.message.text ?? "", buttons: (send.message.attachment?.payload.buttons ?? []).map((button) => button.title) })),
  };
  return person;
}

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { WebhookBodyError } from "../../../src/channels/webhook-body-error.ts";
import { callbackQueryIdOf, isBlockedByUser, parseTelegramUpdate } from "../../../src/channels/telegram/telegram-update.ts";
import { createTelegramWebhook, telegramSecretHeader } from "../../../src/channels/telegram/telegram-webhook.ts";
import { ConfigError } from "../../../src/errors.ts";
import { inboundMessageSchema } from "../../../src/conversation/inbound-message.ts";

const secret = "Loa_webhook-Secret_0123456789";
const fixture = (name: string): unknown => JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", `${name}.json`), "utf8"));
const request = (headers: Record<string, string | string[] | undefined>) => ({ headers, rawBody: Buffer.from("{}") });

describe("Telegram webhook: verify", () => {
  const webhook = createTelegramWebhook({ secretToken: secret });

  it("is routed at /webhooks/telegram for the telegram channel", () => {
    expect(webhook).toMatchObject({ channel: "telegram", route: "telegram" });
  });

  it("accepts the configured secret token", () => {
    expect(webhook.verify(request({ [telegramSecretHeader]: secret }))).toBe(true);
  });

  it("refuses a wrong, missing, repeated or differently long secret", () => {
    const wrongSameLength = `${secret.slice(0, -1)}X`;
    for (const given of [wrongSameLength, "", secret.slice(0, -1), `${secret}0`, secret.toUpperCase(), `${secret} `]) {
      expect(webhook.verify(request({ [telegramSecretHeader]: given })), JSON.stringify(given)).toBe(false);
    }
    expect(webhook.verify(request({}))).toBe(false);
    expect(webhook.verify(request({ [telegramSecretHeader]: undefined }))).toBe(false);
    expect(webhook.verify(request({ [telegramSecretHeader]: [secret, secret] }))).toBe(false);
    expect(webhook.verify(request({ "x-other-header": secret }))).toBe(false);
  });

  it("refuses at start-up a secret Telegram would not accept, without repeating it", () => {
    for (const bad of ["", "has space", "ü-umlaut", "x".repeat(257)]) {
      const thrown = (() => {
        try {
          createTelegramWebhook({ secretToken: bad });
          return undefined;
        } catch (error) {
          return error;
        }
      })();
      expect(thrown).toBeInstanceOf(ConfigError);
      if (bad !== "") expect(String(thrown)).not.toContain(bad);
    }
    expect(() => createTelegramWebhook({ secretToken: "x".repeat(256) })).not.toThrow();
  });
});

describe("Telegram webhook: parse", () => {
  const user = "5012345678";

  it("uses the same parser as long polling", () => {
    expect(createTelegramWebhook({ secretToken: secret }).parse).toBe(parseTelegramUpdate);
  });

  it("turns a private text message into text, keyed by update_id and chat id", () => {
    expect(parseTelegramUpdate(fixture("text-message"))).toEqual({
      updates: [{ channel: "telegram", externalId: "873640101", channelUserId: user, message: { kind: "text", text: "Xin chào, tôi cần giúp" } }],
    });
  });

  it("passes /start on as text, for the conversation to begin or go on", () => {
    expect(parseTelegramUpdate(fixture("start-command")).updates[0]?.message).toEqual({ kind: "text", text: "/start" });
  });

  it("turns a pressed button into the choice it encodes", () => {
    expect(parseTelegramUpdate(fixture("callback-query"))).toEqual({
      updates: [{ channel: "telegram", externalId: "873640102", channelUserId: user, message: { kind: "choice", optionId: "safe-birth", nodeId: "main/topics" } }],
    });
    expect(callbackQueryIdOf(fixture("callback-query"))).toBe("4382bfdwdsb323b2d9");
  });

  it("ignores a button whose data Loa did not write, but still names its query for acknowledgement", () => {
    expect(parseTelegramUpdate(fixture("callback-query-foreign-data"))).toEqual({ updates: [], ignored: "callback data not recognised" });
    expect(callbackQueryIdOf(fixture("callback-query-foreign-data"))).toBe("4382bfdwdsb323b2e0");
    expect(callbackQueryIdOf(fixture("text-message"))).toBeUndefined();
    expect(callbackQueryIdOf("not an update")).toBeUndefined();
  });

  it("asks again after a sticker or voice note: an empty text, so she is told what to do", () => {
    for (const name of ["sticker", "voice"]) {
      expect(parseTelegramUpdate(fixture(name)).updates.map((update) => update.message)).toEqual([{ kind: "text", text: "" }]);
    }
  });

  it("reads a photo's caption as what she wrote", () => {
    expect(parseTelegramUpdate(fixture("photo-with-caption")).updates[0]?.message).toEqual({ kind: "text", text: "cứu tôi" });
  });

  it("turns a block into a blocked input for her chat", () => {
    expect(parseTelegramUpdate(fixture("my-chat-member-kicked"))).toEqual({
      updates: [{ channel: "telegram", externalId: "873640110", channelUserId: user, message: { kind: "blocked" } }],
    });
    expect(isBlockedByUser(fixture("my-chat-member-kicked"))).toBe(true);
    expect(isBlockedByUser(fixture("my-chat-member-unblocked"))).toBe(false);
    expect(isBlockedByUser(fixture("text-message"))).toBe(false);
    expect(isBlockedByUser(42)).toBe(false);
  });

  it("ignores what she did not send to the bot herself, with a reason", () => {
    const ignored = (name: string) => parseTelegramUpdate(fixture(name));
    expect(ignored("edited-message")).toEqual({ updates: [], ignored: "unsupported update: edited_message" });
    expect(ignored("group-message")).toEqual({ updates: [], ignored: "message in a supergroup chat" });
    expect(ignored("pinned-service-message")).toEqual({ updates: [], ignored: "service message" });
    expect(ignored("my-chat-member-unblocked")).toEqual({ updates: [], ignored: "my_chat_member member" });
    expect(ignored("unknown-update")).toEqual({ updates: [], ignored: "unsupported update: message_reaction" });
    expect(parseTelegramUpdate({ update_id: 1 })).toEqual({ updates: [], ignored: "unsupported update: none" });
  });

  it("gives only inputs the inbox accepts", () => {
    for (const name of ["text-message", "start-command", "callback-query", "sticker", "photo-with-caption", "my-chat-member-kicked"]) {
      for (const update of parseTelegramUpdate(fixture(name)).updates) {
        expect(inboundMessageSchema.safeParse(update.message).success, name).toBe(true);
      }
    }
  });

  it("throws WebhookBodyError for a body that is not an update, naming fields but no values", () => {
    const malformed: unknown[] = [
      null,
      "update",
      [],
      {},
      { update_id: "873640101" },
      { update_id: 1.5 },
      { update_id: 1, message: { message_id: 1, text: "Xin chào bí mật" } },
      { update_id: 1, callback_query: { from: { id: 1 }, data: "c|1" } },
      { update_id: 1, my_chat_member: { chat: { id: 1, type: "private" } } },
    ];
    for (const body of malformed) {
      let thrown: unknown;
      try {
        parseTelegramUpdate(body);
      } catch (error) {
        thrown = error;
      }
      expect(thrown, JSON.stringify(body)).toBeInstanceOf(WebhookBodyError);
      expect((thrown as WebhookBodyError).code).toBe("webhook:body-invalid");
      expect(String(thrown)).not.toContain("Xin chào");
    }
  });
});

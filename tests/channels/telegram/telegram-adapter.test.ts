import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Api } from "grammy";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ChannelSendError } from "../../../src/channels/channel-adapter.ts";
import type { OutboundMessage } from "../../../src/channels/outbound-message.ts";
import { decodeCallbackData } from "../../../src/channels/telegram/callback-data.ts";
import { createTelegramAdapter, type TelegramAdapter } from "../../../src/channels/telegram/telegram-adapter.ts";
import { defineChannelContract } from "../channel-contract.ts";
import { renderingsOf } from "./error-renderings.ts";
import { startFakeTelegramApi, type FakeFailure, type FakeTelegramApi } from "./fake-telegram-api.ts";

const token = "7345109283:AAF-test_TOKEN-value-Nevershow42";

function buttonLabels(markup: unknown): string[] {
  if (typeof markup !== "object" || markup === null || !("inline_keyboard" in markup) || !Array.isArray(markup.inline_keyboard)) return [];
  return markup.inline_keyboard.flat().map((button: { text: string }) => button.text);
}

defineChannelContract("telegram", async () => {
  const fake = await startFakeTelegramApi({ token });
  return {
    adapter: createTelegramAdapter({ token, apiRoot: fake.apiRoot }),
    deliversOnce: false,
    async received() {
      return fake.delivered.map((message) => ({ to: message.chatId, text: message.text, options: buttonLabels(message.replyMarkup) }));
    },
    close: fake.close,
  };
});

const menu = (text: string, options: string[] = []): OutboundMessage => ({
  text,
  contentKeys: ["common:menu"],
  locale: "vi",
  nodeId: "main/topics",
  ...(options.length === 0 ? {} : { options: options.map((label, index) => ({ id: String(index + 1), label })) }),
});

describe("Telegram adapter", () => {
  let fake: FakeTelegramApi;
  let adapter: TelegramAdapter;
  const to = { channel: "telegram", channelUserId: "5012345678" };

  beforeEach(async () => {
    fake = await startFakeTelegramApi({ token });
    adapter = createTelegramAdapter({ token, apiRoot: fake.apiRoot });
  });
  afterEach(async () => {
    await fake.close();
  });

  async function failure(promise: Promise<unknown>): Promise<ChannelSendError> {
    const error = await promise.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ChannelSendError);
    return error as ChannelSendError;
  }

  it("calls the Bot API through grammY: POST /bot<token>/sendMessage with a JSON body", async () => {
    const receipt = await adapter.send(to, menu("Xin chào"), { idempotencyKey: "1" });
    expect(fake.calls).toHaveLength(1);
    const [call] = fake.calls;
    expect(call).toMatchObject({ httpMethod: "POST", path: `/bot${token}/sendMessage`, method: "sendMessage" });
    expect(call?.contentType).toMatch(/^application\/json/);
    expect(call?.params).toMatchObject({ chat_id: "5012345678", text: "Xin chào", link_preview_options: { is_disabled: true } });
    expect(receipt).toEqual({ externalMessageId: "1" });
  });

  it("sends a menu as an inline keyboard whose presses decode to the option and node", async () => {
    await adapter.send(to, menu("Chọn một chủ đề:", ["Tảo hôn", "Sinh con an toàn", "Bạo lực gia đình"]), { idempotencyKey: "1" });
    const markup = fake.calls[0]?.params.reply_markup as { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> };
    expect(markup.inline_keyboard.map((row) => row.length)).toEqual([1, 1, 1]);
    expect(markup.inline_keyboard.map((row) => decodeCallbackData(row[0]?.callback_data ?? ""))).toEqual([
      { kind: "choice", optionId: "1", nodeId: "main/topics" },
      { kind: "choice", optionId: "2", nodeId: "main/topics" },
      { kind: "choice", optionId: "3", nodeId: "main/topics" },
    ]);
  });

  it("sends a 10,000-character menu as parts of at most 4096 characters, the keyboard on the last, whose id is the receipt", async () => {
    const text = "Một câu tiếng Việt có dấu để thử. ".repeat(300).slice(0, 10_000);
    const receipt = await adapter.send(to, menu(text, ["Có", "Không"]), { idempotencyKey: "1" });
    expect(fake.delivered).toHaveLength(3);
    expect(fake.delivered.every((message) => message.text.length <= 4096)).toBe(true);
    expect(fake.delivered.map((message) => buttonLabels(message.replyMarkup))).toEqual([[], [], ["Có", "Không"]]);
    expect(receipt).toEqual({ externalMessageId: String(fake.delivered[2]?.messageId) });
  });

  const mappings: Array<[string, FakeFailure, { kind: string; status: number; retryAfterSeconds?: number }]> = [
    ["429 with retry_after", { kind: "rate_limited", retryAfter: 17 }, { kind: "rate_limited", status: 429, retryAfterSeconds: 17 }],
    ["403 bot was blocked by the user", { kind: "blocked" }, { kind: "blocked", status: 403 }],
    ["403 user is deactivated", { kind: "deactivated" }, { kind: "blocked", status: 403 }],
    ["403 for another reason", { kind: "error", code: 403, description: "Forbidden: bot can't initiate conversation with a user" }, { kind: "permanent", status: 403 }],
    ["400 chat not found", { kind: "bad_request" }, { kind: "permanent", status: 400 }],
    ["500", { kind: "server_error" }, { kind: "transient", status: 500 }],
    ["502", { kind: "error", code: 502, description: "Bad Gateway" }, { kind: "transient", status: 502 }],
  ];
  for (const [name, programmed, expected] of mappings) {
    it(`maps ${name} to ${expected.kind}`, async () => {
      fake.failNext("sendMessage", programmed);
      const error = await failure(adapter.send(to, menu("Xin chào"), { idempotencyKey: "1" }));
      expect(error).toMatchObject({ kind: expected.kind, code: `channel:${expected.kind}`, retryAfterSeconds: expected.retryAfterSeconds });
      expect(error.context).toMatchObject({ channel: "telegram", status: expected.status });
      expect(error.message).toMatch(/^Telegram sendMessage failed: \d{3} /);
      expect(fake.calls).toHaveLength(1);
    });
  }

  it("treats a 429 as a pause for the whole channel", async () => {
    fake.failNext("sendMessage", { kind: "rate_limited", retryAfter: 3 });
    expect((await failure(adapter.send(to, menu("Xin chào"), { idempotencyKey: "1" }))).scope).toBe("channel");
  });

  it("maps an unreachable API to transient", async () => {
    const closed = await closedPort();
    const offline = createTelegramAdapter({ token, apiRoot: `http://127.0.0.1:${closed}` });
    const error = await failure(offline.send(to, menu("Xin chào"), { idempotencyKey: "1" }));
    expect(error.kind).toBe("transient");
    expect(error.message).toBe("Telegram sendMessage failed: network error (ECONNREFUSED)");
  });

  it("maps a call that outlasts its timeout to transient", async () => {
    fake.failNext("sendMessage", { kind: "hang" });
    const impatient = createTelegramAdapter({ token, apiRoot: fake.apiRoot, timeoutSeconds: 1 });
    const error = await failure(impatient.send(to, menu("Xin chào"), { idempotencyKey: "1" }));
    expect(error.kind).toBe("transient");
    expect(error.message).toBe("Telegram sendMessage failed: network error (timeout)");
  });

  it("does not retry by itself: one call per attempt, whatever the failure", async () => {
    fake.failNext("sendMessage", { kind: "rate_limited", retryAfter: 1 }, { kind: "server_error" });
    await failure(adapter.send(to, menu("a"), { idempotencyKey: "1" }));
    await failure(adapter.send(to, menu("a"), { idempotencyKey: "1" }));
    expect(fake.calls).toHaveLength(2);
    expect(fake.delivered).toHaveLength(0);
  });

  it("continues a long message where it failed when the dispatcher retries it, without repeating parts", async () => {
    const text = "Một câu tiếng Việt có dấu để thử. ".repeat(300).slice(0, 10_000);
    fake.failNext("sendMessage", { kind: "answer" }, { kind: "rate_limited", retryAfter: 1 });
    const error = await failure(adapter.send(to, menu(text, ["Có"]), { idempotencyKey: "42" }));
    expect(error.kind).toBe("rate_limited");
    expect(fake.delivered).toHaveLength(1);

    const receipt = await adapter.send(to, menu(text, ["Có"]), { idempotencyKey: "42" });
    expect(fake.delivered).toHaveLength(3);
    expect(fake.delivered.map((message) => message.text).join("").replace(/\s+/g, "")).toBe(text.replace(/\s+/g, ""));
    expect(buttonLabels(fake.delivered[2]?.replyMarkup)).toEqual(["Có"]);
    expect(receipt).toEqual({ externalMessageId: String(fake.delivered[2]?.messageId) });

    // Once delivered in full, a send with the same key is a resend and goes in full (Telegram cannot deduplicate).
    await adapter.send(to, menu(text, ["Có"]), { idempotencyKey: "42" });
    expect(fake.delivered).toHaveLength(6);
  });

  it("starts a long message over when its failure is not retried", async () => {
    const text = "Một câu tiếng Việt có dấu để thử. ".repeat(300).slice(0, 10_000);
    fake.failNext("sendMessage", { kind: "answer" }, { kind: "bad_request" });
    expect((await failure(adapter.send(to, menu(text), { idempotencyKey: "42" }))).kind).toBe("permanent");
    await adapter.send(to, menu(text), { idempotencyKey: "42" });
    expect(fake.delivered).toHaveLength(4);
  });

  it("acknowledges a pressed button, and reports a failed acknowledgement as a ChannelSendError", async () => {
    await adapter.acknowledge("4382bfdwdsb323b2d9");
    expect(fake.answeredCallbackQueries).toEqual(["4382bfdwdsb323b2d9"]);
    expect(fake.calls[0]).toMatchObject({ path: `/bot${token}/answerCallbackQuery`, params: { callback_query_id: "4382bfdwdsb323b2d9" } });
    fake.failNext("answerCallbackQuery", { kind: "bad_request", description: "Bad Request: query is too old and response timeout expired or query ID is invalid" });
    const error = await failure(adapter.acknowledge("old"));
    expect(error).toMatchObject({ kind: "permanent", message: expect.stringContaining("answerCallbackQuery") });
  });

  describe("pictures and voice notes", () => {
    const signedQuery = "X-Signature=SIGNED-query-Nevershow77";
    const picture = { kind: "image", url: `https://cdn.example.org/loa/tao-hon.jpg?${signedQuery}`, mimeType: "image/jpeg" } as const;
    const oggVoice = { kind: "voice", url: "https://cdn.example.org/loa/tao-hon.ogg", mimeType: "audio/ogg" } as const;
    const mp3Voice = { kind: "voice", url: "https://cdn.example.org/loa/tao-hon.mp3", mimeType: "audio/mpeg" } as const;
    const withMedia = (media: NonNullable<OutboundMessage["media"]>, text = "Xin chào", options: string[] = []): OutboundMessage => ({
      ...menu(text, options),
      media,
    });

    it("sends them first, one call each by URL and without a caption, then the text with its keyboard", async () => {
      const receipt = await adapter.send(to, withMedia([picture, oggVoice, mp3Voice], "Chọn:", ["Có", "Không"]), { idempotencyKey: "1" });
      expect(fake.calls.map((call) => call.method)).toEqual(["sendPhoto", "sendVoice", "sendAudio", "sendMessage"]);
      expect(fake.calls.slice(0, 3).map((call) => call.params)).toEqual([
        { chat_id: "5012345678", photo: picture.url },
        { chat_id: "5012345678", voice: oggVoice.url },
        { chat_id: "5012345678", audio: mp3Voice.url },
      ]);
      expect(fake.deliveredMedia.map((media) => [media.method, media.file, media.messageId])).toEqual([
        ["sendPhoto", picture.url, 1],
        ["sendVoice", oggVoice.url, 2],
        ["sendAudio", mp3Voice.url, 3],
      ]);
      expect(fake.delivered.map((message) => [message.text, buttonLabels(message.replyMarkup)])).toEqual([["Chọn:", ["Có", "Không"]]]);
      expect(receipt).toEqual({ externalMessageId: "4" });
    });

    it.each([
      ["an OGG voice note", oggVoice, "sendVoice"],
      ["an MP3 voice note", mp3Voice, "sendAudio"],
      ["an AAC voice note", { kind: "voice", url: "https://cdn.example.org/loa/a.aac", mimeType: "audio/aac" } as const, "sendAudio"],
    ])("sends %s with %s", async (_name, voice, method) => {
      await adapter.send(to, withMedia([voice]), { idempotencyKey: "1" });
      expect(fake.calls.map((call) => call.method)).toEqual([method, "sendMessage"]);
    });

    const mediaFailures: Array<[string, "sendPhoto" | "sendVoice", FakeFailure, { kind: string; status: number; retryAfterSeconds?: number }]> = [
      ["429 on the photo", "sendPhoto", { kind: "rate_limited", retryAfter: 9 }, { kind: "rate_limited", status: 429, retryAfterSeconds: 9 }],
      ["403 blocked on the photo", "sendPhoto", { kind: "blocked" }, { kind: "blocked", status: 403 }],
      ["400 on the photo", "sendPhoto", { kind: "bad_request", description: "Bad Request: wrong file identifier/HTTP URL specified" }, { kind: "permanent", status: 400 }],
      ["500 on the photo", "sendPhoto", { kind: "server_error" }, { kind: "transient", status: 500 }],
      ["403 deactivated on the voice note", "sendVoice", { kind: "deactivated" }, { kind: "blocked", status: 403 }],
    ];
    for (const [name, method, programmed, expected] of mediaFailures) {
      it(`maps ${name} to ${expected.kind}, as for text, and sends nothing after it`, async () => {
        fake.failNext(method, programmed);
        const error = await failure(adapter.send(to, withMedia(method === "sendPhoto" ? [picture] : [oggVoice]), { idempotencyKey: "1" }));
        expect(error).toMatchObject({ kind: expected.kind, code: `channel:${expected.kind}`, retryAfterSeconds: expected.retryAfterSeconds });
        expect(error.context).toMatchObject({ channel: "telegram", status: expected.status });
        expect(error.message).toMatch(new RegExp(`^Telegram ${method} failed: \\d{3} `));
        expect(fake.calls.map((call) => call.method)).toEqual([method]);
        expect(fake.delivered).toEqual([]);
      });
    }

    it("does not send the picture or voice note again when the dispatcher retries after the text failed", async () => {
      const message = withMedia([picture, oggVoice], "Chọn:", ["Có"]);
      fake.failNext("sendMessage", { kind: "server_error" });
      expect((await failure(adapter.send(to, message, { idempotencyKey: "42" }))).kind).toBe("transient");
      const receipt = await adapter.send(to, message, { idempotencyKey: "42" });
      expect(fake.calls.map((call) => call.method)).toEqual(["sendPhoto", "sendVoice", "sendMessage", "sendMessage"]);
      expect(fake.deliveredMedia.map((media) => media.method)).toEqual(["sendPhoto", "sendVoice"]);
      expect(fake.delivered.map((sent) => sent.text)).toEqual(["Chọn:"]);
      expect(receipt).toEqual({ externalMessageId: String(fake.delivered[0]?.messageId) });
    });

    it("resumes at the voice note when it failed after the picture went", async () => {
      const message = withMedia([picture, oggVoice]);
      fake.failNext("sendVoice", { kind: "rate_limited", retryAfter: 1 });
      expect((await failure(adapter.send(to, message, { idempotencyKey: "43" }))).kind).toBe("rate_limited");
      await adapter.send(to, message, { idempotencyKey: "43" });
      expect(fake.calls.map((call) => call.method)).toEqual(["sendPhoto", "sendVoice", "sendVoice", "sendMessage"]);
      expect(fake.deliveredMedia.map((media) => media.method)).toEqual(["sendPhoto", "sendVoice"]);
    });

    it("never puts the bot token or the file's signed query in an error from a media call, however it is printed", async () => {
      const errors: unknown[] = [];
      const collect = (promise: Promise<unknown>) => promise.then(() => expect.unreachable("should fail"), (error: unknown) => void errors.push(error));
      const message = withMedia([picture, oggVoice, mp3Voice]);
      const failures: Array<["sendPhoto" | "sendVoice" | "sendAudio", FakeFailure]> = [
        ["sendPhoto", { kind: "rate_limited", retryAfter: 5 }],
        ["sendPhoto", { kind: "blocked" }],
        ["sendPhoto", { kind: "bad_request", description: "Bad Request: failed to get HTTP URL content" }],
        ["sendPhoto", { kind: "server_error" }],
        ["sendVoice", { kind: "bad_request", description: "Bad Request: wrong type of the web page content" }],
        ["sendAudio", { kind: "server_error" }],
      ];
      for (const [method, programmed] of failures) {
        fake.failNext(method, programmed);
        await collect(adapter.send(to, message, { idempotencyKey: `${method}-${programmed.kind}` }));
      }
      fake.failNext("sendPhoto", { kind: "hang" });
      await collect(createTelegramAdapter({ token, apiRoot: fake.apiRoot, timeoutSeconds: 1 }).send(to, message, { idempotencyKey: "1" }));
      await collect(createTelegramAdapter({ token, apiRoot: `http://127.0.0.1:${await closedPort()}` }).send(to, message, { idempotencyKey: "1" }));
      const wrongToken = "7345109283:AAF-another-WRONG-token";
      await collect(createTelegramAdapter({ token: wrongToken, apiRoot: fake.apiRoot }).send(to, message, { idempotencyKey: "1" }));

      expect(errors).toHaveLength(9);
      expect(errors.map((error) => (error as Error).message.split(" ")[1])).toEqual([...failures.map(([method]) => method), "sendPhoto", "sendPhoto", "sendPhoto"]);
      for (const error of errors) {
        for (const rendering of renderingsOf(error)) {
          expect(rendering).not.toContain(token);
          expect(rendering).not.toContain(wrongToken);
          expect(rendering).not.toContain(signedQuery);
        }
      }
    });
  });

  it("never puts the bot token in an error, however it is printed", async () => {
    const errors: unknown[] = [];
    const collect = (promise: Promise<unknown>) => promise.then(() => expect.unreachable("should fail"), (error: unknown) => void errors.push(error));
    const failures: FakeFailure[] = [
      { kind: "rate_limited", retryAfter: 5 },
      { kind: "blocked" },
      { kind: "deactivated" },
      { kind: "bad_request" },
      { kind: "server_error" },
    ];
    for (const programmed of failures) {
      fake.failNext("sendMessage", programmed);
      await collect(adapter.send(to, menu("Xin chào"), { idempotencyKey: "1" }));
    }
    fake.failNext("answerCallbackQuery", { kind: "bad_request" });
    await collect(adapter.acknowledge("q"));
    fake.failNext("sendMessage", { kind: "hang" });
    await collect(createTelegramAdapter({ token, apiRoot: fake.apiRoot, timeoutSeconds: 1 }).send(to, menu("x"), { idempotencyKey: "1" }));
    const offlineRoot = `http://127.0.0.1:${await closedPort()}`;
    await collect(createTelegramAdapter({ token, apiRoot: offlineRoot }).send(to, menu("x"), { idempotencyKey: "1" }));
    const wrongToken = "7345109283:AAF-another-WRONG-token";
    await collect(createTelegramAdapter({ token: wrongToken, apiRoot: fake.apiRoot }).send(to, menu("x"), { idempotencyKey: "1" }));

    expect(errors).toHaveLength(9);
    for (const error of errors) {
      for (const rendering of renderingsOf(error)) {
        expect(rendering).not.toContain(token);
        expect(rendering).not.toContain(wrongToken);
        expect(rendering).not.toContain("Xin chào");
      }
    }
    // The check can fail: grammY's own network error carries the request URL and so the token.
    const raw = await new Api(token, { apiRoot: offlineRoot }).getMe().then(() => undefined, (error: unknown) => error);
    expect(renderingsOf(raw).some((rendering) => rendering.includes(token))).toBe(true);
  });
});

/** A port nothing listens on: a server's port, just after it closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

import axios from "axios";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ChannelSendError, type ChannelAdapter } from "../../../src/channels/channel-adapter.ts";
import type { OutboundMessage } from "../../../src/channels/outbound-message.ts";
import { renderZaloBotMedia, renderZaloBotTexts, createZaloBotAdapter } from "../../../src/channels/zalo-bot/zalo-bot-adapter.ts";
import { createZaloBotApi, setZaloBotWebhook, ZaloBotTransportError } from "../../../src/channels/zalo-bot/zalo-bot-api.ts";
import {
  zaloBotQuotaExhaustedCode,
  zaloBotQuotaRetryAfterSeconds,
  zaloBotUnauthorizedCode,
} from "../../../src/channels/zalo-bot/zalo-bot-send-errors.ts";
import { createLogCapture } from "../../support/log-capture.ts";
import { defineChannelContract } from "../channel-contract.ts";
import { startFakeZaloBotPlatform, zaloBotError, zaloBotErrors, type FakeZaloBotFailure, type FakeZaloBotPlatform } from "./fake-zalo-bot-platform.ts";
import { everythingShownBy } from "./token-leaks.ts";

const token = "1459232241:Zb-SECRET_token.value";
const chatId = "6ede9afa66b88fe6d6a9";

const message = (text: string, labels?: string[]): OutboundMessage => ({
  text,
  contentKeys: ["common:welcome"],
  locale: "vi",
  ...(labels === undefined ? {} : { options: labels.map((label, index) => ({ id: `o${index}`, label })) }),
});

defineChannelContract("zalo-bot", async () => {
  const fake = await startFakeZaloBotPlatform({ token });
  return {
    adapter: createZaloBotAdapter({ token, apiRoot: fake.apiRoot }),
    deliversOnce: false,
    async received() {
      return fake.messages.map((sent) => ({ to: sent.chatId, text: sent.text, options: [] }));
    },
    close: fake.close,
  };
});

describe("renderZaloBotTexts", () => {
  it("puts a menu after the text as numbered lines, NFC-normalised", () => {
    const texts = renderZaloBotTexts(message("Bạn muốn biết gì?".normalize("NFD"), ["Tảo hôn".normalize("NFD"), "Sinh con  an toàn", "Bạo lực gia đình"]));
    expect(texts).toEqual(["Bạn muốn biết gì?\n\n1. Tảo hôn\n2. Sinh con an toàn\n3. Bạo lực gia đình"]);
  });

  it("sends text without options as it is", () => {
    expect(renderZaloBotTexts(message("Cảm ơn bạn."))).toEqual(["Cảm ơn bạn."]);
  });

  it("splits text over 2,000 characters on sentence boundaries, with the menu on the last part", () => {
    const text = "Một câu tiếng Việt có dấu. ".repeat(200).trim();
    const texts = renderZaloBotTexts(message(text, ["Có", "Không"]));
    expect(texts.length).toBe(3);
    expect(texts.every((part) => part.length <= 2000)).toBe(true);
    expect(texts.slice(0, -1).every((part) => part.endsWith("có dấu."))).toBe(true);
    expect(texts.at(-1)).toMatch(/có dấu\.\n\n1\. Có\n2\. Không$/);
    expect(texts.join(" ").replace(/\n\n1\. Có\n2\. Không$/, "")).toBe(text);
  });

  it("gives the menu a part of its own when it does not fit after the text, and never cuts a menu line", () => {
    const text = "a".repeat(1995);
    const labels = Array.from({ length: 60 }, (_, index) => `Lựa chọn số ${index + 1} ${"x".repeat(40)}`);
    const texts = renderZaloBotTexts(message(text, labels));
    expect(texts[0]).toBe(text);
    expect(texts.every((part) => part.length <= 2000)).toBe(true);
    const lines = texts.slice(1).flatMap((part) => part.split("\n"));
    expect(lines).toEqual(labels.map((label, index) => `${index + 1}. ${label}`));
  });
});

const signedQuery = "sig=SIGNED-query-zb77";
const picture = { kind: "image", url: `https://cdn.example.org/loa/tao-hon.jpg?${signedQuery}`, mimeType: "image/jpeg" } as const;
const aacVoice = { kind: "voice", url: `https://cdn.example.org/loa/tao-hon.AAC?${signedQuery}`, mimeType: "audio/aac" } as const;
const withMedia = (media: NonNullable<OutboundMessage["media"]>, text = "Xin chào", labels?: string[]): OutboundMessage => ({ ...message(text, labels), media });

describe("renderZaloBotMedia", () => {
  const voice = (url: string, mimeType: string) => ({ kind: "voice", url, mimeType }) as const;

  it("sends pictures with sendPhoto and AAC voice notes with sendVoice, in order", () => {
    const byType = voice("https://cdn.example.org/stream?id=7", "audio/aac");
    const byPath = voice("https://cdn.example.org/loa/a.Aac?v=2", "audio/x-unknown");
    expect(renderZaloBotMedia(withMedia([picture, byType, byPath]))).toEqual({
      sends: [
        { method: "sendPhoto", url: picture.url },
        { method: "sendVoice", url: byType.url },
        { method: "sendVoice", url: byPath.url },
      ],
      skipped: [],
    });
  });

  it("skips a voice note that is not AAC by type or by the URL's path, even when its query string ends in .aac", () => {
    const mp3 = voice("https://cdn.example.org/loa/a.mp3", "audio/mpeg");
    const ogg = voice("https://cdn.example.org/loa/a.ogg", "audio/ogg");
    const queryOnly = voice("https://cdn.example.org/loa/a.mp3?as=b.aac", "audio/mpeg");
    expect(renderZaloBotMedia(withMedia([mp3, picture, ogg, queryOnly]))).toEqual({
      sends: [{ method: "sendPhoto", url: picture.url }],
      skipped: [mp3, ogg, queryOnly].map((item) => ({ item, reason: "voice_not_aac" })),
    });
  });
});

describe("Zalo Bot adapter", () => {
  let fake: FakeZaloBotPlatform;
  let adapter: ChannelAdapter;
  const to = { channel: "zalo-bot", channelUserId: chatId };

  beforeEach(async () => {
    fake = await startFakeZaloBotPlatform({ token });
    adapter = createZaloBotAdapter({ token, apiRoot: fake.apiRoot, http: axios.create({ timeout: 500 }) });
  });
  afterEach(async () => {
    await fake.close();
  });

  it("posts JSON with chat_id and text to /bot<token>/sendMessage and returns Zalo's message id", async () => {
    const receipt = await adapter.send(to, message("Xin chào", ["Có"]), { idempotencyKey: "1" });
    expect(fake.calls).toEqual([{ httpMethod: "POST", token, method: "sendMessage", body: { chat_id: chatId, text: "Xin chào\n\n1. Có" } }]);
    expect(receipt.externalMessageId).toBe(fake.messages[0]?.messageId);
  });

  it("sends a long message as several messages, in order", async () => {
    const text = "Câu thứ nhất khá dài. ".repeat(150).trim();
    await adapter.send(to, message(text, ["Tiếp"]), { idempotencyKey: "1" });
    expect(fake.messages.length).toBe(2);
    expect(fake.messages.map((sent) => sent.text).join(" ")).toBe(`${text}\n\n1. Tiếp`);
  });

  it("resumes a message that failed part-way after its last delivered part, when retried in this process", async () => {
    const text = "Câu thứ nhất khá dài. ".repeat(150).trim();
    const parts = renderZaloBotTexts(message(text));
    expect(parts.length).toBe(2);
    fake.fail("sendMessage", "normal", zaloBotError(zaloBotErrors.quota));
    await expect(adapter.send(to, message(text), { idempotencyKey: "1" })).rejects.toMatchObject({ code: zaloBotQuotaExhaustedCode });
    expect(fake.messages.map((sent) => sent.text)).toEqual(parts.slice(0, 1));
    await adapter.send(to, message(text), { idempotencyKey: "1" });
    expect(fake.messages.map((sent) => sent.text)).toEqual(parts);
    await adapter.send(to, message(text), { idempotencyKey: "1" });
    expect(fake.messages.map((sent) => sent.text)).toEqual([...parts, ...parts]);
  });

  type Case = { name: string; failure: FakeZaloBotFailure; kind: string; code: string };
  const cases: Case[] = [
    { name: "429 Quota exceeded", failure: zaloBotError(zaloBotErrors.quota), kind: "rate_limited", code: zaloBotQuotaExhaustedCode },
    { name: "429 in an HTTP 200 body", failure: zaloBotError(zaloBotErrors.quota, { onHttp200: true }), kind: "rate_limited", code: zaloBotQuotaExhaustedCode },
    { name: "401 Unauthorized", failure: zaloBotError(zaloBotErrors.unauthorized), kind: "transient", code: zaloBotUnauthorizedCode },
    { name: "401 in an HTTP 200 body", failure: zaloBotError(zaloBotErrors.unauthorized, { onHttp200: true }), kind: "transient", code: zaloBotUnauthorizedCode },
    { name: "400 Bad request", failure: zaloBotError(zaloBotErrors.badRequest), kind: "permanent", code: "channel:permanent" },
    { name: "400 in an HTTP 200 body", failure: zaloBotError(zaloBotErrors.badRequest, { onHttp200: true }), kind: "permanent", code: "channel:permanent" },
    { name: "404 Not found", failure: zaloBotError(zaloBotErrors.notFound), kind: "permanent", code: "channel:permanent" },
    { name: "403 (Zalo's internal server error)", failure: zaloBotError(zaloBotErrors.internal), kind: "transient", code: "channel:transient" },
    { name: "408 Request timeout", failure: zaloBotError(zaloBotErrors.timeout, { onHttp200: true }), kind: "transient", code: "channel:transient" },
    { name: "HTTP 500 with an HTML page", failure: { kind: "raw", httpStatus: 500, body: "<html>oops</html>" }, kind: "transient", code: "channel:transient" },
    { name: "HTTP 200 that is not the envelope", failure: { kind: "raw", httpStatus: 200, body: "not json" }, kind: "transient", code: "channel:transient" },
    { name: "an undocumented error code", failure: { kind: "error", httpStatus: 200, errorCode: 999, description: "?" }, kind: "transient", code: "channel:transient" },
    { name: "no answer (client timeout)", failure: { kind: "hang" }, kind: "transient", code: "channel:transient" },
  ];

  it.each(cases)("maps $name to $kind ($code), and the token appears nowhere in the error", async ({ failure, kind, code }) => {
    fake.fail("sendMessage", failure);
    const error = await adapter.send(to, message("Xin chào"), { idempotencyKey: "1" }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ChannelSendError);
    expect(error).toMatchObject({ kind, code, context: { channel: "zalo-bot" } });
    expect(everythingShownBy(error)).not.toContain(token);
    expect(everythingShownBy(error)).not.toContain(encodeURIComponent(token));
    expect(everythingShownBy(error)).not.toContain(chatId);
  });

  it("sends pictures and AAC voice notes first, each its own call without a caption, then the text with the menu", async () => {
    const receipt = await adapter.send(to, withMedia([picture, aacVoice], "Chọn:", ["Có"]), { idempotencyKey: "1" });
    expect(fake.calls.map((call) => [call.method, call.body])).toEqual([
      ["sendPhoto", { chat_id: chatId, photo: picture.url }],
      ["sendVoice", { chat_id: chatId, voice_url: aacVoice.url }],
      ["sendMessage", { chat_id: chatId, text: "Chọn:\n\n1. Có" }],
    ]);
    expect(fake.media.map((sent) => [sent.method, sent.url, sent.caption])).toEqual([
      ["sendPhoto", picture.url, undefined],
      ["sendVoice", aacVoice.url, undefined],
    ]);
    expect(receipt.externalMessageId).toBe(fake.messages[0]?.messageId);
  });

  it("skips a voice note that is not AAC, logs why at info without its URL, and sends the rest", async () => {
    const { lines, logger } = createLogCapture();
    const logging = createZaloBotAdapter({ token, apiRoot: fake.apiRoot, logger });
    const mp3 = { kind: "voice", url: `https://cdn.example.org/loa/tao-hon.mp3?${signedQuery}`, mimeType: "audio/mpeg", bytes: 48_000 } as const;
    await logging.send(to, withMedia([mp3, picture]), { idempotencyKey: "1" });
    expect(fake.calls.map((call) => call.method)).toEqual(["sendPhoto", "sendMessage"]);
    const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logged).toEqual([
      expect.objectContaining({ level: 30, channel: "zalo-bot", kind: "voice", mimeType: "audio/mpeg", bytes: 48_000, reason: "voice_not_aac", contentKeys: ["common:welcome"] }),
    ]);
    for (const secret of [token, chatId, signedQuery, "cdn.example.org", "Xin chào"]) expect(lines.join("\n")).not.toContain(secret);
  });

  const mediaCases: Case[] = [
    { name: "429 Quota exceeded", failure: zaloBotError(zaloBotErrors.quota), kind: "rate_limited", code: zaloBotQuotaExhaustedCode },
    { name: "401 in an HTTP 200 body", failure: zaloBotError(zaloBotErrors.unauthorized, { onHttp200: true }), kind: "transient", code: zaloBotUnauthorizedCode },
    { name: "400 quoting the token, the chat and the URL", failure: { kind: "error", httpStatus: 400, errorCode: 400, description: `Bad request for bot${token} to ${chatId}: cannot fetch ${picture.url}` }, kind: "permanent", code: "channel:permanent" },
    { name: "403 (Zalo's internal server error)", failure: zaloBotError(zaloBotErrors.internal), kind: "transient", code: "channel:transient" },
    { name: "no answer (client timeout)", failure: { kind: "hang" }, kind: "transient", code: "channel:transient" },
  ];

  it.each(mediaCases)("maps $name on sendPhoto to $kind ($code) as for text, sends nothing after it, and shows no secret", async ({ failure, kind, code }) => {
    fake.fail("sendPhoto", failure);
    const error = await adapter.send(to, withMedia([picture, aacVoice]), { idempotencyKey: "1" }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ChannelSendError);
    expect(error).toMatchObject({ kind, code, context: { channel: "zalo-bot" } });
    expect((error as Error).message).toMatch(/^Zalo Bot sendPhoto /);
    expect(fake.calls.map((call) => call.method)).toEqual(["sendPhoto"]);
    for (const secret of [token, encodeURIComponent(token), chatId, signedQuery]) expect(everythingShownBy(error)).not.toContain(secret);
  });

  it("does not send the picture or voice note again when a retry follows a failed last text part", async () => {
    const sent = withMedia([picture, aacVoice], "Chọn:", ["Có"]);
    fake.fail("sendMessage", zaloBotError(zaloBotErrors.quota));
    await expect(adapter.send(to, sent, { idempotencyKey: "1" })).rejects.toMatchObject({ code: zaloBotQuotaExhaustedCode });
    const receipt = await adapter.send(to, sent, { idempotencyKey: "1" });
    expect(fake.calls.map((call) => call.method)).toEqual(["sendPhoto", "sendVoice", "sendMessage", "sendMessage"]);
    expect(fake.media.map((media) => media.method)).toEqual(["sendPhoto", "sendVoice"]);
    expect(fake.messages.map((message) => message.text)).toEqual(["Chọn:\n\n1. Có"]);
    expect(receipt.externalMessageId).toBe(fake.messages[0]?.messageId);
  });

  it("waits a long time, channel-wide, when the monthly quota is used up", async () => {
    fake.fail("sendMessage", zaloBotError(zaloBotErrors.quota));
    const error = await adapter.send(to, message("Xin chào"), { idempotencyKey: "1" }).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ kind: "rate_limited", retryAfterSeconds: zaloBotQuotaRetryAfterSeconds, scope: "channel", code: "channel:quota_exhausted" });
    expect(zaloBotQuotaRetryAfterSeconds).toBeGreaterThanOrEqual(3600);
  });

  it("keeps the token out of errors when the token itself is refused", async () => {
    const wrong = createZaloBotAdapter({ token: "999:WRONG-token-value", apiRoot: fake.apiRoot });
    const error = await wrong.send(to, message("Xin chào"), { idempotencyKey: "1" }).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ kind: "transient", code: zaloBotUnauthorizedCode });
    expect(everythingShownBy(error)).not.toContain("WRONG-token-value");
  });

  it("keeps the token out of errors when the platform cannot be reached, and says why in the cause", async () => {
    await fake.close();
    const error = await adapter.send(to, message("Xin chào"), { idempotencyKey: "1" }).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ kind: "transient", code: "channel:transient" });
    expect((error as Error).cause).toBeInstanceOf(ZaloBotTransportError);
    expect((error as Error).cause).toMatchObject({ context: { method: "sendMessage", reason: "ECONNREFUSED" } });
    expect(everythingShownBy(error)).not.toContain(token);
    fake = await startFakeZaloBotPlatform({ token });
  });

  it("redacts the token when the platform quotes it back in a description", async () => {
    fake.fail("sendMessage", { kind: "error", httpStatus: 400, errorCode: 400, description: `Bad request for bot${token} to ${chatId}` });
    const error = await adapter.send(to, message("Xin chào"), { idempotencyKey: "1" }).catch((thrown: unknown) => thrown);
    expect((error as Error).message).toContain("Bad request for bot[redacted] to [redacted]");
    expect(everythingShownBy(error)).not.toContain(token);
  });

  it("refuses a token that cannot be part of a URL path, without quoting it", () => {
    expect(() => createZaloBotAdapter({ token: "12/ab cd", apiRoot: fake.apiRoot })).toThrow(/token/);
    try {
      createZaloBotAdapter({ token: "12/ab cd", apiRoot: fake.apiRoot });
    } catch (error) {
      expect(everythingShownBy(error)).not.toContain("12/ab cd");
    }
  });

  it("sets the webhook with its secret, and reports a refusal without the token or the secret", async () => {
    const api = createZaloBotApi({ token, apiRoot: fake.apiRoot });
    await setZaloBotWebhook(api, { url: "https://loa.example.org/webhooks/zalo-bot", secretToken: "s3cret-s3cret" });
    expect(fake.webhook()).toEqual({ url: "https://loa.example.org/webhooks/zalo-bot", secretToken: "s3cret-s3cret" });
    fake.fail("setWebhook", { kind: "error", httpStatus: 400, errorCode: 400, description: "bad secret s3cret-s3cret" });
    const error = await setZaloBotWebhook(api, { url: "https://loa.example.org/webhooks/zalo-bot", secretToken: "s3cret-s3cret" }).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: "zalo-bot:set-webhook-failed" });
    expect(everythingShownBy(error)).not.toContain("s3cret-s3cret");
    expect(everythingShownBy(error)).not.toContain(token);
  });
});

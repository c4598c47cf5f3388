import axios from "axios";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ChannelSendError, type ChannelAdapter } from "../../../src/channels/channel-adapter.ts";
import type { OutboundMessage } from "../../../src/channels/outbound-message.ts";
import { renderZaloBotTexts, createZaloBotAdapter } from "../../../src/channels/zalo-bot/zalo-bot-adapter.ts";
import { createZaloBotApi, setZaloBotWebhook, ZaloBotTransportError } from "../../../src/channels/zalo-bot/zalo-bot-api.ts";
import {
  zaloBotQuotaExhaustedCode,
  zaloBotQuotaRetryAfterSeconds,
  zaloBotUnauthorizedCode,
} from "../../../src/channels/zalo-bot/zalo-bot-send-errors.ts";
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

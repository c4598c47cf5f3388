import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { WebhookBodyError } from "../../../src/channels/webhook-body-error.ts";
import { createZaloBotWebhook, parseZaloBotUpdate } from "../../../src/channels/zalo-bot/zalo-bot-webhook.ts";

const secretToken = "loa-zalo-bot-secret-0123456789";
const webhook = createZaloBotWebhook({ secretToken });

/** A recorded payload; `text-wrapped` is the official docs' example, the unwrapped ones the shape live webhooks send. */
function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), "utf8")) as Record<string, unknown>;
}

const request = (headers: Record<string, string | string[] | undefined>) => ({ headers, rawBody: Buffer.from("{}") });

describe("Zalo Bot webhook verify", () => {
  it("is mounted at /webhooks/zalo-bot for the zalo-bot channel", () => {
    expect(webhook).toMatchObject({ channel: "zalo-bot", route: "zalo-bot" });
  });

  it("accepts the secret in X-Bot-Api-Secret-Token, whatever the header's case", () => {
    expect(webhook.verify(request({ "x-bot-api-secret-token": secretToken }))).toBe(true);
    expect(webhook.verify(request({ "X-Bot-Api-Secret-Token": secretToken }))).toBe(true);
  });

  it("refuses a missing, wrong, longer, shorter or repeated secret", () => {
    expect(webhook.verify(request({}))).toBe(false);
    expect(webhook.verify(request({ "x-bot-api-secret-token": "" }))).toBe(false);
    expect(webhook.verify(request({ "x-bot-api-secret-token": secretToken.replace("0", "1") }))).toBe(false);
    expect(webhook.verify(request({ "x-bot-api-secret-token": `${secretToken}x` }))).toBe(false);
    expect(webhook.verify(request({ "x-bot-api-secret-token": secretToken.slice(0, -1) }))).toBe(false);
    expect(webhook.verify(request({ "x-bot-api-secret-token": [secretToken, secretToken] }))).toBe(false);
    expect(webhook.verify(request({ "x-telegram-bot-api-secret-token": secretToken }))).toBe(false);
  });

  it("refuses a secret setWebhook would not take (8–256 characters), without quoting it", () => {
    expect(() => createZaloBotWebhook({ secretToken: "x".repeat(257) })).toThrow(/8–256/);
    expect(() => createZaloBotWebhook({ secretToken: "tiny123" })).toThrow(/8–256/);
    expect(() => createZaloBotWebhook({ secretToken: "tiny123" })).not.toThrow(/tiny123/);
  });
});

describe("Zalo Bot webhook parse", () => {
  const expected = (text: string, externalId: string) => ({
    updates: [{ channel: "zalo-bot", externalId, channelUserId: "6ede9afa66b88fe6d6a9", message: { kind: "text", text } }],
  });

  it("reads a text message wrapped in { ok, result } (the official docs' shape)", () => {
    expect(webhook.parse(fixture("text-wrapped"))).toEqual(expected("Xin chào", "2d758cb5e222177a4e35"));
  });

  it("reads a bare text message (the shape live webhooks send)", () => {
    expect(webhook.parse(fixture("text-unwrapped"))).toEqual(expected("số 1", "7a1f0c2b9e4d3a5f6b70"));
  });

  it("gives the same update for the same message in either shape", () => {
    const bare = fixture("text-unwrapped");
    expect(parseZaloBotUpdate({ ok: true, result: bare })).toEqual(parseZaloBotUpdate(bare));
  });

  it("keeps typed menu answers as text for the engine to match", () => {
    for (const typed of ["1", "1.", "số 1", "một"]) {
      const body = fixture("text-unwrapped");
      const message = body.message as Record<string, unknown>;
      expect(parseZaloBotUpdate({ ...body, message: { ...message, text: typed } }).updates[0]?.message).toEqual({ kind: "text", text: typed });
    }
  });

  it("addresses replies to chat.id", () => {
    const body = fixture("text-unwrapped");
    const message = body.message as Record<string, unknown>;
    const update = parseZaloBotUpdate({ ...body, message: { ...message, chat: { id: "0123456789abcdef0123", chat_type: "PRIVATE" } } });
    expect(update.updates[0]?.channelUserId).toBe("0123456789abcdef0123");
  });

  it.each([
    ["image-unwrapped", "event message.image.received is not a text message"],
    ["sticker-wrapped", "event message.sticker.received is not a text message"],
    ["unsupported-unwrapped", "event message.unsupported.received is not a text message"],
    ["group-text-unwrapped", "group chat"],
  ])("ignores %s with a reason", (name, reason) => {
    expect(webhook.parse(fixture(name))).toEqual({ updates: [], ignored: reason });
  });

  it("ignores an event it does not know, even without a message", () => {
    expect(webhook.parse({ event_name: "user.follow" })).toEqual({ updates: [], ignored: "event user.follow is not a text message" });
  });

  it("ignores a message sent by a bot (the bot's own sends echoed back)", () => {
    const body = fixture("text-unwrapped");
    const message = body.message as Record<string, unknown>;
    expect(webhook.parse({ ...body, message: { ...message, from: { id: "bot", is_bot: true } } })).toEqual({ updates: [], ignored: "sent by a bot" });
  });

  it("answers an empty probe without an update", () => {
    expect(webhook.parse(undefined)).toEqual({ updates: [], ignored: "empty body" });
    expect(webhook.parse(null)).toEqual({ updates: [], ignored: "empty body" });
  });

  it("cuts very long text instead of rejecting it", () => {
    const body = fixture("text-unwrapped");
    const message = body.message as Record<string, unknown>;
    const update = parseZaloBotUpdate({ ...body, message: { ...message, text: "a".repeat(20_000) } }).updates[0];
    expect(update?.message).toEqual({ kind: "text", text: "a".repeat(10_000) });
  });

  it.each([
    ["a string", "not json"],
    ["an array", []],
    ["an error envelope", { ok: false, error_code: 400, description: "Bad request" }],
    ["a wrapper without a result", { ok: true }],
    ["an update without event_name", { message: {} }],
    ["a text event without its message", { event_name: "message.text.received" }],
    ["a text message without text", { event_name: "message.text.received", message: { message_id: "m", from: { id: "a" }, chat: { id: "a", chat_type: "PRIVATE" } } }],
    ["a numeric chat id", { event_name: "message.text.received", message: { message_id: "m", text: "hi", from: { id: "a" }, chat: { id: 12, chat_type: "PRIVATE" } } }],
    ["an empty message id", { event_name: "message.text.received", message: { message_id: "", text: "hi", from: { id: "a" }, chat: { id: "a", chat_type: "PRIVATE" } } }],
  ])("throws WebhookBodyError for %s, quoting no value from it", (_name, body) => {
    const error = (() => {
      try {
        webhook.parse(body);
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(WebhookBodyError);
    expect(error).toMatchObject({ code: "webhook:body-invalid" });
    expect((error as Error).message).not.toContain("hi");
  });
});

import { describe, expect, it } from "vitest";
import { WebhookBodyError } from "../../../src/channels/webhook-body-error.ts";
import { renderZaloOaMessage } from "../../../src/channels/zalo-oa/zalo-oa-render.ts";
import { createZaloOaWebhook, isUnfollow } from "../../../src/channels/zalo-oa/zalo-oa-webhook.ts";
import { createTestClock } from "../../support/test-clock.ts";
import { fakeApp, signZaloOaEvent } from "./fake-zalo-oa-platform.ts";

const webhook = createZaloOaWebhook({ appId: fakeApp.appId, oaId: fakeApp.oaId, oaSecretKey: fakeApp.oaSecretKey });
const userId = "2468458835296197922";

/** Event bodies in the documented shapes (docs/zalo-platform.md §2.6), as the raw text Zalo posts. */
const fixtures = {
  text: `{"app_id":"${fakeApp.appId}","sender":{"id":"${userId}"},"recipient":{"id":"${fakeApp.oaId}"},"user_id_by_app":"552177279717587730","event_name":"user_send_text","message":{"text":"xin chào","msg_id":"96d3cdf3af150460909"},"timestamp":"1767600000000"}`,
  echo: `{"app_id":"${fakeApp.appId}","sender":{"id":"${fakeApp.oaId}"},"recipient":{"id":"${userId}"},"event_name":"oa_send_text","message":{"text":"Chào bạn","msg_id":"a1"},"timestamp":"1767600000001"}`,
  unfollow: `{"oa_id":"${fakeApp.oaId}","follower":{"id":"${userId}"},"user_id_by_app":"552177279717587730","event_name":"unfollow","source":"oa_profile","app_id":"${fakeApp.appId}","timestamp":"1767600000002"}`,
  follow: `{"oa_id":"${fakeApp.oaId}","follower":{"id":"${userId}"},"event_name":"follow","source":"oa_profile","app_id":"${fakeApp.appId}","timestamp":"1767600000003"}`,
  sticker: `{"app_id":"${fakeApp.appId}","sender":{"id":"${userId}"},"recipient":{"id":"${fakeApp.oaId}"},"event_name":"user_send_sticker","message":{"msg_id":"st1","attachments":[{"type":"sticker","payload":{"id":"1","url":"https://example.invalid/s.png"}}]},"timestamp":"1767600000004"}`,
  captionedImage: `{"app_id":"${fakeApp.appId}","sender":{"id":"${userId}"},"recipient":{"id":"${fakeApp.oaId}"},"event_name":"user_send_image","message":{"msg_id":"im1","text":"ảnh giấy khám","attachments":[{"type":"image","payload":{"url":"https://example.invalid/a.jpg","thumbnail":"https://example.invalid/t.jpg"}}]},"timestamp":"1767600000005"}`,
  unknown: `{"app_id":"${fakeApp.appId}","sender":{"id":"${userId}"},"event_name":"user_reacted_message","timestamp":"1767600000006"}`,
};

const textWith = (text: string, msgId = "m1") =>
  JSON.stringify({ app_id: fakeApp.appId, sender: { id: userId }, recipient: { id: fakeApp.oaId }, event_name: "user_send_text", message: { text, msg_id: msgId }, timestamp: "1767600000000" });

const request = (rawBody: string, signature: string | undefined) => ({
  headers: signature === undefined ? {} : { "x-zevent-signature": signature },
  rawBody: Buffer.from(rawBody, "utf8"),
});

describe("zalo-oa webhook signature", () => {
  it("accepts mac=SHA-256(appId + raw body + timestamp + OA secret key)", () => {
    expect(webhook.verify(request(fixtures.text, signZaloOaEvent(fixtures.text, { first: fakeApp.appId })))).toBe(true);
  });

  it("accepts the other documented first term, the OA id", () => {
    expect(webhook.verify(request(fixtures.text, signZaloOaEvent(fixtures.text, { first: fakeApp.oaId })))).toBe(true);
  });

  it("accepts the hex without the mac= prefix and in upper case", () => {
    const hex = signZaloOaEvent(fixtures.text, { first: fakeApp.appId }).slice("mac=".length);
    expect(webhook.verify(request(fixtures.text, hex.toUpperCase()))).toBe(true);
  });

  it("accepts a numeric timestamp, hashed as its digits", () => {
    const body = fixtures.text.replace('"timestamp":"1767600000000"', '"timestamp":1767600000000');
    expect(webhook.verify(request(body, signZaloOaEvent(body, { first: fakeApp.appId })))).toBe(true);
  });

  it("refuses a missing, empty or malformed header", () => {
    expect(webhook.verify(request(fixtures.text, undefined))).toBe(false);
    expect(webhook.verify(request(fixtures.text, ""))).toBe(false);
    expect(webhook.verify(request(fixtures.text, "mac=zz"))).toBe(false);
  });

  it("refuses a signature made with another secret (the App Secret) or another first term", () => {
    expect(webhook.verify(request(fixtures.text, signZaloOaEvent(fixtures.text, { first: fakeApp.appId, oaSecretKey: fakeApp.appSecret })))).toBe(false);
    expect(webhook.verify(request(fixtures.text, signZaloOaEvent(fixtures.text, { first: userId })))).toBe(false);
  });

  it("refuses a tampered body, and a body re-serialised after signing", () => {
    const signature = signZaloOaEvent(fixtures.text, { first: fakeApp.appId });
    expect(webhook.verify(request(fixtures.text.replace("xin chào", "xin chao"), signature))).toBe(false);
    expect(webhook.verify(request(fixtures.text.replace("1767600000000", "1767600000009"), signature))).toBe(false);
    const spaced = JSON.stringify(JSON.parse(fixtures.text), null, 1);
    expect(webhook.verify(request(spaced, signature))).toBe(false);
  });

  it("refuses a body for another app, even when correctly signed", () => {
    const body = fixtures.text.replace(`"app_id":"${fakeApp.appId}"`, '"app_id":"111"');
    expect(webhook.verify(request(body, signZaloOaEvent(body, { first: fakeApp.oaId })))).toBe(false);
  });

  it("refuses a body that is not JSON or has no timestamp", () => {
    expect(webhook.verify(request("not json", "mac=" + "0".repeat(64)))).toBe(false);
    const body = `{"event_name":"user_send_text"}`;
    expect(webhook.verify(request(body, `mac=${"0".repeat(64)}`))).toBe(false);
  });

  it("refuses events older than maxEventAgeMs when a replay window is set", () => {
    const clock = createTestClock(new Date(1767600000000 + 10 * 60_000).toISOString());
    const strict = createZaloOaWebhook({ ...fakeApp, maxEventAgeMs: 5 * 60_000, now: clock.now });
    const signed = request(fixtures.text, signZaloOaEvent(fixtures.text, { first: fakeApp.appId }));
    expect(strict.verify(signed)).toBe(false);
    clock.advance(-6 * 60_000);
    expect(strict.verify(signed)).toBe(true);
  });
});

describe("zalo-oa webhook parse", () => {
  const parse = (raw: string) => webhook.parse(JSON.parse(raw));

  it("routes POST /webhooks/zalo-oa for the zalo-oa channel", () => {
    expect([webhook.channel, webhook.route]).toEqual(["zalo-oa", "zalo-oa"]);
  });

  it("turns her text into a text update keyed by msg_id, her user id kept as a string", () => {
    expect(parse(fixtures.text)).toEqual({
      updates: [{ channel: "zalo-oa", externalId: "96d3cdf3af150460909", channelUserId: userId, message: { kind: "text", text: "xin chào" } }],
    });
  });

  it("turns a tap on one of Loa's buttons into the choice it carries", () => {
    const [rendered] = renderZaloOaMessage({
      text: "Chọn",
      contentKeys: ["home:menu"],
      locale: "vi",
      nodeId: "home/menu",
      options: [
        { id: "1", label: "Tảo hôn" },
        { id: "violence", label: "Bạo lực gia đình" },
      ],
    });
    const payload = rendered?.attachment?.payload.buttons[1]?.payload ?? "";
    expect(parse(textWith(payload, "m7")).updates).toEqual([
      { channel: "zalo-oa", externalId: "m7", channelUserId: userId, message: { kind: "choice", optionId: "violence", nodeId: "home/menu" } },
    ]);
  });

  it("decodes a button of a message without a node as a choice without nodeId", () => {
    const [rendered] = renderZaloOaMessage({ text: "Chọn", contentKeys: ["k:a"], locale: "vi", options: [{ id: "2", label: "Có" }] });
    const payload = rendered?.attachment?.payload.buttons[0]?.payload ?? "";
    expect(parse(textWith(payload)).updates[0]?.message).toEqual({ kind: "choice", optionId: "2" });
  });

  it("keeps text that only looks like a payload as text", () => {
    expect(parse(textWith("#loa:1:home/menu:bad id")).updates[0]?.message).toEqual({ kind: "text", text: "#loa:1:home/menu:bad id" });
  });

  it("ignores the OA's echoes and its own messages", () => {
    expect(parse(fixtures.echo)).toEqual({ updates: [], ignored: expect.stringContaining("oa_send_text") });
    const own = fixtures.text.replace(`"sender":{"id":"${userId}"}`, `"sender":{"id":"${fakeApp.oaId}"}`);
    expect(parse(own)).toEqual({ updates: [], ignored: expect.stringContaining("own message") });
  });

  it("turns an unfollow into a blocked input, and isUnfollow recognises it", () => {
    expect(parse(fixtures.unfollow)).toEqual({
      updates: [{ channel: "zalo-oa", externalId: `unfollow:${userId}:1767600000002`, channelUserId: userId, message: { kind: "blocked" } }],
    });
    const body: unknown = JSON.parse(fixtures.unfollow);
    expect(isUnfollow(body)).toBe(true);
    if (isUnfollow(body)) expect(body.follower.id).toBe(userId);
    expect(isUnfollow(JSON.parse(fixtures.follow))).toBe(false);
    expect(isUnfollow(JSON.parse(fixtures.text))).toBe(false);
  });

  it("accepts user_unfollow as an unfollow too", () => {
    const body = fixtures.unfollow.replace('"event_name":"unfollow"', '"event_name":"user_unfollow"');
    expect(parse(body).updates[0]?.message).toEqual({ kind: "blocked" });
    expect(isUnfollow(JSON.parse(body))).toBe(true);
  });

  it("ignores unknown and unhandled events, naming them", () => {
    expect(parse(fixtures.unknown)).toEqual({ updates: [], ignored: expect.stringContaining("user_reacted_message") });
    expect(parse(fixtures.follow)).toEqual({ updates: [], ignored: expect.stringContaining("follow") });
    expect(webhook.parse({ event_name: "something_new_2027", timestamp: "1" })).toEqual({ updates: [], ignored: expect.stringContaining("something_new_2027") });
  });

  it("ignores a message without text, and takes an image caption as text", () => {
    expect(parse(fixtures.sticker)).toEqual({ updates: [], ignored: expect.stringContaining("user_send_sticker") });
    expect(parse(fixtures.captionedImage).updates).toEqual([
      { channel: "zalo-oa", externalId: "im1", channelUserId: userId, message: { kind: "text", text: "ảnh giấy khám" } },
    ]);
  });

  it.each([
    ["not an object", "hello"],
    ["null", null],
    ["no event_name", { sender: { id: userId } }],
    ["event_name not a string", { event_name: 5 }],
    ["text without msg_id", { event_name: "user_send_text", sender: { id: userId }, message: { text: "x" }, timestamp: "1" }],
    ["text without sender", { event_name: "user_send_text", message: { text: "x", msg_id: "m" }, timestamp: "1" }],
    ["numeric user id (loses digits)", { event_name: "user_send_text", sender: { id: 2468458835296197922 }, message: { text: "x", msg_id: "m" }, timestamp: "1" }],
    ["unfollow without follower", { event_name: "unfollow", oa_id: fakeApp.oaId, timestamp: "1" }],
  ])("throws WebhookBodyError for a malformed body: %s", (_name, body) => {
    expect(() => webhook.parse(body)).toThrow(WebhookBodyError);
  });
});

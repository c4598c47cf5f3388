import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ChannelSendError } from "../../../src/channels/channel-adapter.ts";
import type { OutboundMessage } from "../../../src/channels/outbound-message.ts";
import { createZaloOaAdapter, type ZaloOaAdapterOptions } from "../../../src/channels/zalo-oa/zalo-oa-adapter.ts";
import { decodeButtonPayload } from "../../../src/channels/zalo-oa/zalo-oa-button-payload.ts";
import { zaloOaMaxImageBytes } from "../../../src/channels/zalo-oa/zalo-oa-render.ts";
import { createLogCapture } from "../../support/log-capture.ts";
import { createTestClock } from "../../support/test-clock.ts";
import { defineChannelContract } from "../channel-contract.ts";
import { fakeAppAdapterOptions, startFakeZaloOaPlatform, type FakeZaloOaPlatform } from "./fake-zalo-oa-platform.ts";
import { createInMemoryTokenStore } from "./in-memory-token-store.ts";

function adapterFor(platform: FakeZaloOaPlatform, overrides: Partial<ZaloOaAdapterOptions> = {}) {
  const clock = createTestClock("2026-01-05T08:00:45.500Z");
  const tokens = createInMemoryTokenStore();
  const adapter = createZaloOaAdapter({
    ...fakeAppAdapterOptions(platform, tokens.store, clock.now),
    ...overrides,
  });
  return { adapter, clock, tokens };
}

defineChannelContract("zalo-oa", async () => {
  const platform = await startFakeZaloOaPlatform();
  return {
    adapter: adapterFor(platform).adapter,
    received: async () => platform.received(),
    deliversOnce: false,
    close: platform.close,
  };
});

const to = { channel: "zalo-oa", channelUserId: "2468458835296197922" };

const menu = (count: number, extra: Partial<OutboundMessage> = {}): OutboundMessage => ({
  text: "Bạn muốn tìm hiểu gì?",
  contentKeys: ["home:menu"],
  locale: "vi",
  options: Array.from({ length: count }, (_, index) => ({ id: `opt-${index + 1}`, label: `Chủ đề ${index + 1}` })),
  nodeId: "home/menu",
  ...extra,
});

/** The thrown error, or a failure when the promise resolved. */
async function rejection(promise: Promise<unknown>): Promise<ChannelSendError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof ChannelSendError)) throw new Error(`expected a ChannelSendError, got ${String(error)}`);
  return error;
}

describe("zalo-oa adapter", () => {
  let platform: FakeZaloOaPlatform;

  beforeEach(async () => {
    platform = await startFakeZaloOaPlatform();
  });
  afterEach(async () => {
    await platform.close();
  });

  it("sends a consultation message with the access token header, as JSON, to the user id kept as a string", async () => {
    const { adapter } = adapterFor(platform);
    const receipt = await adapter.send(to, { text: "Xin chào", contentKeys: ["common:welcome"], locale: "vi" }, { idempotencyKey: "1" });
    const [send] = platform.delivered();
    expect(send?.accessToken).toBe("ACCESS-TOKEN-1-s3cr3t");
    expect(send?.contentType).toMatch(/^application\/json/);
    expect(send?.userId).toBe("2468458835296197922");
    expect(send?.message).toEqual({ text: "Xin chào" });
    expect(receipt.externalMessageId).toBe("msg1");
  });

  it("shows up to 5 options as hidden-query buttons whose payload carries the node and option", async () => {
    const { adapter } = adapterFor(platform);
    await adapter.send(to, menu(5), { idempotencyKey: "1" });
    const [send] = platform.delivered();
    expect(send?.message.text).toBe("Bạn muốn tìm hiểu gì?");
    const buttons = send?.message.attachment?.payload.buttons ?? [];
    expect(send?.message.attachment?.type).toBe("template");
    expect(buttons.map((button) => button.title)).toEqual(["Chủ đề 1", "Chủ đề 2", "Chủ đề 3", "Chủ đề 4", "Chủ đề 5"]);
    expect(buttons.every((button) => button.type === "oa.query.hide")).toBe(true);
    expect(buttons.map((button) => decodeButtonPayload(String(button.payload)))).toEqual(
      [1, 2, 3, 4, 5].map((n) => ({ optionId: `opt-${n}`, nodeId: "home/menu" })),
    );
  });

  it("shows 6 or more options as a numbered list, without buttons", async () => {
    const { adapter } = adapterFor(platform);
    await adapter.send(to, menu(6), { idempotencyKey: "1" });
    const [send] = platform.delivered();
    expect(send?.message.attachment).toBeUndefined();
    expect(send?.message.text).toBe(`Bạn muốn tìm hiểu gì?\n\n${[1, 2, 3, 4, 5, 6].map((n) => `${n}. Chủ đề ${n}`).join("\n")}`);
  });

  it("splits long text at 2,000 characters in NFC and puts the buttons under the last part", async () => {
    const { adapter } = adapterFor(platform);
    const sentence = "Người phụ nữ có quyền được bảo vệ. ".normalize("NFD");
    await adapter.send(to, menu(2, { text: sentence.repeat(120) }), { idempotencyKey: "1" });
    const sends = platform.delivered();
    expect(sends.length).toBe(3);
    expect(sends.every((send) => (send.message.text ?? "").length <= 2000)).toBe(true);
    expect(sends.every((send) => send.message.text === send.message.text?.normalize("NFC"))).toBe(true);
    expect(sends.map((send) => send.message.attachment?.payload.buttons?.length)).toEqual([undefined, undefined, 2]);
  });

  it("on a partial failure, a retry with the same key sends only the parts not yet delivered", async () => {
    const { adapter } = adapterFor(platform);
    const long = { text: "Một câu. ".repeat(500), contentKeys: ["common:long"], locale: "vi" };
    platform.deliverNext();
    platform.failNext("http500");
    const error = await rejection(adapter.send(to, long, { idempotencyKey: "9" }));
    expect(error.kind).toBe("transient");
    await adapter.send(to, long, { idempotencyKey: "9" });
    const answered = platform.sends.map((send) => send.answered);
    expect(answered).toEqual([0, "http500", 0, 0]);
    const texts = platform.sends.filter((send) => send.answered === 0).map((send) => send.message.text ?? "");
    expect(texts.join(" ").replace(/\s+/g, " ")).toBe(long.text.trim());
  });

  it("-216 (invalid token): refreshes once and sends once more", async () => {
    const { adapter } = adapterFor(platform);
    await adapter.send(to, { text: "một", contentKeys: ["k:a"], locale: "vi" }, { idempotencyKey: "1" });
    platform.failNext(-216);
    await adapter.send(to, { text: "hai", contentKeys: ["k:a"], locale: "vi" }, { idempotencyKey: "2" });
    expect(platform.oauthCalls.length).toBe(2);
    expect(platform.sends.map((send) => [send.message.text, send.accessToken, send.answered])).toEqual([
      ["một", "ACCESS-TOKEN-1-s3cr3t", 0],
      ["hai", "ACCESS-TOKEN-1-s3cr3t", -216],
      ["hai", "ACCESS-TOKEN-2-s3cr3t", 0],
    ]);
  });

  it("-220 (expired token): refreshes once and sends once more; a second rejection is not retried again", async () => {
    const { adapter } = adapterFor(platform);
    await adapter.send(to, { text: "một", contentKeys: ["k:a"], locale: "vi" }, { idempotencyKey: "1" });
    platform.expireAccessTokens();
    await adapter.send(to, { text: "hai", contentKeys: ["k:a"], locale: "vi" }, { idempotencyKey: "2" });
    expect(platform.sends.map((send) => send.answered)).toEqual([0, -220, 0]);
    platform.failNext(-220, 2);
    const error = await rejection(adapter.send(to, { text: "ba", contentKeys: ["k:a"], locale: "vi" }, { idempotencyKey: "3" }));
    expect(error.kind).toBe("transient");
    expect(platform.oauthCalls.length).toBe(3);
    expect(platform.sends.length).toBe(5);
  });

  it("-32 (call limit): rate-limited until the next minute by the injected clock", async () => {
    const { adapter, clock } = adapterFor(platform);
    platform.failNext(-32);
    const error = await rejection(adapter.send(to, { text: "x", contentKeys: ["k:a"], locale: "vi" }, { idempotencyKey: "1" }));
    expect(error.kind).toBe("rate_limited");
    expect(error.retryAfterSeconds).toBe(15); // 08:00:45.5 → 08:01:00
    clock.advance(14_000);
    platform.failNext(-32);
    const later = await rejection(adapter.send(to, { text: "x", contentKeys: ["k:a"], locale: "vi" }, { idempotencyKey: "1" }));
    expect(later.retryAfterSeconds).toBe(1);
  });

  it.each([
    [-213, "blocked", "channel:blocked"],
    [-217, "blocked", "channel:blocked"],
    [-227, "permanent", "channel:permanent"],
    [-230, "permanent", "channel:window_closed"],
    [-232, "permanent", "channel:window_closed"],
    [-201, "permanent", "channel:permanent"],
    [-218, "transient", "channel:transient"],
    [-9999, "transient", "channel:transient"],
    ["http500", "transient", "channel:transient"],
  ] as const)("Zalo's %s is %s (%s)", async (failure, kind, code) => {
    const { adapter } = adapterFor(platform);
    platform.failNext(failure);
    const error = await rejection(adapter.send(to, { text: "x", contentKeys: ["k:a"], locale: "vi" }, { idempotencyKey: "1" }));
    expect(error.kind).toBe(kind);
    expect(error.code).toBe(code);
    if (typeof failure === "number") expect(error.context.zaloError).toBe(failure);
    expect(platform.sends.length).toBe(1);
  });

  it("a send to an address nothing answers at is transient", async () => {
    const { adapter } = adapterFor(platform, { apiRoot: "http://127.0.0.1:9" });
    const error = await rejection(adapter.send(to, { text: "x", contentKeys: ["k:a"], locale: "vi" }, { idempotencyKey: "1" }));
    expect(error.kind).toBe("transient");
  });

  describe("pictures and voice notes", () => {
    const signedQuery = "sig=SIGNED-query-oa77";
    const jpeg = { kind: "image", url: `https://cdn.example.org/loa/tao-hon.jpg?${signedQuery}`, mimeType: "image/jpeg" } as const;
    const png = { kind: "image", url: "https://cdn.example.org/loa/sinh-con.png", mimeType: "image/png", bytes: zaloOaMaxImageBytes } as const;
    const withMedia = (media: NonNullable<OutboundMessage["media"]>, extra: Partial<OutboundMessage> = {}): OutboundMessage => ({ ...menu(2, extra), media });
    const imageMessage = (url: string) => ({
      attachment: { type: "template", payload: { template_type: "media", elements: [{ media_type: "image", url }] } },
    });

    it("sends jpg and png pictures first, each in the media template without a caption, then the text with its buttons", async () => {
      const { adapter } = adapterFor(platform);
      const receipt = await adapter.send(to, withMedia([jpeg, png]), { idempotencyKey: "1" });
      const sends = platform.delivered();
      expect(sends.map((send) => send.message)).toEqual([
        imageMessage(jpeg.url),
        imageMessage(png.url),
        { text: "Bạn muốn tìm hiểu gì?", attachment: { type: "template", payload: { buttons: expect.any(Array) } } },
      ]);
      expect(sends.every((send) => send.userId === to.channelUserId && send.accessToken === "ACCESS-TOKEN-1-s3cr3t")).toBe(true);
      expect(sends[2]?.message.attachment?.payload.buttons?.map((button) => button.title)).toEqual(["Chủ đề 1", "Chủ đề 2"]);
      expect(platform.images()).toEqual([jpeg.url, png.url].map((url) => ({ userId: to.channelUserId, url })));
      expect(receipt.externalMessageId).toBe("msg3");
    });

    it("skips voice notes, pictures over 1 MB and pictures that are not jpg or png, logs each at info without its URL, and sends the rest", async () => {
      const { lines, logger } = createLogCapture();
      const { adapter } = adapterFor(platform, { logger });
      const voice = { kind: "voice", url: `https://cdn.example.org/loa/a.aac?${signedQuery}`, mimeType: "audio/aac" } as const;
      const large = { ...png, url: `https://cdn.example.org/loa/large.png?${signedQuery}`, bytes: zaloOaMaxImageBytes + 1 };
      const gif = { kind: "image", url: `https://cdn.example.org/loa/a.gif?${signedQuery}`, mimeType: "image/gif" } as const;
      await adapter.send(to, withMedia([voice, large, gif, png]), { idempotencyKey: "1" });
      expect(platform.sends.map((send) => send.message.attachment?.payload.template_type ?? send.message.text)).toEqual(["media", "Bạn muốn tìm hiểu gì?"]);
      expect(platform.images()).toEqual([{ userId: to.channelUserId, url: png.url }]);
      const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.reason !== undefined);
      expect(logged).toEqual([
        expect.objectContaining({ level: 30, channel: "zalo-oa", kind: "voice", mimeType: "audio/aac", reason: "voice_not_supported", contentKeys: ["home:menu"] }),
        expect.objectContaining({ level: 30, channel: "zalo-oa", kind: "image", mimeType: "image/png", bytes: zaloOaMaxImageBytes + 1, reason: "image_over_1mb" }),
        expect.objectContaining({ level: 30, channel: "zalo-oa", kind: "image", mimeType: "image/gif", reason: "image_not_jpeg_or_png" }),
      ]);
      for (const secret of [signedQuery, "cdn.example.org", to.channelUserId, "ACCESS-TOKEN", "Bạn muốn"]) expect(lines.join("\n")).not.toContain(secret);
    });

    it.each([
      [-213, "blocked", "channel:blocked"],
      [-201, "permanent", "channel:permanent"],
      [-230, "permanent", "channel:window_closed"],
      [-32, "rate_limited", "channel:rate_limited"],
      ["http500", "transient", "channel:transient"],
    ] as const)("maps Zalo's %s on a picture to %s (%s), as for text, and sends nothing after it", async (failure, kind, code) => {
      const { adapter } = adapterFor(platform);
      platform.failNext(failure);
      const error = await rejection(adapter.send(to, withMedia([jpeg]), { idempotencyKey: "1" }));
      expect(error.kind).toBe(kind);
      expect(error.code).toBe(code);
      expect(platform.sends.map((send) => send.message.attachment?.payload.template_type)).toEqual(["media"]);
    });

    it("refreshes a rejected token on a picture and sends that picture once more, then the text", async () => {
      const { adapter } = adapterFor(platform);
      platform.failNext(-216);
      await adapter.send(to, withMedia([jpeg]), { idempotencyKey: "1" });
      expect(platform.sends.map((send) => [send.message.attachment?.payload.template_type ?? "text", send.answered])).toEqual([
        ["media", -216],
        ["media", 0],
        ["text", 0],
      ]);
    });

    it("does not send the picture again when a retry follows a failed last text part", async () => {
      const { adapter } = adapterFor(platform);
      const message = withMedia([jpeg, png]);
      platform.deliverNext(2);
      platform.failNext("http500");
      expect((await rejection(adapter.send(to, message, { idempotencyKey: "9" }))).kind).toBe("transient");
      const receipt = await adapter.send(to, message, { idempotencyKey: "9" });
      expect(platform.sends.map((send) => [send.message.attachment?.payload.template_type ?? "text", send.answered])).toEqual([
        ["media", 0],
        ["media", 0],
        ["text", "http500"],
        ["text", 0],
      ]);
      expect(platform.images()).toHaveLength(2);
      expect(receipt.externalMessageId).toBe("msg3");
    });
  });

  describe("the 7-day window", () => {
    const day = 24 * 60 * 60 * 1000;

    it("is refused without calling Zalo when her last interaction is more than 7 days old", async () => {
      const clock = createTestClock("2026-01-20T08:00:00.000Z");
      const asked: string[] = [];
      const { adapter } = adapterFor(platform, {
        now: clock.now,
        lastInboundAt: async (userId) => {
          asked.push(userId);
          return new Date(clock.now().getTime() - 7 * day - 1000);
        },
      });
      const error = await rejection(adapter.send(to, { text: "x", contentKeys: ["k:a"], locale: "vi" }, { idempotencyKey: "1" }));
      expect(error.kind).toBe("permanent");
      expect(error.code).toBe("channel:window_closed");
      expect(asked).toEqual([to.channelUserId]);
      expect(platform.sends.length).toBe(0);
      expect(platform.oauthCalls.length).toBe(0);
    });

    it("sends within 7 days, and when the last interaction is unknown", async () => {
      const clock = createTestClock("2026-01-20T08:00:00.000Z");
      let last: Date | null = new Date(clock.now().getTime() - 7 * day + 60_000);
      const { adapter } = adapterFor(platform, { now: clock.now, lastInboundAt: async () => last });
      await adapter.send(to, { text: "x", contentKeys: ["k:a"], locale: "vi" }, { idempotencyKey: "1" });
      last = null;
      await adapter.send(to, { text: "y", contentKeys: ["k:a"], locale: "vi" }, { idempotencyKey: "2" });
      expect(platform.delivered().map((send) => send.message.text)).toEqual(["x", "y"]);
    });
  });
});

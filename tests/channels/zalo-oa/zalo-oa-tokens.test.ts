import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ChannelSendError } from "../../../src/channels/channel-adapter.ts";
import type { OutboundMessage } from "../../../src/channels/outbound-message.ts";
import { createZaloOaAdapter } from "../../../src/channels/zalo-oa/zalo-oa-adapter.ts";
import type { ZaloOaTokens } from "../../../src/channels/zalo-oa/zalo-oa-tokens.ts";
import { createTestClock } from "../../support/test-clock.ts";
import { fakeApp, fakeAppAdapterOptions, startFakeZaloOaPlatform, type FakeZaloOaPlatform } from "./fake-zalo-oa-platform.ts";
import { createInMemoryTokenStore } from "./in-memory-token-store.ts";

const hour = 60 * 60 * 1000;
const to = { channel: "zalo-oa", channelUserId: "2468458835296197922" };
const message = (text: string): OutboundMessage => ({ text, contentKeys: ["common:welcome"], locale: "vi" });

describe("zalo-oa access tokens", () => {
  let platform: FakeZaloOaPlatform;
  let log: string[];
  let clock: ReturnType<typeof createTestClock>;

  beforeEach(async () => {
    platform = await startFakeZaloOaPlatform();
    log = [];
    clock = createTestClock("2026-01-05T08:00:00.000Z");
    platform.settings.onOauthCall = (refreshToken) => log.push(`oauth ${refreshToken}`);
    platform.settings.onSend = (accessToken) => log.push(`send ${accessToken}`);
  });
  afterEach(async () => {
    await platform.close();
  });

  function adapterWith(tokens: ReturnType<typeof createInMemoryTokenStore>) {
    return createZaloOaAdapter({
      ...fakeAppAdapterOptions(platform, tokens.store, clock.now),
    });
  }

  it("starts from the configured refresh token, in the documented request format, and saves the pair before using it", async () => {
    const tokens = createInMemoryTokenStore(null, log);
    await adapterWith(tokens).send(to, message("a"), { idempotencyKey: "1" });
    expect(platform.oauthCalls).toEqual([
      {
        secretKey: fakeApp.appSecret,
        contentType: "application/x-www-form-urlencoded",
        appId: fakeApp.appId,
        grantType: "refresh_token",
        refreshToken: fakeApp.initialRefreshToken,
        answered: "rotated",
      },
    ]);
    expect(log).toEqual(["oauth REFRESH-TOKEN-0-initial", "save REFRESH-TOKEN-1-s3cr3t", "send ACCESS-TOKEN-1-s3cr3t"]);
    expect(tokens.current()?.expiresAt).toEqual(new Date(clock.now().getTime() + 90_000 * 1000));
  });

  it("refreshes before expiry once for N concurrent senders, and saves each new refresh token before the OAuth call that spends it", async () => {
    const tokens = createInMemoryTokenStore(null, log);
    const adapter = adapterWith(tokens);
    await adapter.send(to, message("first"), { idempotencyKey: "0" });

    clock.advance(20 * hour + 60_000); // 25 h tokens are refreshed once less than 5 h remain
    await Promise.all(Array.from({ length: 10 }, (_, i) => adapter.send(to, message(`m${i}`), { idempotencyKey: String(i + 1) })));
    expect(platform.oauthCalls.length).toBe(2);

    clock.advance(20 * hour + 60_000);
    await adapter.send(to, message("later"), { idempotencyKey: "11" });

    expect(log).toEqual([
      "oauth REFRESH-TOKEN-0-initial",
      "save REFRESH-TOKEN-1-s3cr3t",
      "send ACCESS-TOKEN-1-s3cr3t",
      "oauth REFRESH-TOKEN-1-s3cr3t",
      "save REFRESH-TOKEN-2-s3cr3t",
      ...Array.from({ length: 10 }, () => "send ACCESS-TOKEN-2-s3cr3t"),
      "oauth REFRESH-TOKEN-2-s3cr3t",
      "save REFRESH-TOKEN-3-s3cr3t",
      "send ACCESS-TOKEN-3-s3cr3t",
    ]);
    expect(platform.sends.every((send) => send.answered === 0)).toBe(true);
  });

  it("does not refresh while the token is far from expiry", async () => {
    const adapter = adapterWith(createInMemoryTokenStore());
    await adapter.send(to, message("a"), { idempotencyKey: "1" });
    clock.advance(19 * hour);
    await adapter.send(to, message("b"), { idempotencyKey: "2" });
    expect(platform.oauthCalls.length).toBe(1);
  });

  it("senders rejected together with -216 share one refresh, and each retries once", async () => {
    const adapter = adapterWith(createInMemoryTokenStore());
    await adapter.send(to, message("warm-up"), { idempotencyKey: "0" });
    platform.failNext(-216, 5);
    await Promise.all(Array.from({ length: 5 }, (_, i) => adapter.send(to, message(`m${i}`), { idempotencyKey: String(i + 1) })));
    expect(platform.oauthCalls.length).toBe(2);
    expect(platform.sends.filter((send) => send.answered === -216).length).toBe(5);
    expect(platform.delivered().filter((send) => send.accessToken === "ACCESS-TOKEN-2-s3cr3t").length).toBe(5);
  });

  it("after a restart, uses the stored pair without calling OAuth, and refreshes with the stored refresh token, not the configured one", async () => {
    const stored: ZaloOaTokens = { accessToken: "ACCESS-TOKEN-stored", refreshToken: "REFRESH-TOKEN-stored", expiresAt: new Date(clock.now().getTime() + 10 * hour) };
    platform.acceptAccessToken("ACCESS-TOKEN-stored", "REFRESH-TOKEN-stored");
    const adapter = adapterWith(createInMemoryTokenStore(stored, log));
    await adapter.send(to, message("a"), { idempotencyKey: "1" });
    expect(platform.oauthCalls.length).toBe(0);
    clock.advance(6 * hour);
    await adapter.send(to, message("b"), { idempotencyKey: "2" });
    expect(log).toEqual(["send ACCESS-TOKEN-stored", "oauth REFRESH-TOKEN-stored", "save REFRESH-TOKEN-1-s3cr3t", "send ACCESS-TOKEN-1-s3cr3t"]);
  });

  it("adopts a pair another process sharing the store refreshed, instead of spending a used refresh token", async () => {
    const tokens = createInMemoryTokenStore(null, log);
    const first = adapterWith(tokens);
    const second = adapterWith(tokens);
    await first.send(to, message("a"), { idempotencyKey: "1" });
    await second.send(to, message("b"), { idempotencyKey: "2" });
    clock.advance(21 * hour);
    await first.send(to, message("c"), { idempotencyKey: "3" });
    await second.send(to, message("d"), { idempotencyKey: "4" });
    expect(platform.oauthCalls.map((call) => call.answered)).toEqual(["rotated", "rotated"]);
    expect(platform.delivered().map((send) => send.accessToken)).toEqual([
      "ACCESS-TOKEN-1-s3cr3t",
      "ACCESS-TOKEN-1-s3cr3t",
      "ACCESS-TOKEN-2-s3cr3t",
      "ACCESS-TOKEN-2-s3cr3t",
    ]);
  });

  it("when saving a refreshed pair fails, the send fails, and the held pair is saved before it is used (its refresh token is not spent twice)", async () => {
    const tokens = createInMemoryTokenStore(null, log);
    const adapter = adapterWith(tokens);
    tokens.failSaves(1);
    const error = await adapter.send(to, message("a"), { idempotencyKey: "1" }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ChannelSendError);
    expect((error as ChannelSendError).kind).toBe("transient");
    expect(platform.sends.length).toBe(0);
    await adapter.send(to, message("a"), { idempotencyKey: "1" });
    expect(log).toEqual(["oauth REFRESH-TOKEN-0-initial", "save REFRESH-TOKEN-1-s3cr3t", "send ACCESS-TOKEN-1-s3cr3t"]);
  });

  it("when an early refresh fails, keeps sending with the still-valid token and tries again a minute later; once expired, sends fail as transient", async () => {
    const adapter = adapterWith(createInMemoryTokenStore());
    await adapter.send(to, message("a"), { idempotencyKey: "1" });
    platform.settings.refuseOauth = true;
    clock.advance(21 * hour);
    await adapter.send(to, message("b"), { idempotencyKey: "2" });
    await adapter.send(to, message("c"), { idempotencyKey: "3" });
    // the stored refresh token, then (once per process) the configured one
    expect(platform.oauthCalls.map((call) => call.answered)).toEqual(["rotated", "refused", "refused"]);
    clock.advance(61_000);
    await adapter.send(to, message("d"), { idempotencyKey: "4" });
    expect(platform.oauthCalls.length).toBe(4);
    expect(platform.delivered().map((send) => send.message.text)).toEqual(["a", "b", "c", "d"]);

    clock.advance(4 * hour);
    const error = await adapter.send(to, message("e"), { idempotencyKey: "5" }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ChannelSendError);
    expect((error as ChannelSendError).kind).toBe("transient");
    expect(platform.sends.length).toBe(4);
  });
});

describe("zalo-oa access tokens after a refusal", () => {
  let platform: FakeZaloOaPlatform;
  const clock = createTestClock("2026-01-05T08:00:00.000Z");

  beforeEach(async () => {
    platform = await startFakeZaloOaPlatform();
  });
  afterEach(async () => {
    await platform.close();
  });

  function adapterWith(tokens: ReturnType<typeof createInMemoryTokenStore>, initialRefreshToken: string) {
    return createZaloOaAdapter({
      ...fakeAppAdapterOptions(platform, tokens.store, clock.now, initialRefreshToken),
    });
  }

  it("uses a newly configured refresh token once Zalo refuses the stored one (an admin consented again)", async () => {
    const dead: ZaloOaTokens = { accessToken: "ACCESS-TOKEN-dead", refreshToken: "REFRESH-TOKEN-dead", expiresAt: new Date(clock.now().getTime() - 1000) };
    const tokens = createInMemoryTokenStore(dead);
    await adapterWith(tokens, fakeApp.initialRefreshToken).send(to, message("a"), { idempotencyKey: "1" });
    expect(platform.oauthCalls.map((call) => [call.refreshToken, call.answered])).toEqual([
      ["REFRESH-TOKEN-dead", "refused"],
      [fakeApp.initialRefreshToken, "rotated"],
    ]);
    expect(tokens.current()?.refreshToken).toBe("REFRESH-TOKEN-1-s3cr3t");
  });

  it("after a refused refresh, does not call OAuth again for a minute; sends fail as transient meanwhile", async () => {
    const dead: ZaloOaTokens = { accessToken: "ACCESS-TOKEN-dead", refreshToken: "REFRESH-TOKEN-dead", expiresAt: new Date(clock.now().getTime() - 1000) };
    const adapter = adapterWith(createInMemoryTokenStore(dead), "REFRESH-TOKEN-also-dead");
    for (const key of ["1", "2", "3"]) {
      const error = await adapter.send(to, message("a"), { idempotencyKey: key }).catch((thrown: unknown) => thrown);
      expect((error as ChannelSendError).kind).toBe("transient");
    }
    expect(platform.oauthCalls.map((call) => call.refreshToken)).toEqual(["REFRESH-TOKEN-dead", "REFRESH-TOKEN-also-dead"]);
    clock.advance(61_000);
    await adapter.send(to, message("a"), { idempotencyKey: "4" }).catch(() => undefined);
    expect(platform.oauthCalls.map((call) => call.refreshToken)).toEqual(["REFRESH-TOKEN-dead", "REFRESH-TOKEN-also-dead", "REFRESH-TOKEN-dead"]);
    expect(platform.sends.length).toBe(0);
  });
});

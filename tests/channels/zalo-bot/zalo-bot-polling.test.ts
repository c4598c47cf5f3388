import axios from "axios";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startZaloBotPolling, type ZaloBotPolling, type ZaloBotPollingOptions } from "../../../src/channels/zalo-bot/zalo-bot-polling.ts";
import type { InboundUpdate } from "../../../src/conversation/inbound-message.ts";
import { createLogCapture } from "../../support/log-capture.ts";
import { startFakeZaloBotPlatform, zaloBotError, zaloBotErrors, type FakeZaloBotPlatform } from "./fake-zalo-bot-platform.ts";

const token = "1459232241:Zb-SECRET_token.value";
const userId = "6ede9afa66b88fe6d6a9";

const textUpdate = (messageId: string, text: string, chatType = "PRIVATE") => ({
  event_name: "message.text.received",
  message: {
    from: { id: userId, display_name: "Ted", is_bot: false },
    chat: { id: userId, chat_type: chatType },
    text,
    message_id: messageId,
    date: 1750316131602,
  },
});

describe("Zalo Bot polling", () => {
  let fake: FakeZaloBotPlatform;
  let polling: ZaloBotPolling | undefined;
  let accepted: InboundUpdate[];
  let logs: string[];

  const start = (options: Partial<ZaloBotPollingOptions> = {}) => {
    const capture = createLogCapture();
    logs = capture.lines;
    polling = startZaloBotPolling({
      token,
      apiRoot: fake.apiRoot,
      logger: capture.logger,
      pollTimeoutSeconds: 1,
      minIdleIntervalMs: 0,
      retryDelayMs: { base: 10, max: 50 },
      async accept(update) {
        accepted.push(update);
      },
      ...options,
    });
    return polling;
  };
  const methods = () => fake.calls.map((call) => call.method);

  beforeEach(async () => {
    fake = await startFakeZaloBotPlatform({ token, idleHoldMs: 20 });
    polling = undefined;
    accepted = [];
    logs = [];
  });
  afterEach(async () => {
    await polling?.stop();
    await fake.close();
    const logged = logs.join("");
    for (const secret of [token, userId, "Xin chào", "chồng tôi"]) expect(logged).not.toContain(secret);
  });

  it("deletes the webhook first, then polls getUpdates with the documented timeout parameter", async () => {
    start();
    await vi.waitFor(() => expect(methods().filter((method) => method === "getUpdates").length).toBeGreaterThanOrEqual(3));
    expect(methods()[0]).toBe("deleteWebhook");
    expect(methods().slice(1).every((method) => method === "getUpdates")).toBe(true);
    expect(fake.calls.slice(1).every((call) => JSON.stringify(call.body) === JSON.stringify({ timeout: "1" }))).toBe(true);
    expect(fake.calls.every((call) => call.token === token && call.httpMethod === "POST")).toBe(true);
  });

  it("delivers every text update once, in order, across idle polls; other updates are skipped", async () => {
    fake.queueUpdate(textUpdate("m1", "Xin chào"));
    fake.queueUpdate({ event_name: "message.image.received", message: {} });
    fake.queueUpdate(textUpdate("m2", "1"));
    fake.queueUpdate(textUpdate("g1", "@Bot", "GROUP"));
    fake.queueUpdate({ nonsense: true });
    fake.queueUpdate(textUpdate("m3", "chồng tôi"));
    start();
    await vi.waitFor(() => expect(accepted.length).toBe(3));
    const idleBefore = fake.calls.length;
    await vi.waitFor(() => expect(fake.calls.length).toBeGreaterThan(idleBefore + 2));
    fake.queueUpdate(textUpdate("m4", "2"));
    await vi.waitFor(() => expect(accepted.length).toBe(4));
    await polling?.stop();
    expect(accepted.map((update) => update.externalId)).toEqual(["m1", "m2", "m3", "m4"]);
    expect(accepted[0]).toEqual({ channel: "zalo-bot", externalId: "m1", channelUserId: userId, message: { kind: "text", text: "Xin chào" } });
    expect(logs.join("")).toContain("undocumented shape");
  });

  it("treats 408 as idle, in the HTTP status or in an HTTP 200 body, and polls again at once", async () => {
    fake.fail("getUpdates", zaloBotError(zaloBotErrors.timeout), zaloBotError(zaloBotErrors.timeout, { onHttp200: true }));
    fake.queueUpdate(textUpdate("m1", "Xin chào"));
    start({ retryDelayMs: { base: 60_000, max: 60_000 } });
    await vi.waitFor(() => expect(accepted.map((update) => update.externalId)).toEqual(["m1"]), { timeout: 3_000 });
    expect(logs.join("")).not.toContain("refused");
  });

  it("backs off and carries on after errors and an unreachable platform, logging them without the token", async () => {
    fake.fail("deleteWebhook", zaloBotError(zaloBotErrors.internal, { onHttp200: true }), { kind: "hang" });
    fake.fail("getUpdates", { kind: "raw", httpStatus: 500, body: "oops" }, zaloBotError(zaloBotErrors.unauthorized));
    fake.queueUpdate(textUpdate("m1", "Xin chào"));
    start({ http: axios.create({ timeout: 200 }) });
    await vi.waitFor(() => expect(accepted.map((update) => update.externalId)).toEqual(["m1"]), { timeout: 3_000 });
    expect(methods().slice(0, 4)).toEqual(["deleteWebhook", "deleteWebhook", "deleteWebhook", "getUpdates"]);
    const logged = logs.join("");
    expect(logged).toContain('"errorCode":401');
    expect(logged).toContain("zalo-bot:transport");
  });

  it("retries storing an update until it succeeds, so it is delivered once", async () => {
    let failures = 2;
    fake.queueUpdate(textUpdate("m1", "Xin chào"));
    fake.queueUpdate(textUpdate("m2", "1"));
    start({
      async accept(update) {
        if (update.externalId === "m1" && failures > 0) {
          failures -= 1;
          throw new Error("database is locked");
        }
        accepted.push(update);
      },
    });
    await vi.waitFor(() => expect(accepted.map((update) => update.externalId)).toEqual(["m1", "m2"]));
    expect(logs.join("").match(/storing a Zalo Bot update failed/g)?.length).toBe(2);
  });

  it("stops at once, even in the middle of a long poll, and calls nothing afterwards", async () => {
    await fake.close();
    fake = await startFakeZaloBotPlatform({ token, idleHoldMs: 30_000 });
    const running = start({ pollTimeoutSeconds: 30 });
    await vi.waitFor(() => expect(methods()).toContain("getUpdates"));
    const stoppedAt = Date.now();
    await running.stop();
    expect(Date.now() - stoppedAt).toBeLessThan(1_000);
    const calls = fake.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.calls.length).toBe(calls);
  });
});

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { OutboundMessage } from "../../../src/channels/outbound-message.ts";
import { createZaloOaAdapter, type ZaloOaAdapterOptions } from "../../../src/channels/zalo-oa/zalo-oa-adapter.ts";
import { loggableError } from "../../../src/logger.ts";
import { createLogCapture } from "../../support/log-capture.ts";
import { createTestClock } from "../../support/test-clock.ts";
import { fakeAppAdapterOptions, startFakeZaloOaPlatform, type FakeZaloOaPlatform } from "./fake-zalo-oa-platform.ts";
import { createInMemoryTokenStore } from "./in-memory-token-store.ts";

/** Every secret the fake hands out or the app is configured with looks like one of these. */
const secret = /ACCESS-TOKEN|REFRESH-TOKEN|APP-SECRET|OA-SECRET|s3cr3t/;

/** Everything an error could show: its text, stack, JSON, full inspection and log form, down its cause chain. */
function everythingShown(error: unknown): string {
  const shown: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 10; depth += 1) {
    shown.push(String(current), inspect(current, { depth: 20, showHidden: true }), JSON.stringify(current) ?? "", JSON.stringify(loggableError(current)));
    if (current instanceof Error) shown.push(current.stack ?? "");
    current = current instanceof Error ? current.cause : undefined;
  }
  return shown.join("\n");
}

const to = { channel: "zalo-oa", channelUserId: "2468458835296197922" };
const message = { text: "Xin chào", contentKeys: ["common:welcome"], locale: "vi" };

describe("zalo-oa errors and logs never show a token or secret", () => {
  let platform: FakeZaloOaPlatform;
  let hanging: Server;
  const clock = createTestClock("2026-01-05T08:00:00.000Z");
  const { lines: logLines, logger } = createLogCapture();

  beforeEach(async () => {
    platform = await startFakeZaloOaPlatform();
    hanging = createServer(() => undefined);
    await new Promise<void>((resolve) => hanging.listen(0, "127.0.0.1", resolve));
  });
  afterEach(async () => {
    await platform.close();
    hanging.closeAllConnections();
    await new Promise((resolve) => hanging.close(resolve));
  });

  const adapter = (overrides: Partial<ZaloOaAdapterOptions> = {}, tokens = createInMemoryTokenStore()) =>
    createZaloOaAdapter({
      ...fakeAppAdapterOptions(platform, tokens.store, clock.now),
      logger,
      ...overrides,
    });

  async function thrownBy(send: Promise<unknown>): Promise<unknown> {
    const error = await send.then(
      () => new Error("the send succeeded"),
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).not.toBe("the send succeeded");
    return error;
  }

  it("in every failure a send can meet", async () => {
    const hangingRoot = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
    const errors: unknown[] = [];
    // The API does not answer: refused, then timed out (the request, with its token header, was under way).
    errors.push(await thrownBy(adapter({ apiRoot: "http://127.0.0.1:9" }).send(to, message, { idempotencyKey: "1" })));
    errors.push(await thrownBy(adapter({ apiRoot: hangingRoot, timeoutMs: 200 }).send(to, message, { idempotencyKey: "1" })));
    // OAuth does not answer, or refuses.
    errors.push(await thrownBy(adapter({ oauthRoot: "http://127.0.0.1:9" }).send(to, message, { idempotencyKey: "1" })));
    errors.push(await thrownBy(adapter({ oauthRoot: hangingRoot, timeoutMs: 200 }).send(to, message, { idempotencyKey: "1" })));
    errors.push(await thrownBy(adapter({ appSecret: "APP-SECRET-wrong" }).send(to, message, { idempotencyKey: "1" })));
    // The API answers with errors.
    const working = adapter();
    for (const failure of [-216, -216, -32, -213, -230, "http500"] as const) platform.failNext(failure);
    errors.push(await thrownBy(working.send(to, message, { idempotencyKey: "1" }))); // -216, refresh, -216 again
    for (let i = 0; i < 4; i += 1) errors.push(await thrownBy(working.send(to, message, { idempotencyKey: "1" })));
    // Saving a refreshed pair fails.
    const failingStore = createInMemoryTokenStore();
    failingStore.failSaves(1);
    errors.push(await thrownBy(adapter({}, failingStore).send(to, message, { idempotencyKey: "1" })));

    expect(errors).toHaveLength(11);
    for (const error of errors) expect(everythingShown(error)).not.toMatch(secret);
  });

  it("in a failed picture send and in the line about a skipped voice note, which show no signed URL either", async () => {
    const signedQuery = "sig=SIGNED-query-oa99";
    const withPicture: OutboundMessage = {
      ...message,
      media: [
        { kind: "voice", url: `https://cdn.example.org/a.aac?${signedQuery}`, mimeType: "audio/aac" },
        { kind: "image", url: `https://cdn.example.org/a.png?${signedQuery}`, mimeType: "image/png" },
      ],
    };
    const hangingRoot = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
    const errors: unknown[] = [];
    errors.push(await thrownBy(adapter({ apiRoot: "http://127.0.0.1:9" }).send(to, withPicture, { idempotencyKey: "1" })));
    errors.push(await thrownBy(adapter({ apiRoot: hangingRoot, timeoutMs: 200 }).send(to, withPicture, { idempotencyKey: "1" })));
    const working = adapter();
    for (const failure of [-216, -216, -32, -213, -201, "http500"] as const) platform.failNext(failure);
    for (let i = 0; i < 5; i += 1) errors.push(await thrownBy(working.send(to, withPicture, { idempotencyKey: "1" })));

    expect(errors).toHaveLength(7);
    expect(platform.sends.every((send) => send.message.attachment?.payload.template_type === "media")).toBe(true);
    for (const error of errors) {
      expect(everythingShown(error)).not.toMatch(secret);
      expect(everythingShown(error)).not.toContain(signedQuery);
    }
    expect(logLines.some((line) => line.includes("voice_not_supported"))).toBe(true);
    expect(logLines.join("\n")).not.toMatch(secret);
    expect(logLines.join("\n")).not.toContain(signedQuery);
  });

  it("in the warning about a failed early refresh", async () => {
    const early = adapter();
    await early.send(to, message, { idempotencyKey: "1" });
    platform.settings.refuseOauth = true;
    clock.advance(21 * 60 * 60 * 1000);
    await early.send(to, message, { idempotencyKey: "2" });
    expect(logLines.some((line) => line.includes("token refresh failed"))).toBe(true);
    expect(logLines.join("\n")).not.toMatch(secret);
  });
});

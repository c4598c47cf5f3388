import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createZaloOaAdapter } from "../../../src/channels/zalo-oa/zalo-oa-adapter.ts";
import { createZaloOaTokenStore, zaloOaCredentialKey } from "../../../src/channels/zalo-oa/zalo-oa-token-store.ts";
import { LoaError } from "../../../src/errors.ts";
import { createCredentialStore } from "../../../src/store/credential-store.ts";
import { createTestClock } from "../../support/test-clock.ts";
import { createTestDatabase, databaseKinds, type TestDatabase } from "../../support/test-database.ts";
import { fakeApp, fakeAppAdapterOptions, startFakeZaloOaPlatform, type FakeZaloOaPlatform } from "./fake-zalo-oa-platform.ts";

describe.each(databaseKinds)("zalo-oa token store on %s", (kind) => {
  let test: TestDatabase;
  let platform: FakeZaloOaPlatform;
  const clock = createTestClock("2026-01-05T08:00:00.000Z");

  beforeEach(async () => {
    test = await createTestDatabase(kind);
    platform = await startFakeZaloOaPlatform();
  });
  afterEach(async () => {
    await platform.close();
    await test.drop();
  });

  it("is empty at first, then holds the newest pair, dates included", async () => {
    const store = createZaloOaTokenStore(createCredentialStore(test.database.client, clock.now), fakeApp.appId);
    expect(await store.load()).toBeNull();
    const pair = { accessToken: "a1", refreshToken: "r1", expiresAt: new Date("2026-01-06T09:00:00.000Z") };
    await store.save(pair);
    await store.save({ ...pair, refreshToken: "r2" });
    expect(await store.load()).toEqual({ ...pair, refreshToken: "r2" });
  });

  it("lets a restarted adapter continue with the pair the previous one refreshed", async () => {
    const credentials = createCredentialStore(test.database.client, clock.now);
    const options = fakeAppAdapterOptions(platform, createZaloOaTokenStore(credentials, fakeApp.appId), clock.now);
    const message = { text: "Xin chào", contentKeys: ["common:welcome"], locale: "vi" };
    const to = { channel: "zalo-oa", channelUserId: "2468458835296197922" };
    await createZaloOaAdapter(options).send(to, message, { idempotencyKey: "1" });
    await createZaloOaAdapter(options).send(to, message, { idempotencyKey: "2" });
    clock.advance(21 * 60 * 60 * 1000);
    await createZaloOaAdapter(options).send(to, message, { idempotencyKey: "3" });
    expect(platform.oauthCalls.map((call) => [call.refreshToken, call.answered])).toEqual([
      [fakeApp.initialRefreshToken, "rotated"],
      ["REFRESH-TOKEN-1-s3cr3t", "rotated"],
    ]);
    expect(platform.delivered().map((send) => send.accessToken)).toEqual(["ACCESS-TOKEN-1-s3cr3t", "ACCESS-TOKEN-1-s3cr3t", "ACCESS-TOKEN-2-s3cr3t"]);
  });

  it("refuses an unreadable stored row instead of falling back to the configured token", async () => {
    const credentials = createCredentialStore(test.database.client, clock.now);
    await credentials.save(zaloOaCredentialKey(fakeApp.appId), "{not json");
    const store = createZaloOaTokenStore(credentials, fakeApp.appId);
    await expect(store.load()).rejects.toSatisfy((error: unknown) => error instanceof LoaError && error.code === "zalo-oa:token-store-invalid");
  });
});

import { execFile } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runWebhooks, type WebhooksAction } from "../../src/cli/webhooks-command.ts";
import { parseConfig, type Config } from "../../src/config.ts";
import { startFakeTelegramApi, type FakeTelegramApi } from "../channels/telegram/fake-telegram-api.ts";
import { startFakeZaloBotPlatform, zaloBotError, zaloBotErrors, type FakeZaloBotPlatform } from "../channels/zalo-bot/fake-zalo-bot-platform.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const run = promisify(execFile);

const telegramToken = "7345109283:AAF-webhooks_TOKEN-Nevershow42";
const telegramSecret = "tg_webhook_SECRET_0123456789";
const zaloBotToken = "1459232241454765289:zalo-webhooks-TOKEN-nevershow";
const zaloBotSecret = "zb_webhook_SECRET_9876543210";
const zaloOaSecrets = { ZALO_OA_APP_SECRET: "oa-APP-secret-nevershow", ZALO_OA_WEBHOOK_SECRET: "oa-WEBHOOK-secret-nevershow", ZALO_OA_REFRESH_TOKEN: "oa-REFRESH-token-nevershow" };
const secrets = [telegramToken, encodeURIComponent(telegramToken), telegramSecret, zaloBotToken, encodeURIComponent(zaloBotToken), zaloBotSecret, ...Object.values(zaloOaSecrets)];

const telegramUrl = "https://loa.example/webhooks/telegram";
const zaloBotUrl = "https://loa.example/webhooks/zalo-bot";
const isoDate = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z`;

/** A port nothing listens on: a call there is refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

describe("npm run webhooks", () => {
  let telegram: FakeTelegramApi;
  let zaloBot: FakeZaloBotPlatform;
  let lines: string[];

  beforeEach(async () => {
    telegram = await startFakeTelegramApi({ token: telegramToken });
    zaloBot = await startFakeZaloBotPlatform({ token: zaloBotToken });
    lines = [];
  });
  afterEach(async () => {
    // Whatever a test did, nothing printed may show a token or a secret.
    const printed = lines.join("\n");
    for (const secret of secrets) expect(printed).not.toContain(secret);
    await telegram.close();
    await zaloBot.close();
  });

  const configWith = (env: Record<string, string | undefined> = {}): Config =>
    parseConfig({
      PUBLIC_URL: "https://loa.example",
      TELEGRAM_BOT_TOKEN: telegramToken,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      TELEGRAM_WEBHOOK_SECRET: telegramSecret,
      ZALO_BOT_TOKEN: zaloBotToken,
      ZALO_BOT_API_ROOT: zaloBot.apiRoot,
      ZALO_BOT_WEBHOOK_SECRET: zaloBotSecret,
      ...env,
    });
  /** Registers the Zalo Bot webhook on the fake as the platform's own console would, outside the command. */
  const setZaloBotWebhookOnFake = async () => {
    const response = await fetch(`${zaloBot.apiRoot}/bot${zaloBotToken}/setWebhook`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ url: zaloBotUrl, secret_token: zaloBotSecret }),
    });
    expect(response.status).toBe(200);
  };
  const webhooks = (action: WebhooksAction, config: Config = configWith()) => runWebhooks({ config, action, write: (line) => lines.push(line), timeoutSeconds: 5 });

  it("set registers each channel's URL and secret, with Telegram's allowed updates, keeping pending updates", async () => {
    expect(await webhooks("set")).toBe(0);

    expect(telegram.calls).toEqual([
      {
        httpMethod: "POST",
        path: `/bot${telegramToken}/setWebhook`,
        token: telegramToken,
        method: "setWebhook",
        contentType: "application/json",
        params: { url: telegramUrl, secret_token: telegramSecret, allowed_updates: ["message", "callback_query", "my_chat_member"], drop_pending_updates: false },
      },
    ]);
    expect(zaloBot.calls).toEqual([{ httpMethod: "POST", token: zaloBotToken, method: "setWebhook", body: { url: zaloBotUrl, secret_token: zaloBotSecret } }]);
    expect(telegram.webhookUrl).toBe(telegramUrl);
    expect(zaloBot.webhook()).toEqual({ url: zaloBotUrl, secretToken: zaloBotSecret });
    expect(lines).toEqual([
      `telegram: webhook set to ${telegramUrl} (updates: message, callback_query, my_chat_member; pending updates kept)`,
      `zalo-bot: webhook set to ${zaloBotUrl}`,
    ]);
  });

  it("set drops a trailing slash of PUBLIC_URL", async () => {
    expect(await webhooks("set", configWith({ PUBLIC_URL: "https://loa.example/" }))).toBe(0);
    expect(telegram.calls[0]?.params.url).toBe(telegramUrl);
    expect(zaloBot.calls[0]?.body).toMatchObject({ url: zaloBotUrl });
  });

  it("info shows the URL, Telegram's backlog and last delivery error, and when the Zalo webhook changed", async () => {
    telegram.webhookUrl = telegramUrl;
    telegram.webhookLastError = { date: 1764115200, message: "Wrong response from the webhook: 502 Bad Gateway" };
    telegram.queueUpdate({ message: { message_id: 1, date: 1764115200, chat: { id: 1, type: "private" }, text: "a" } });
    telegram.queueUpdate({ message: { message_id: 2, date: 1764115200, chat: { id: 2, type: "private" }, text: "b" } });
    await setZaloBotWebhookOnFake();

    expect(await webhooks("info")).toBe(0);

    expect(telegram.calls.map(({ method, params }) => ({ method, params }))).toEqual([{ method: "getWebhookInfo", params: {} }]);
    expect(zaloBot.calls.map(({ method, body }) => ({ method, body }))).toEqual([
      { method: "setWebhook", body: { url: zaloBotUrl, secret_token: zaloBotSecret } },
      { method: "getWebhookInfo", body: {} },
    ]);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(
      `telegram: webhook ${telegramUrl}, 2 pending updates, last error at 2025-11-26T00:00:00.000Z: Wrong response from the webhook: 502 Bad Gateway`,
    );
    expect(lines[1]).toMatch(new RegExp(`^zalo-bot: webhook ${zaloBotUrl}, updated ${isoDate}$`));
  });

  it("info says when no webhook is set, and when one points elsewhere than PUBLIC_URL", async () => {
    telegram.webhookUrl = "https://old.example/hook";
    expect(await webhooks("info")).toBe(0);
    expect(lines[0]).toBe(`telegram: webhook https://old.example/hook (Loa expects ${telegramUrl}), 0 pending updates, no delivery error reported`);
    expect(lines[1]).toMatch(new RegExp(`^zalo-bot: no webhook set \\(Loa expects ${zaloBotUrl}\\), updated ${isoDate}$`));
  });

  it("delete removes both webhooks and keeps Telegram's pending updates", async () => {
    telegram.webhookUrl = telegramUrl;
    await setZaloBotWebhookOnFake();

    expect(await webhooks("delete")).toBe(0);

    expect(telegram.calls.map(({ method, params }) => ({ method, params }))).toEqual([{ method: "deleteWebhook", params: { drop_pending_updates: false } }]);
    expect(zaloBot.calls.at(-1)).toEqual({ httpMethod: "POST", token: zaloBotToken, method: "deleteWebhook", body: {} });
    expect(telegram.webhookUrl).toBeUndefined();
    expect(zaloBot.webhook()).toBeUndefined();
    expect(lines).toEqual(["telegram: webhook deleted (pending updates kept)", "zalo-bot: webhook deleted"]);
  });

  it("in polling mode, set registers nothing while info and delete still reach the platforms", async () => {
    const polling = configWith({ PUBLIC_URL: undefined, TELEGRAM_MODE: "polling", ZALO_BOT_MODE: "polling" });

    expect(await webhooks("set", polling)).toBe(0);
    expect(telegram.calls).toEqual([]);
    expect(zaloBot.calls).toEqual([]);
    expect(lines).toEqual(["telegram: polling mode (TELEGRAM_MODE); no webhook set", "zalo-bot: polling mode (ZALO_BOT_MODE); no webhook set"]);

    lines.length = 0;
    telegram.webhookUrl = telegramUrl;
    expect(await webhooks("info", polling)).toBe(0);
    expect(lines[0]).toBe(`telegram: webhook ${telegramUrl} (polling mode: the poller deletes it when it starts), 0 pending updates, no delivery error reported`);
    expect(lines[1]).toMatch(new RegExp(`^zalo-bot: no webhook set, updated ${isoDate}$`));

    lines.length = 0;
    expect(await webhooks("delete", polling)).toBe(0);
    expect(lines).toEqual(["telegram: webhook deleted (pending updates kept)", "zalo-bot: webhook deleted"]);
    expect(telegram.calls.map((call) => call.method)).toEqual(["getWebhookInfo", "deleteWebhook"]);
    expect(zaloBot.calls.map((call) => call.method)).toEqual(["getWebhookInfo", "deleteWebhook"]);
  });

  it("set refuses without PUBLIC_URL or with an http one, calling no platform", async () => {
    expect(await webhooks("set", { ...configWith(), PUBLIC_URL: undefined })).toBe(1);
    expect(await webhooks("set", configWith({ PUBLIC_URL: "http://loa.example" }))).toBe(1);
    expect(telegram.calls).toEqual([]);
    expect(zaloBot.calls).toEqual([]);
    expect(lines).toEqual([
      "webhooks set needs PUBLIC_URL, the server's public https:// address; nothing was registered",
      "webhooks set needs an https:// PUBLIC_URL (Telegram and Zalo only call https webhooks); nothing was registered",
    ]);
  });

  it("exits 1 with the platforms' descriptions, masking a token or secret that a description quotes", async () => {
    telegram.failNext("setWebhook", { kind: "error", code: 400, description: `Bad Request: bad webhook: secret ${telegramSecret} rejected for bot${telegramToken}` });
    zaloBot.fail("setWebhook", zaloBotError({ errorCode: 400, description: `Bad request: token ${zaloBotToken} secret ${zaloBotSecret}` }, { onHttp200: true }));

    expect(await webhooks("set")).toBe(1);

    expect(lines).toEqual([
      "telegram: setWebhook failed: 400 Bad Request: bad webhook: secret [redacted] rejected for bot[redacted]",
      "zalo-bot: setWebhook failed: 400 Bad request: token [redacted] secret [redacted]",
    ]);
  });

  it("masks anything token-shaped in a platform's answer, not only the configured token", async () => {
    telegram.webhookUrl = telegramUrl;
    telegram.webhookLastError = { date: 1764115200, message: "Wrong response from bot98765432:AAAnotherBotsTokenXYZ123" };
    expect(await webhooks("info")).toBe(0);
    expect(lines[0]).toBe(`telegram: webhook ${telegramUrl}, 0 pending updates, last error at 2025-11-26T00:00:00.000Z: Wrong response from bot[redacted]`);
  });

  it("exits 1 when a platform refuses the token, and still reports the other channel", async () => {
    await telegram.close();
    telegram = await startFakeTelegramApi({ token: "1111111111:AAAnother-token-of-another-bot" });
    zaloBot.fail("deleteWebhook", zaloBotError(zaloBotErrors.quota));

    expect(await webhooks("delete")).toBe(1);

    expect(telegram.calls.map((call) => call.method)).toEqual(["deleteWebhook"]);
    expect(lines).toEqual(["telegram: deleteWebhook failed: 401 Unauthorized", "zalo-bot: deleteWebhook failed: 429 Quota exceeded"]);
  });

  it("exits 1 when a platform cannot be reached, naming the network error without the URL", async () => {
    const port = await closedPort();
    const unreachable = configWith({ TELEGRAM_API_ROOT: `http://127.0.0.1:${port}`, ZALO_BOT_API_ROOT: `http://127.0.0.1:${port}` });

    expect(await webhooks("info", unreachable)).toBe(1);

    expect(lines).toEqual(["telegram: getWebhookInfo failed: no response (ECONNREFUSED)", "zalo-bot: getWebhookInfo failed: no response (ECONNREFUSED)"]);
  });

  it("tells where Zalo OA's webhook is set, since it has no API, and shows none of its secrets", async () => {
    const withOa = configWith({ ZALO_OA_APP_ID: "3456789012345678901", ZALO_OA_OA_ID: "1234567890123456789", ...zaloOaSecrets });

    expect(await webhooks("set", withOa)).toBe(0);
    expect(await webhooks("info", withOa)).toBe(0);
    expect(await webhooks("delete", withOa)).toBe(0);

    expect(lines.filter((line) => line.startsWith("zalo-oa:"))).toEqual([
      "zalo-oa: no API to set it; enter https://loa.example/webhooks/zalo-oa as the webhook URL in the Zalo developer console",
      "zalo-oa: no API to read it; check the webhook URL in the Zalo developer console (Loa expects https://loa.example/webhooks/zalo-oa)",
      "zalo-oa: no API to delete it; remove the webhook URL in the Zalo developer console",
    ]);
  });

  it("says so when no platform is configured", async () => {
    expect(await webhooks("set", parseConfig({}))).toBe(0);
    expect(lines).toEqual(["no platform channel is configured (TELEGRAM_BOT_TOKEN, ZALO_BOT_TOKEN or the ZALO_OA_ keys): nothing to do"]);
  });

  it("runs from the command line and exits 1 on a failed call", async () => {
    telegram.webhookUrl = telegramUrl;
    zaloBot.fail("getWebhookInfo", zaloBotError(zaloBotErrors.unauthorized));
    const env = {
      ...process.env,
      PUBLIC_URL: "https://loa.example",
      TELEGRAM_BOT_TOKEN: telegramToken,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      TELEGRAM_WEBHOOK_SECRET: telegramSecret,
      ZALO_BOT_TOKEN: zaloBotToken,
      ZALO_BOT_API_ROOT: zaloBot.apiRoot,
      ZALO_BOT_WEBHOOK_SECRET: zaloBotSecret,
    };
    const result = await run(process.execPath, ["--import", "tsx", "src/main.ts", "webhooks", "info"], { cwd: root, env }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );
    lines.push(result.stdout, result.stderr);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(`telegram: webhook ${telegramUrl}, 0 pending updates, no delivery error reported\nzalo-bot: getWebhookInfo failed: 401 Unauthorized\n`);

    const usage = await run(process.execPath, ["--import", "tsx", "src/main.ts", "webhooks", "register"], { cwd: root, env }).catch(
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );
    expect(usage).toMatchObject({ code: 2, stderr: expect.stringContaining("webhooks set|info|delete") });
  });
});

import { telegramPerson, zaloBotPerson, zaloOaPerson, type PlatformPerson } from "./platform-people.ts";
import { startRunningLoa, type RunningLoa } from "./running-loa.ts";
import { startFakeTelegramApi } from "./telegram/fake-telegram-api.ts";
import { startFakeZaloBotPlatform } from "./zalo-bot/fake-zalo-bot-platform.ts";
import { fakeApp, startFakeZaloOaPlatform } from "./zalo-oa/fake-zalo-oa-platform.ts";

/**
 * Each platform as the end-to-end tests run it: its local fake started, Loa configured for it in webhook mode
 * (its API roots pointed at the fake) and running, and a person on it. `env` overrides configuration keys, to
 * give Loa a wrong token or an unreachable API.
 */

/** The Telegram bot, its webhook secret, and her private chat. Distinctive, so leak scans can search for them. */
export const telegramAccount = { token: "7012345678:AAE-e2eTelegram_bot-token_Qz9", secret: "Loa_e2e-telegram_Webhook_Secret_01", chatId: 5_012_345_678 };
/** The Zalo bot, its webhook secret, and her chat. */
export const zaloBotAccount = { token: "1459232241:Zb-e2eZaloBot_token-Qz9", secret: "Loa_e2e-zalobot_Webhook_Secret_01", chatId: "6ede9afa66b88fe6d6a9" };
/** Her user id as a follower of the fake's Official Account (the app's secrets are `fakeApp`'s). */
export const zaloOaAccount = { userId: "2468458835296197922" };

/** One platform under test: its fake, a Loa configured for it, and a person on it. */
export type PlatformUnderTest = { name: string; loa: RunningLoa; person: PlatformPerson; close(): Promise<void> };

/** Telegram: the fake Bot API, Loa with its webhook at /webhooks/telegram, and a person in a private chat. */
export async function startTelegramUnderTest(env: Record<string, string> = {}) {
  const fake = await startFakeTelegramApi({ token: telegramAccount.token });
  const loa = await startRunningLoa({
    TELEGRAM_BOT_TOKEN: telegramAccount.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    TELEGRAM_MODE: "webhook",
    TELEGRAM_WEBHOOK_SECRET: telegramAccount.secret,
    ...env,
  });
  const person = telegramPerson(fake, { chatId: telegramAccount.chatId, secretToken: telegramAccount.secret });
  return { name: "telegram" as const, fake, loa, person, close: () => closeAll(loa, fake) };
}

/** Zalo Bot: the fake Bot Platform, Loa with its webhook at /webhooks/zalo-bot, and a person chatting with the bot. */
export async function startZaloBotUnderTest(env: Record<string, string> = {}) {
  const fake = await startFakeZaloBotPlatform({ token: zaloBotAccount.token });
  const loa = await startRunningLoa({
    ZALO_BOT_TOKEN: zaloBotAccount.token,
    ZALO_BOT_API_ROOT: fake.apiRoot,
    ZALO_BOT_MODE: "webhook",
    ZALO_BOT_WEBHOOK_SECRET: zaloBotAccount.secret,
    ...env,
  });
  const person = zaloBotPerson(fake, { chatId: zaloBotAccount.chatId, secretToken: zaloBotAccount.secret });
  return { name: "zalo-bot" as const, fake, loa, person, close: () => closeAll(loa, fake) };
}

/** Zalo OA: the fake Open API and OAuth servers, Loa with its webhook at /webhooks/zalo-oa, and a follower of the OA. */
export async function startZaloOaUnderTest(env: Record<string, string> = {}) {
  const fake = await startFakeZaloOaPlatform();
  const loa = await startRunningLoa({
    ZALO_OA_APP_ID: fakeApp.appId,
    ZALO_OA_APP_SECRET: fakeApp.appSecret,
    ZALO_OA_OA_ID: fakeApp.oaId,
    ZALO_OA_WEBHOOK_SECRET: fakeApp.oaSecretKey,
    ZALO_OA_REFRESH_TOKEN: fakeApp.initialRefreshToken,
    ZALO_OA_API_ROOT: fake.apiRoot,
    ZALO_OA_OAUTH_ROOT: fake.oauthRoot,
    ...env,
  });
  const person = zaloOaPerson(fake, { userId: zaloOaAccount.userId });
  return { name: "zalo-oa" as const, fake, loa, person, close: () => closeAll(loa, fake) };
}

async function closeAll(loa: RunningLoa, fake: { close(): Promise<void> }): Promise<void> {
  await loa.stop();
  await fake.close();
}

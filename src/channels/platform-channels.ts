import type { Config } from "../config.ts";
import type { InboundUpdate } from "../conversation/inbound-message.ts";
import { loggableError, type Logger } from "../logger.ts";
import { createCredentialStore } from "../store/credential-store.ts";
import type { Database } from "../store/database.ts";
import type { ChannelAdapter } from "./channel-adapter.ts";
import type { ChannelWebhook } from "./channel-webhook.ts";
import { createTelegramAdapter, telegramChannel, type TelegramAdapter } from "./telegram/telegram-adapter.ts";
import { startTelegramPolling } from "./telegram/telegram-polling.ts";
import { callbackQueryIdOf } from "./telegram/telegram-update.ts";
import { createTelegramWebhook } from "./telegram/telegram-webhook.ts";
import { createZaloBotAdapter } from "./zalo-bot/zalo-bot-adapter.ts";
import { startZaloBotPolling } from "./zalo-bot/zalo-bot-polling.ts";
import { createZaloBotWebhook } from "./zalo-bot/zalo-bot-webhook.ts";
import { createZaloOaAdapter } from "./zalo-oa/zalo-oa-adapter.ts";
import { zaloOaChannel } from "./zalo-oa/zalo-oa-send-error.ts";
import { createZaloOaTokenStore } from "./zalo-oa/zalo-oa-token-store.ts";
import { createZaloOaWebhook } from "./zalo-oa/zalo-oa-webhook.ts";

/** Something running in the background that must be stopped on shutdown. */
export type Stoppable = { stop(): Promise<void> };

/** The platform channels a configuration turns on, in the pieces the runtime and the HTTP server take. */
export type PlatformChannels = {
  /** Adapters for the dispatcher; built once the database is open (Zalo OA keeps its tokens there). */
  adapters(database: Database, now: () => Date): ChannelAdapter[];
  /** Webhooks of the channels in webhook mode. */
  webhooks: ChannelWebhook[];
  /** Runs after a webhook's updates are in the inbox: answers a pressed Telegram button. */
  afterAccept(channel: string, body: unknown): Promise<void>;
  /** Starts the pollers of the channels in polling mode. */
  startPolling(accept: (update: InboundUpdate) => Promise<unknown>): Promise<Stoppable[]>;
};

/**
 * Builds Telegram, Zalo Bot and Zalo OA from configuration. A channel whose keys are absent is off; each is in
 * webhook or polling mode. Part of the composition root: nothing else constructs platform clients.
 */
export function createPlatformChannels(config: Config, logger: Logger, now: () => Date = () => new Date()): PlatformChannels {
  const telegram: TelegramAdapter | undefined =
    config.TELEGRAM_BOT_TOKEN === undefined ? undefined : createTelegramAdapter({ token: config.TELEGRAM_BOT_TOKEN, apiRoot: config.TELEGRAM_API_ROOT });
  const webhooks: ChannelWebhook[] = [];
  if (telegram && config.TELEGRAM_MODE === "webhook" && config.TELEGRAM_WEBHOOK_SECRET !== undefined) {
    webhooks.push(createTelegramWebhook({ secretToken: config.TELEGRAM_WEBHOOK_SECRET }));
  }
  if (config.ZALO_BOT_TOKEN !== undefined && config.ZALO_BOT_MODE === "webhook" && config.ZALO_BOT_WEBHOOK_SECRET !== undefined) {
    webhooks.push(createZaloBotWebhook({ secretToken: config.ZALO_BOT_WEBHOOK_SECRET }));
  }
  if (config.ZALO_OA_APP_ID !== undefined && config.ZALO_OA_OA_ID !== undefined && config.ZALO_OA_WEBHOOK_SECRET !== undefined) {
    // A signed event older than the inbox keeps its rows could be replayed as new: refuse it.
    webhooks.push(
      createZaloOaWebhook({
        appId: config.ZALO_OA_APP_ID,
        oaId: config.ZALO_OA_OA_ID,
        oaSecretKey: config.ZALO_OA_WEBHOOK_SECRET,
        maxEventAgeMs: config.RETENTION_DAYS * 86_400_000,
        now,
      }),
    );
  }

  return {
    adapters(database, now) {
      const adapters: ChannelAdapter[] = [];
      if (telegram) adapters.push(telegram);
      if (config.ZALO_BOT_TOKEN !== undefined) adapters.push(createZaloBotAdapter({ token: config.ZALO_BOT_TOKEN, apiRoot: config.ZALO_BOT_API_ROOT, logger }));
      const { ZALO_OA_APP_ID: appId, ZALO_OA_APP_SECRET: appSecret, ZALO_OA_REFRESH_TOKEN: refreshToken } = config;
      if (appId !== undefined && appSecret !== undefined && refreshToken !== undefined) {
        adapters.push(
          createZaloOaAdapter({
            apiRoot: config.ZALO_OA_API_ROOT,
            oauthRoot: config.ZALO_OA_OAUTH_ROOT,
            appId,
            appSecret,
            tokens: { store: createZaloOaTokenStore(createCredentialStore(database.client, now), appId), initialRefreshToken: refreshToken },
            now,
            logger,
            lastInboundAt: async (channelUserId) =>
              (await database.client.contact.findUnique({ where: { channel_channelUserId: { channel: zaloOaChannel, channelUserId } } }))?.lastSeenAt ?? null,
          }),
        );
      }
      return adapters;
    },
    webhooks,
    async afterAccept(channel, body) {
      const callbackQueryId = channel === telegramChannel ? callbackQueryIdOf(body) : undefined;
      if (telegram && callbackQueryId !== undefined) await telegram.acknowledge(callbackQueryId);
    },
    async startPolling(accept) {
      const pollers: Stoppable[] = [];
      const store = async (update: InboundUpdate) => {
        await accept(update);
      };
      if (config.TELEGRAM_BOT_TOKEN !== undefined && config.TELEGRAM_MODE === "polling") {
        pollers.push(
          await startTelegramPolling({
            token: config.TELEGRAM_BOT_TOKEN,
            apiRoot: config.TELEGRAM_API_ROOT,
            accept: store,
            onError: (error) => logger.warn({ channel: telegramChannel, error: loggableError(error) }, "polling failed; retrying"),
          }),
        );
      }
      if (config.ZALO_BOT_TOKEN !== undefined && config.ZALO_BOT_MODE === "polling") {
        pollers.push(startZaloBotPolling({ token: config.ZALO_BOT_TOKEN, apiRoot: config.ZALO_BOT_API_ROOT, accept: store, logger }));
      }
      return pollers;
    },
  };
}

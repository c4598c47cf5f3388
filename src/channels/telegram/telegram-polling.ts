import { run, sequentialize } from "@grammyjs/runner";
import { Bot, type Context } from "grammy";
import type { InboundUpdate } from "../../conversation/inbound-message.ts";
import { LoaError } from "../../errors.ts";
import { classifyTelegramError } from "./telegram-error.ts";
import { callbackQueryIdOf, parseTelegramUpdate, telegramAllowedUpdates } from "./telegram-update.ts";

/** What long polling needs: the Bot API, and where each update goes. */
export type TelegramPollingOptions = {
  token: string;
  apiRoot?: string;
  /** Stores one update in the inbox (the same call the webhook route makes). */
  accept(update: InboundUpdate): Promise<void>;
  /** Receives every failure, already free of the token and of message text; log it. */
  onError(error: unknown): void;
  /** How long one `getUpdates` call waits for updates (Telegram caps it at 50 s). */
  pollTimeoutSeconds?: number;
};

/** A running poller. */
export type TelegramPolling = {
  /** Stops fetching; resolves when the fetch loop has ended. */
  stop(): Promise<void>;
  isRunning(): boolean;
};

/**
 * Long polling for development, where Telegram cannot reach a webhook. It deletes any webhook first
 * (Telegram refuses `getUpdates` while one is set, with 409), then runs grammY's runner with `sequentialize`
 * per chat: different people's updates are handled concurrently, one person's strictly in order. Each update
 * goes through `parseTelegramUpdate`, the webhook's own parser (so a block arrives as a `blocked` input too),
 * and then `accept`; a pressed button is acknowledged after it is accepted.
 *
 * Not for production: the runner confirms a batch's offset before its updates are handled, so a crash can
 * lose up to 100 accepted-by-Telegram updates, and an update whose `accept` fails is not fetched again. The
 * webhook (Telegram redelivers until it gets a 2xx) has neither gap.
 *
 * The runner is silent: its own error print would show grammY's network error, whose text holds the
 * request URL and so the bot token. Failed `getUpdates` calls are reported through `onError` instead.
 */
export async function startTelegramPolling(options: TelegramPollingOptions): Promise<TelegramPolling> {
  const bot = new Bot(options.token, {
    client: options.apiRoot === undefined ? {} : { apiRoot: options.apiRoot.replace(/\/+$/, "") },
  });
  const tokenFree = (error: unknown, method: string) => classifyTelegramError(error, method) ?? error;

  bot.api.config.use(async (call, method, payload, signal) => {
    try {
      const response = await call(method, payload, signal);
      if (!response.ok && method === "getUpdates") {
        options.onError(new LoaError(`Telegram getUpdates failed: ${response.error_code} ${response.description.slice(0, 200)}`, "telegram:polling-failed", { context: { status: response.error_code } }));
      }
      return response;
    } catch (error) {
      if (method === "getUpdates" && signal?.aborted !== true) options.onError(tokenFree(error, method));
      throw error;
    }
  });

  for (const [method, call] of [["getMe", () => bot.init()], ["deleteWebhook", () => bot.api.deleteWebhook()]] as const) {
    try {
      await call();
    } catch (error) {
      throw new LoaError("Telegram long polling could not start", "telegram:polling-start-failed", { cause: tokenFree(error, method), context: { method } });
    }
  }

  bot.use(sequentialize((ctx: Context) => String(ctx.chat?.id ?? ctx.from?.id ?? "")));
  bot.use(async (ctx) => {
    const body: unknown = ctx.update;
    for (const update of parseTelegramUpdate(body).updates) await options.accept(update);
    const callbackQueryId = callbackQueryIdOf(body);
    if (callbackQueryId === undefined) return;
    try {
      await ctx.api.answerCallbackQuery(callbackQueryId);
    } catch (error) {
      options.onError(tokenFree(error, "answerCallbackQuery"));
    }
  });
  bot.catch((error) => options.onError(error.error));

  const runner = run(bot, {
    runner: {
      fetch: { timeout: options.pollTimeoutSeconds ?? 30, allowed_updates: [...telegramAllowedUpdates] },
      silent: true,
    },
  });
  runner.task()?.catch((error: unknown) => {
    options.onError(new LoaError("Telegram long polling stopped", "telegram:polling-stopped", { cause: tokenFree(error, "getUpdates") }));
  });
  return {
    async stop() {
      await runner.stop();
    },
    isRunning: () => runner.isRunning(),
  };
}

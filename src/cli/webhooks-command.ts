import { Api, GrammyError, HttpError } from "grammy";
import { z } from "zod";
import { telegramChannel } from "../channels/telegram/telegram-adapter.ts";
import { telegramAllowedUpdates } from "../channels/telegram/telegram-update.ts";
import { createZaloBotApi, zaloBotChannel, ZaloBotTransportError, type ZaloBotApi, type ZaloBotMethod } from "../channels/zalo-bot/zalo-bot-api.ts";
import { zaloOaChannel } from "../channels/zalo-oa/zalo-oa-send-error.ts";
import type { Config } from "../config.ts";

/** What `npm run webhooks -- <action>` does with each platform's webhook. */
export const webhooksActions = ["set", "info", "delete"] as const;
export type WebhooksAction = (typeof webhooksActions)[number];

/** The action named on the command line, or undefined when it is not one (the caller prints the usage). */
export function parseWebhooksAction(value: string | undefined): WebhooksAction | undefined {
  return webhooksActions.find((action) => action === value);
}

/** What the command needs: the configuration, the action, and where its lines go. */
export type WebhooksCommandOptions = {
  config: Config;
  action: WebhooksAction;
  write: (line: string) => void;
  /** Longest wait for one platform call. */
  timeoutSeconds?: number;
};

/** One channel's result: the line to print, and whether a platform call failed. */
type Outcome = { line: string; failed: boolean };

/** Telegram's `getWebhookInfo`, in the fields the command prints (dates in Unix seconds). */
const telegramWebhookInfoSchema = z.object({
  url: z.string(),
  pending_update_count: z.number().int().nonnegative(),
  last_error_date: z.number().int().optional(),
  last_error_message: z.string().optional(),
});

/** The Zalo Bot's `getWebhookInfo` result (`updated_at` in milliseconds); the docs list no backlog or error fields. */
const zaloBotWebhookInfoSchema = z.object({ url: z.string().optional(), updated_at: z.number().optional() });

/** A Telegram or Zalo bot token (`<digits>:<letters>`), wherever it shows up in a platform's answer. */
const tokenLike = /\d{5,}:[A-Za-z0-9_-]{10,}/g;

/**
 * `npm run webhooks -- set|info|delete`: registers, shows or deletes the webhooks of Telegram and the Zalo Bot,
 * so an operator does it once at deployment instead of Loa calling `setWebhook` on every start. `set` registers
 * `<PUBLIC_URL>/webhooks/<channel>` for each channel in webhook mode, with its secret (Telegram also gets
 * Loa's `allowed_updates`, and pending updates are kept); `info` and `delete` act on every configured bot in
 * either mode (a poller deletes the webhook itself when it starts). Zalo OA has no webhook API: its line says
 * where to set it in the developer console.
 *
 * One line per channel. No token or secret is ever printed: every line goes through a mask of the configured
 * secrets and of anything shaped like a bot token. Returns the exit code: 1 when a platform call failed (its
 * line carries the platform's description) or `set` was refused, 0 otherwise.
 */
export async function runWebhooks(options: WebhooksCommandOptions): Promise<number> {
  const { config, action } = options;
  const mask = secretMask(config);
  const write = (line: string) => options.write(mask(line));
  const timeoutSeconds = options.timeoutSeconds ?? 20;
  const telegramWebhookMode = config.TELEGRAM_MODE === "webhook";
  const zaloBotWebhookMode = config.ZALO_BOT_MODE === "webhook";
  const zaloOa = config.ZALO_OA_APP_ID !== undefined;

  if (config.TELEGRAM_BOT_TOKEN === undefined && config.ZALO_BOT_TOKEN === undefined && !zaloOa) {
    write("no platform channel is configured (TELEGRAM_BOT_TOKEN, ZALO_BOT_TOKEN or the ZALO_OA_ keys): nothing to do");
    return 0;
  }
  const publicUrl = config.PUBLIC_URL?.replace(/\/+$/, "");
  const urlOf = (channel: string) => (publicUrl === undefined ? undefined : `${publicUrl}/webhooks/${channel}`);
  const needsUrl = (config.TELEGRAM_BOT_TOKEN !== undefined && telegramWebhookMode) || (config.ZALO_BOT_TOKEN !== undefined && zaloBotWebhookMode) || zaloOa;
  if (action === "set" && needsUrl && (publicUrl === undefined || !publicUrl.startsWith("https://"))) {
    write(
      publicUrl === undefined
        ? "webhooks set needs PUBLIC_URL, the server's public https:// address; nothing was registered"
        : "webhooks set needs an https:// PUBLIC_URL (Telegram and Zalo only call https webhooks); nothing was registered",
    );
    return 1;
  }

  const outcomes: Outcome[] = [];
  if (config.TELEGRAM_BOT_TOKEN !== undefined) {
    const api = new Api(config.TELEGRAM_BOT_TOKEN, { apiRoot: config.TELEGRAM_API_ROOT.replace(/\/+$/, ""), timeoutSeconds });
    const url = urlOf(telegramChannel);
    if (action === "set" && !telegramWebhookMode) outcomes.push({ line: `${telegramChannel}: polling mode (TELEGRAM_MODE); no webhook set`, failed: false });
    else outcomes.push(await telegramWebhook(api, action, url, config.TELEGRAM_WEBHOOK_SECRET, telegramWebhookMode));
  }
  if (config.ZALO_BOT_TOKEN !== undefined) {
    const api = createZaloBotApi({ token: config.ZALO_BOT_TOKEN, apiRoot: config.ZALO_BOT_API_ROOT });
    const url = urlOf(zaloBotChannel);
    if (action === "set" && !zaloBotWebhookMode) outcomes.push({ line: `${zaloBotChannel}: polling mode (ZALO_BOT_MODE); no webhook set`, failed: false });
    else outcomes.push(await zaloBotWebhook(api, action, url, config.ZALO_BOT_WEBHOOK_SECRET, zaloBotWebhookMode, timeoutSeconds));
  }
  if (zaloOa) outcomes.push({ line: zaloOaLine(action, urlOf(zaloOaChannel)), failed: false });

  for (const outcome of outcomes) write(outcome.line);
  return outcomes.some((outcome) => outcome.failed) ? 1 : 0;
}

async function telegramWebhook(api: Api, action: WebhooksAction, url: string | undefined, secretToken: string | undefined, webhookMode: boolean): Promise<Outcome> {
  const name = telegramChannel;
  const method = action === "set" ? "setWebhook" : action === "info" ? "getWebhookInfo" : "deleteWebhook";
  try {
    if (action === "set") {
      // runWebhooks checked PUBLIC_URL, and configuration requires the secret in webhook mode.
      if (url === undefined || secretToken === undefined) return { line: `${name}: TELEGRAM_WEBHOOK_SECRET and PUBLIC_URL are needed to set the webhook`, failed: true };
      await api.setWebhook(url, { secret_token: secretToken, allowed_updates: [...telegramAllowedUpdates], drop_pending_updates: false });
      return { line: `${name}: webhook set to ${url} (updates: ${telegramAllowedUpdates.join(", ")}; pending updates kept)`, failed: false };
    }
    if (action === "delete") {
      await api.deleteWebhook({ drop_pending_updates: false });
      return { line: `${name}: webhook deleted (pending updates kept)`, failed: false };
    }
    const info = telegramWebhookInfoSchema.safeParse(await api.getWebhookInfo());
    if (!info.success) return { line: `${name}: getWebhookInfo failed: the answer is not a documented WebhookInfo`, failed: true };
    const { url: current, pending_update_count: pending, last_error_date: errorDate, last_error_message: errorMessage } = info.data;
    const where = current === "" ? "no webhook set" : `webhook ${current}`;
    const lastError =
      errorMessage === undefined ? "no delivery error reported" : `last error${errorDate === undefined ? "" : ` at ${new Date(errorDate * 1000).toISOString()}`}: ${oneLine(errorMessage)}`;
    return { line: `${name}: ${where}${expectation(current, url, webhookMode)}, ${pending} pending update${pending === 1 ? "" : "s"}, ${lastError}`, failed: false };
  } catch (error) {
    if (error instanceof GrammyError) return { line: `${name}: ${method} failed: ${error.error_code} ${oneLine(error.description)}`, failed: true };
    if (error instanceof HttpError) return { line: `${name}: ${method} failed: no response (${networkReason(error.error)})`, failed: true };
    throw error;
  }
}

async function zaloBotWebhook(
  api: ZaloBotApi,
  action: WebhooksAction,
  url: string | undefined,
  secretToken: string | undefined,
  webhookMode: boolean,
  timeoutSeconds: number,
): Promise<Outcome> {
  const name = zaloBotChannel;
  const method: ZaloBotMethod = action === "set" ? "setWebhook" : action === "info" ? "getWebhookInfo" : "deleteWebhook";
  if (action === "set" && (url === undefined || secretToken === undefined)) {
    return { line: `${name}: ZALO_BOT_WEBHOOK_SECRET and PUBLIC_URL are needed to set the webhook`, failed: true };
  }
  let reply;
  try {
    reply = await api.call(method, action === "set" ? { url, secret_token: secretToken } : {}, { timeoutMs: timeoutSeconds * 1000 });
  } catch (error) {
    if (!(error instanceof ZaloBotTransportError)) throw error;
    const reason = typeof error.context.reason === "string" ? error.context.reason : "network error";
    return { line: `${name}: ${method} failed: no response (${reason})`, failed: true };
  }
  if (!reply.ok) {
    return { line: `${name}: ${method} failed: ${reply.errorCode ?? reply.status} ${oneLine(reply.description ?? `HTTP ${reply.status}`)}`, failed: true };
  }
  if (action === "set") return { line: `${name}: webhook set to ${url}`, failed: false };
  if (action === "delete") return { line: `${name}: webhook deleted`, failed: false };
  const info = zaloBotWebhookInfoSchema.safeParse(reply.result);
  if (!info.success) return { line: `${name}: getWebhookInfo failed: the answer is not a documented webhook info`, failed: true };
  const current = info.data.url ?? "";
  const updated = info.data.updated_at === undefined ? "" : `, updated ${new Date(info.data.updated_at).toISOString()}`;
  return { line: `${name}: ${current === "" ? "no webhook set" : `webhook ${current}`}${expectation(current, url, webhookMode)}${updated}`, failed: false };
}

/** Zalo OA's webhook URL is entered in the app's settings on developers.zalo.me; there is no API for it. */
function zaloOaLine(action: WebhooksAction, url: string | undefined): string {
  const expected = url === undefined ? "" : ` (Loa expects ${url})`;
  if (action === "delete") return `${zaloOaChannel}: no API to delete it; remove the webhook URL in the Zalo developer console`;
  if (action === "info") return `${zaloOaChannel}: no API to read it; check the webhook URL in the Zalo developer console${expected}`;
  return `${zaloOaChannel}: no API to set it; enter ${url ?? "<PUBLIC_URL>/webhooks/zalo-oa"} as the webhook URL in the Zalo developer console`;
}

/** Notes a registered URL that is not where this configuration receives webhooks. */
function expectation(current: string, expected: string | undefined, webhookMode: boolean): string {
  if (!webhookMode) return current === "" ? "" : " (polling mode: the poller deletes it when it starts)";
  if (expected === undefined || current === expected) return "";
  return ` (Loa expects ${expected})`;
}

/** A platform's text on one line and of bounded length. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim().slice(0, 300);
}

/** A short reason for a failed connection: the system error code (ECONNREFUSED), or the error's class. */
function networkReason(inner: unknown): string {
  if (!(inner instanceof Error)) return "network error";
  if ("code" in inner && typeof inner.code === "string" && /^[A-Z0-9_]{1,40}$/.test(inner.code)) return inner.code;
  if (/timed out|timeout/i.test(inner.message)) return "timeout";
  return /^[A-Za-z]{1,40}$/.test(inner.name) ? inner.name : "network error";
}

/** Replaces every configured token and secret (raw and URL-encoded) and anything token-shaped with [redacted]. */
function secretMask(config: Config): (text: string) => string {
  const secrets = [
    config.TELEGRAM_BOT_TOKEN,
    config.TELEGRAM_WEBHOOK_SECRET,
    config.ZALO_BOT_TOKEN,
    config.ZALO_BOT_WEBHOOK_SECRET,
    config.ZALO_OA_APP_SECRET,
    config.ZALO_OA_WEBHOOK_SECRET,
    config.ZALO_OA_REFRESH_TOKEN,
  ]
    .filter((secret): secret is string => secret !== undefined && secret.length > 0)
    .flatMap((secret) => [secret, encodeURIComponent(secret)])
    .sort((a, b) => b.length - a.length);
  return (text) => secrets.reduce((masked, secret) => masked.split(secret).join("[redacted]"), text).replace(tokenLike, "[redacted]");
}

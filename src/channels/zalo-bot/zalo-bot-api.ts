import axios, { isAxiosError, type AxiosInstance } from "axios";
import { z } from "zod";
import { LoaError } from "../../errors.ts";

/** The Zalo Bot Platform's channel name in Loa: outbox rows, inbox updates and the webhook route use it. */
export const zaloBotChannel = "zalo-bot";

/** The documented API host; `ZALO_BOT_API_ROOT` points Loa elsewhere (a local fake in tests). */
export const zaloBotDefaultApiRoot = "https://bot-api.zaloplatforms.com";

/** `sendMessage.text` takes 1–2000 characters (Zalo counts UTF-16 code units, as `splitText` does). */
export const zaloBotMaxTextLength = 2000;

/** Time allowed for one ordinary API call when the caller gives no HTTP client of its own. */
const defaultTimeoutMs = 15_000;

/** The methods Loa calls. Names are case-sensitive on the platform. */
export type ZaloBotMethod = "sendMessage" | "sendPhoto" | "sendVoice" | "getUpdates" | "deleteWebhook" | "setWebhook" | "getWebhookInfo";

/** The documented response envelope: `{ ok, result?, description?, error_code? }`. */
const envelopeSchema = z.object({
  ok: z.boolean(),
  result: z.unknown().optional(),
  error_code: z.number().int().optional(),
  description: z.string().optional(),
});

/**
 * What one call returned. A failure keeps both the HTTP status and the envelope's `error_code`, because
 * Zalo can answer HTTP 200 with `ok: false` and an error code in the body.
 */
export type ZaloBotReply =
  | { ok: true; status: number; result: unknown }
  | { ok: false; status: number; errorCode: number | undefined; description: string | undefined };

/** The platform could not be reached or did not answer in time: no response, so nothing is known about delivery. */
export class ZaloBotTransportError extends LoaError {
  constructor(method: ZaloBotMethod, detail: string, reason: string | undefined) {
    super(`Zalo Bot ${method} got no response: ${detail}`, "zalo-bot:transport", { context: { method, reason } });
  }
}

/** A small client for the Bot Platform that keeps the token, which is part of every URL, out of everything it returns or throws. */
export type ZaloBotApi = {
  /** POSTs JSON to `<apiRoot>/bot<token>/<method>`. Throws only `ZaloBotTransportError` (no response at all). */
  call(method: ZaloBotMethod, params: Record<string, unknown>, options?: { timeoutMs?: number; signal?: AbortSignal }): Promise<ZaloBotReply>;
  /** The text with the token (raw or URL-encoded) and any `extra` secrets replaced, for messages that quote the platform. */
  redact(text: string, extra?: readonly string[]): string;
};

/**
 * Creates the client. `http` lets tests and the composition root choose timeouts; by default calls time out
 * after 15 s. Statuses never make axios throw here: every HTTP answer becomes a `ZaloBotReply`, and axios's
 * own errors (which quote the URL, hence the token) are replaced by a `ZaloBotTransportError` without a cause.
 */
export function createZaloBotApi(options: { token: string; apiRoot: string; http?: AxiosInstance }): ZaloBotApi {
  const { token } = options;
  if (!/^[^\s/?#]+$/.test(token)) {
    throw new LoaError("The Zalo Bot token is empty or has characters a URL path cannot carry", "config:invalid", { context: { key: "ZALO_BOT_TOKEN" } });
  }
  const http = options.http ?? axios.create({ timeout: defaultTimeoutMs });
  const root = options.apiRoot.replace(/\/+$/, "");
  const secrets = [token, encodeURIComponent(token)];

  const redact = (text: string, extra: readonly string[] = []) =>
    [...secrets, ...extra].filter((secret) => secret.length > 0).reduce((result, secret) => result.split(secret).join("[redacted]"), text);

  return {
    redact,
    async call(method, params, callOptions = {}) {
      let response;
      try {
        response = await http.post<unknown>(`${root}/bot${token}/${method}`, params, {
          validateStatus: () => true,
          ...(callOptions.timeoutMs === undefined ? {} : { timeout: callOptions.timeoutMs }),
          ...(callOptions.signal === undefined ? {} : { signal: callOptions.signal }),
        });
      } catch (error) {
        const reason = isAxiosError(error) ? error.code : undefined;
        const detail = error instanceof Error ? error.message : String(error);
        throw new ZaloBotTransportError(method, redact(detail).slice(0, 200), reason);
      }
      const envelope = envelopeSchema.safeParse(response.data);
      const status = response.status;
      if (envelope.success && envelope.data.ok && status >= 200 && status < 300) {
        return { ok: true, status, result: envelope.data.result };
      }
      return {
        ok: false,
        status,
        errorCode: envelope.success ? envelope.data.error_code : undefined,
        description: envelope.success && envelope.data.description !== undefined ? redact(envelope.data.description).slice(0, 200) : undefined,
      };
    },
  };
}

/**
 * Points the bot's webhook at `url` (HTTPS on a public domain) with the secret Zalo echoes in
 * `X-Bot-Api-Secret-Token`. Webhook and `getUpdates` polling exclude each other; call this at start-up in
 * webhook mode. Throws a `LoaError` naming the platform's error code when Zalo refuses.
 */
export async function setZaloBotWebhook(api: ZaloBotApi, options: { url: string; secretToken: string }): Promise<void> {
  const reply = await api.call("setWebhook", { url: options.url, secret_token: options.secretToken });
  if (!reply.ok) {
    throw new LoaError(
      `Zalo Bot setWebhook failed: error ${reply.errorCode ?? reply.status}${reply.description === undefined ? "" : ` (${api.redact(reply.description, [options.secretToken])})`}`,
      "zalo-bot:set-webhook-failed",
      { context: { status: reply.status, errorCode: reply.errorCode } },
    );
  }
}

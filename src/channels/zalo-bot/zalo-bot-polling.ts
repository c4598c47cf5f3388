import type { AxiosInstance } from "axios";
import type { InboundUpdate } from "../../conversation/inbound-message.ts";
import { loggableError, type Logger } from "../../logger.ts";
import { WebhookBodyError } from "../webhook-body-error.ts";
import { createZaloBotApi, zaloBotChannel, type ZaloBotMethod, type ZaloBotReply } from "./zalo-bot-api.ts";
import { parseZaloBotUpdate } from "./zalo-bot-webhook.ts";

/** Options of `startZaloBotPolling`. */
export type ZaloBotPollingOptions = {
  token: string;
  apiRoot: string;
  http?: AxiosInstance;
  /** Stores one update (the inbox); a failure is retried with backoff, because Zalo has no way to ask for an update again. */
  accept(update: InboundUpdate): Promise<void>;
  logger: Logger;
  /** How long Zalo holds one `getUpdates` call open when there is nothing to deliver (the documented default is 30 s). */
  pollTimeoutSeconds?: number;
  /** Shortest time between two polls that came back idle, so a platform answering 408 at once is not hammered. */
  minIdleIntervalMs?: number;
  /** Backoff after a failed call or a failed `accept`: doubles from `base` up to `max`. */
  retryDelayMs?: { base: number; max: number };
};

/** A running poller. `stop` aborts the open call and resolves once the loop has ended. */
export type ZaloBotPolling = { stop(): Promise<void> };

/**
 * Development mode without a public HTTPS address: long-polls `getUpdates` and hands each update to the same
 * parser as the webhook, then to `accept`, one at a time and in order. Webhook and polling exclude each other,
 * so the webhook is deleted first. Zalo returns one update per call and has no offset or acknowledgement:
 * an update is gone once returned, so `accept` is retried until it succeeds (or polling stops). An idle poll
 * ends with 408 and is simply repeated. Nothing logged holds the token, a user id or message text.
 */
export function startZaloBotPolling(options: ZaloBotPollingOptions): ZaloBotPolling {
  const api = createZaloBotApi(options);
  const { logger } = options;
  const pollTimeoutSeconds = options.pollTimeoutSeconds ?? 30;
  const minIdleIntervalMs = options.minIdleIntervalMs ?? 1_000;
  const retry = options.retryDelayMs ?? { base: 1_000, max: 60_000 };
  const stopping = new AbortController();
  const log = { channel: zaloBotChannel };

  const stopped = () => stopping.signal.aborted;

  /** Waits `ms`, or less when polling stops. */
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      if (stopped()) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        stopping.signal.removeEventListener("abort", done);
        resolve();
      }
      stopping.signal.addEventListener("abort", done);
    });

  const backoff = (failures: number) => pause(Math.min(retry.max, retry.base * 2 ** Math.max(0, failures - 1)));

  /** One call; undefined when polling stopped meanwhile or the platform could not be reached (logged). */
  async function call(method: ZaloBotMethod, params: Record<string, unknown>, timeoutMs?: number): Promise<ZaloBotReply | undefined> {
    try {
      return await api.call(method, params, { signal: stopping.signal, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
    } catch (error) {
      if (!stopped()) logger.warn({ ...log, method, error: loggableError(error) }, "Zalo Bot call failed");
      return undefined;
    }
  }

  function logRefusal(method: ZaloBotMethod, reply: Extract<ZaloBotReply, { ok: false }>): void {
    const level = (reply.errorCode ?? reply.status) === 401 ? "error" : "warn";
    logger[level]({ ...log, method, status: reply.status, errorCode: reply.errorCode, description: reply.description }, "Zalo Bot refused the call");
  }

  async function deleteWebhook(): Promise<void> {
    for (let failures = 1; !stopped(); failures += 1) {
      const reply = await call("deleteWebhook", {});
      if (reply?.ok) return;
      if (reply) logRefusal("deleteWebhook", reply);
      await backoff(failures);
    }
  }

  async function deliver(update: InboundUpdate): Promise<void> {
    for (let failures = 1; ; failures += 1) {
      try {
        await options.accept(update);
        return;
      } catch (error) {
        if (stopped()) {
          logger.error({ ...log, error: loggableError(error) }, "Zalo Bot update lost: polling stopped before it could be stored");
          return;
        }
        logger.error({ ...log, error: loggableError(error), failures }, "storing a Zalo Bot update failed; trying again");
        await backoff(failures);
      }
    }
  }

  async function handle(result: unknown): Promise<void> {
    let parsed;
    try {
      parsed = parseZaloBotUpdate(result);
    } catch (error) {
      if (!(error instanceof WebhookBodyError)) throw error;
      logger.warn({ ...log, error: loggableError(error) }, "Zalo Bot update of an undocumented shape skipped");
      return;
    }
    if (parsed.ignored !== undefined) logger.info({ ...log, ignored: parsed.ignored }, "Zalo Bot update ignored");
    for (const update of parsed.updates) await deliver(update);
  }

  async function run(): Promise<void> {
    await deleteWebhook();
    let failures = 0;
    while (!stopped()) {
      const startedAt = Date.now();
      const reply = await call("getUpdates", { timeout: String(pollTimeoutSeconds) }, (pollTimeoutSeconds + 5) * 1000);
      if (stopped()) break;
      if (reply === undefined || (!reply.ok && reply.status !== 408 && reply.errorCode !== 408)) {
        if (reply) logRefusal("getUpdates", reply);
        failures += 1;
        await backoff(failures);
        continue;
      }
      failures = 0;
      if (reply.ok) {
        await handle(reply.result);
      } else {
        await pause(minIdleIntervalMs - (Date.now() - startedAt));
      }
    }
  }

  const finished = run().catch((error: unknown) => {
    logger.error({ ...log, error: loggableError(error) }, "Zalo Bot polling ended by an unexpected error");
  });

  return {
    async stop() {
      stopping.abort();
      await finished;
    },
  };
}

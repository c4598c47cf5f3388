import type { ChannelWebhook } from "../channels/channel-webhook.ts";
import { WebhookBodyError } from "../channels/webhook-body-error.ts";
import type { InboundUpdate } from "../conversation/inbound-message.ts";
import { loggableError } from "../logger.ts";
import type { HttpServer } from "./http-server.ts";
import type { Counter } from "./metrics.ts";

/** What the webhook routes need: the channels' webhooks and the durable inbox. */
export type WebhookDeps = {
  webhooks: readonly ChannelWebhook[];
  accept(update: InboundUpdate): Promise<unknown>;
  /** Counts requests by channel and outcome for /metrics. */
  requests: Counter;
  /** Started after the updates of a request are in the inbox (e.g. answering a Telegram button press), without delaying the 200; errors are logged. */
  afterAccept?: (channel: string, body: unknown) => Promise<void>;
};

/**
 * `POST /webhooks/<route>` for every channel. The secret or signature is checked on the raw bytes before
 * anything is parsed (401 otherwise); a body that is not JSON or not a documented shape gets 400; the
 * platform gets 200 only once every update of the request is in the inbox, so a crash before that makes
 * the platform redeliver, and a redelivery is recognised by its update id.
 */
export function registerWebhookRoutes(app: HttpServer, deps: WebhookDeps): void {
  const byRoute = new Map(deps.webhooks.map((webhook) => [webhook.route, webhook]));
  void app.register(
    async (scope) => {
      scope.addContentTypeParser("application/json", { parseAs: "buffer" }, (_request, body, done) => done(null, body));
      scope.post<{ Params: { route: string } }>("/:route", async (request, reply) => {
        const webhook = byRoute.get(request.params.route);
        if (!webhook) return reply.code(404).send({ ok: false });
        const count = (outcome: string) => deps.requests.inc({ channel: webhook.channel, outcome });
        const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        if (rawBody.length === 0) {
          // Platforms probe a webhook with an empty POST (Zalo was seen doing so): nothing to verify or accept.
          count("empty");
          return reply.code(200).send({ ok: true });
        }
        if (!webhook.verify({ headers: request.headers, rawBody })) {
          count("unauthorized");
          return reply.code(401).send({ ok: false });
        }
        let body: unknown;
        try {
          body = JSON.parse(rawBody.toString("utf8"));
        } catch {
          count("malformed");
          return reply.code(400).send({ ok: false });
        }
        let parsed;
        try {
          parsed = webhook.parse(body);
        } catch (error) {
          if (!(error instanceof WebhookBodyError)) throw error;
          count("malformed");
          return reply.code(400).send({ ok: false });
        }
        for (const update of parsed.updates) await deps.accept(update);
        if (parsed.ignored !== undefined) request.log.info({ channel: webhook.channel, ignored: parsed.ignored }, "webhook event ignored");
        count(parsed.updates.length > 0 ? "accepted" : "ignored");
        // Not awaited: a slow platform API (answering a button press) must not delay the 200 the platform
        // waits for; the updates are already stored, and a failure is logged.
        void deps.afterAccept?.(webhook.channel, body).catch((error: unknown) => {
          request.log.warn({ channel: webhook.channel, error: loggableError(error) }, "after-accept step failed");
        });
        return reply.code(200).send({ ok: true });
      });
    },
    { prefix: "/webhooks" },
  );
}

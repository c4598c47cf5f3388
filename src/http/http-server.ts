import type { IncomingMessage, ServerResponse } from "node:http";
import Fastify, { type FastifyInstance, type RawServerDefault } from "fastify";
import type { ChannelWebhook } from "../channels/channel-webhook.ts";
import { loggableError, type Logger } from "../logger.ts";
import type { Runtime } from "../runtime.ts";
import { createMetrics } from "./metrics.ts";
import { createStaffServices } from "../staff/staff-services.ts";
import { registerConsole } from "./console/console-routes.ts";
import { registerMediaRoutes } from "./media-routes.ts";
import { registerStaffApi } from "./staff-api/staff-api.ts";
import { setStaffSecurityHeaders } from "./staff-auth.ts";
import { registerSimulatorRoutes } from "./simulator-routes.ts";
import { registerWebhookRoutes } from "./webhook-routes.ts";

/** Loa's Fastify instance, typed with its pino logger. */
export type HttpServer = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, Logger>;

/** Largest request body accepted; a chat message is at most 10,000 characters. */
export const bodyLimitBytes = 256 * 1024;

/** What the HTTP server serves. */
export type HttpServerDeps = {
  runtime: Runtime;
  logger: Logger;
  simulator: boolean;
  webhooks?: readonly ChannelWebhook[];
  afterAccept?: (channel: string, body: unknown) => Promise<void>;
  /** The staff side (console and /api); off when not given. */
  staff?: {
    secureCookies: boolean;
    version: string;
    staleMonths: number;
    /** People counts under this are hidden in commune-level statistics (STATS_SUPPRESS_BELOW). */
    suppressBelow: number;
    wait?: (ms: number) => Promise<unknown>;
  };
};

/**
 * Loa's HTTP server: platform webhooks, `/healthz` (the process answers), `/readyz` (the database answers),
 * `/metrics` (Prometheus), voice notes under `/media`, the staff API under `/api` and the staff console, and
 * the local simulator's page and API when enabled. Request logs carry method,
 * route and status, never bodies; the URL of a webhook holds no secret.
 */
export function createHttpServer(deps: HttpServerDeps): HttpServer {
  const app = Fastify({ loggerInstance: deps.logger, bodyLimit: bodyLimitBytes });
  const metrics = createMetrics();
  const db = deps.runtime.database.client;
  const webhookRequests = metrics.counter("loa_webhook_requests_total", "Webhook requests by channel and outcome.");
  metrics.gauge("loa_inbox_messages", "Inbox rows by channel and status.", async () =>
    (await db.inboxMessage.groupBy({ by: ["channel", "status"], _count: { _all: true } })).map((row) => ({
      labels: { channel: row.channel, status: row.status },
      value: row._count._all,
    })),
  );
  metrics.gauge("loa_outbox_messages", "Outbox rows by channel and status.", async () =>
    (await db.outboxMessage.groupBy({ by: ["channel", "status"], _count: { _all: true } })).map((row) => ({
      labels: { channel: row.channel, status: row.status },
      value: row._count._all,
    })),
  );
  metrics.gauge("loa_contacts", "Contacts, and those who opted out.", async () => [
    { labels: { state: "all" }, value: await db.contact.count() },
    { labels: { state: "stopped" }, value: await db.contact.count({ where: { stoppedAt: { not: null } } }) },
  ]);

  app.get("/healthz", async (_request, reply) => reply.send({ status: "ok" }));
  app.get("/readyz", async (request, reply) => {
    try {
      await db.contact.count({ take: 1 });
      return reply.send({ status: "ready" });
    } catch (error) {
      request.log.error({ error: loggableError(error) }, "database not ready");
      return reply.code(503).send({ status: "database unavailable" });
    }
  });
  app.get("/metrics", async (_request, reply) => reply.type("text/plain; version=0.0.4").send(await metrics.render()));
  registerWebhookRoutes(app, {
    webhooks: deps.webhooks ?? [],
    accept: (update) => deps.runtime.accept(update),
    requests: webhookRequests,
    ...(deps.afterAccept === undefined ? {} : { afterAccept: deps.afterAccept }),
  });
  registerMediaRoutes(app, { library: deps.runtime.assets.media, contentDir: deps.runtime.assets.contentDir });
  if (deps.staff) {
    const runtime = deps.runtime;
    const https = deps.staff.secureCookies;
    app.addHook("onRequest", async (request, reply) => {
      if (request.url.startsWith("/api/")) setStaffSecurityHeaders(reply, { https });
    });
    const services = createStaffServices({
      db,
      assets: runtime.assets,
      places: () => runtime.bot().setup.places,
      refreshReferenceData: () => runtime.refreshReferenceData(),
      now: runtime.now,
      staleMonths: deps.staff.staleMonths,
      suppressBelow: deps.staff.suppressBelow,
    });
    registerConsole(app, {
      services,
      places: () => runtime.bot().setup.places,
      languages: () => runtime.assets.languages,
      secureCookies: deps.staff.secureCookies,
      staleMonths: deps.staff.staleMonths,
      now: runtime.now,
      ...(deps.staff.wait === undefined ? {} : { wait: deps.staff.wait }),
    });
    registerStaffApi(app, services, {
      secureCookies: deps.staff.secureCookies,
      version: deps.staff.version,
      now: runtime.now,
      ...(deps.staff.wait === undefined ? {} : { wait: deps.staff.wait }),
    });
  }
  if (deps.simulator) registerSimulatorRoutes(app, deps.runtime);
  return app;
}

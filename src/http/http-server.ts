import type { IncomingMessage, ServerResponse } from "node:http";
import Fastify, { type FastifyInstance, type RawServerDefault } from "fastify";
import type { Logger } from "../logger.ts";
import type { Runtime } from "../runtime.ts";
import { registerSimulatorRoutes } from "./simulator-routes.ts";

/** Loa's Fastify instance, typed with its pino logger. */
export type HttpServer = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, Logger>;

/** Largest request body accepted; a chat message is at most 10,000 characters. */
export const bodyLimitBytes = 256 * 1024;

/**
 * Loa's HTTP server: health, and the local simulator's chat page and API when enabled. Webhooks of real
 * platforms are added by their channel modules. Logs requests without bodies.
 */
export function createHttpServer(deps: { runtime: Runtime; logger: Logger; simulator: boolean }): HttpServer {
  const app = Fastify({ loggerInstance: deps.logger, bodyLimit: bodyLimitBytes });
  app.get("/health", async (_request, reply) => {
    await deps.runtime.database.client.contact.count({ take: 1 });
    return reply.send({ status: "ok" });
  });
  if (deps.simulator) registerSimulatorRoutes(app, deps.runtime);
  return app;
}

import { randomUUID } from "node:crypto";
import { z } from "zod";
import { outboundMessageSchema } from "../channels/outbound-message.ts";
import { simulatorChannel } from "../channels/simulator/simulator-adapter.ts";
import type { Runtime } from "../runtime.ts";
import type { HttpServer } from "./http-server.ts";
import { simulatorPage } from "./simulator-page.ts";

const conversationId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** Like a platform's update id: a client that retries with the same id gets its message handled once. */
const externalId = z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/).optional();

const sendBody = z.union([
  z.object({ conversationId, externalId, text: z.string().min(1).max(10_000) }).strict(),
  z
    .object({ conversationId, externalId, choice: z.object({ optionId: z.string().max(64), nodeId: z.string().max(64).optional() }).strict() })
    .strict(),
]);

const listQuery = z.object({ conversationId, after: z.coerce.number().int().min(0).default(0) });

/**
 * The simulator's page and API: `POST /chat/api/messages` puts a message into the same inbox real channels
 * use, and `GET /chat/api/messages` reads the simulator's mailbox. Meant for local use: it has no login,
 * so production deployments turn it off (SIMULATOR_ENABLED=false).
 */
export function registerSimulatorRoutes(app: HttpServer, runtime: Runtime): void {
  app.get("/", async (_request, reply) => reply.redirect("/chat"));
  app.get("/chat", async (_request, reply) => reply.type("text/html; charset=utf-8").send(simulatorPage));
  app.post("/chat/api/messages", async (request, reply) => {
    const body = sendBody.safeParse(request.body);
    if (!body.success) return reply.code(400).send({ error: "invalid message", issues: body.error.issues.map((i) => i.path.join(".")) });
    const message = "text" in body.data
      ? { kind: "text" as const, text: body.data.text }
      : { kind: "choice" as const, optionId: body.data.choice.optionId, ...(body.data.choice.nodeId === undefined ? {} : { nodeId: body.data.choice.nodeId }) };
    const accepted = await runtime.accept({
      channel: simulatorChannel,
      externalId: body.data.externalId ?? randomUUID(),
      channelUserId: body.data.conversationId,
      message,
    });
    return reply.code(202).send({ inboxId: accepted.inboxId, duplicate: accepted.duplicate });
  });
  app.get("/chat/api/messages", async (request, reply) => {
    const query = listQuery.safeParse(request.query);
    if (!query.success) return reply.code(400).send({ error: "invalid query" });
    const rows = await runtime.database.client.simulatorMessage.findMany({
      where: { conversationId: query.data.conversationId, id: { gt: query.data.after } },
      orderBy: { id: "asc" },
      take: 100,
    });
    const messages = rows.map((row) => ({ id: row.id, ...outboundMessageSchema.parse(JSON.parse(row.payload)) }));
    return reply.send({ messages });
  });
}

import { z } from "zod";
import { outreachSessionInputSchema, sessionTopics, type OutreachSession, type OutreachSessions } from "../../stats/outreach-sessions.ts";
import { defineApiRoute, type ApiRoute } from "../api/api-route.ts";
import { principalOf } from "./staff-access.ts";
import { statsApiError } from "./stats-access.ts";

const sessionSchema = z
  .object({
    id: z.string(),
    teamId: z.string().nullable(),
    provinceCode: z.string(),
    communeCode: z.string(),
    heldOn: z.iso.date(),
    topic: z.enum(sessionTopics),
    placeName: z.string(),
    participantsFemale: z.number().int(),
    participantsMale: z.number().int(),
    note: z.string().nullable(),
    createdBy: z.string(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: "OutreachSession" });

const idParams = z.object({ id: z.string().min(1).max(60) });

function body(session: OutreachSession): z.input<typeof sessionSchema> {
  return { ...session, createdAt: session.createdAt.toISOString(), updatedAt: session.updatedAt.toISOString() };
}

/**
 * In-person sessions (cuộc): every role lists those of her area; commune teams record, change and remove their
 * own communes' sessions, province officers their provinces', admins all.
 */
export function statsSessionRoutes(deps: { sessions: OutreachSessions }): ApiRoute[] {
  const { sessions } = deps;
  return [
    defineApiRoute({
      method: "GET",
      path: "/api/stats/sessions",
      summary: "In-person sessions of your area, newest first",
      tags: ["statistics"],
      access: { kind: "staff", permission: "stats:read" },
      input: {
        query: z.object({
          period: z.string().min(4).max(12).optional(),
          provinceCode: z.string().min(1).max(20).optional(),
          communeCode: z.string().min(1).max(20).optional(),
          topic: z.enum(sessionTopics).optional(),
        }),
      },
      responses: { 200: z.object({ sessions: z.array(sessionSchema) }) },
      handler: async ({ query }, { request }) => {
        const { communeCode, ...filter } = query;
        const found = await sessions.list(principalOf(request), { ...filter, ...(communeCode === undefined ? {} : { communeCodes: [communeCode] }) }).catch(statsApiError);
        return { status: 200, body: { sessions: found.map(body) } };
      },
    }),
    defineApiRoute({
      method: "POST",
      path: "/api/stats/sessions",
      summary: "Record an in-person session held in a commune of your area",
      tags: ["statistics"],
      access: { kind: "staff", permission: "sessions:write" },
      input: { body: outreachSessionInputSchema },
      responses: { 201: sessionSchema },
      errors: ["not_found"],
      handler: async ({ body: input }, { request }) => ({ status: 201, body: body(await sessions.record(principalOf(request), input).catch(statsApiError)) }),
    }),
    defineApiRoute({
      method: "GET",
      path: "/api/stats/sessions/:id",
      summary: "One in-person session",
      tags: ["statistics"],
      access: { kind: "staff", permission: "stats:read" },
      input: { params: idParams },
      responses: { 200: sessionSchema },
      errors: ["not_found"],
      handler: async ({ params }, { request }) => ({ status: 200, body: body(await sessions.get(principalOf(request), params.id).catch(statsApiError)) }),
    }),
    defineApiRoute({
      method: "PUT",
      path: "/api/stats/sessions/:id",
      summary: "Change an in-person session of your area",
      tags: ["statistics"],
      access: { kind: "staff", permission: "sessions:write" },
      input: { params: idParams, body: outreachSessionInputSchema },
      responses: { 200: sessionSchema },
      errors: ["not_found"],
      handler: async ({ params, body: input }, { request }) => ({ status: 200, body: body(await sessions.change(principalOf(request), params.id, input).catch(statsApiError)) }),
    }),
    defineApiRoute({
      method: "DELETE",
      path: "/api/stats/sessions/:id",
      summary: "Remove an in-person session of your area",
      tags: ["statistics"],
      access: { kind: "staff", permission: "sessions:write" },
      input: { params: idParams },
      responses: { 204: null },
      errors: ["not_found"],
      handler: async ({ params }, { request }) => {
        await sessions.remove(principalOf(request), params.id).catch(statsApiError);
        return { status: 204 };
      },
    }),
  ];
}
